#pragma once

// Checks of names and addresses shared by the decoders of workload-related Istio kinds, with the
// rules istiod's validation applies (DNS-1123 labels, FQDNs, IP addresses, workload selectors).

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "model/ascii.h"
#include "model/decode/reader.h"
#include "model/resources/workload_entry.h"

namespace istio_lint::model::decode {

/// A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63.
inline bool isDns1123Label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-') return false;
  }
  return true;
}

inline bool isIpAddress(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

/// A fully qualified domain name: DNS-1123 labels separated by dots, at most 255 characters.
inline bool isFqdn(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 255) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    if (!isDns1123Label(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

/// A port protocol as istiod parses it (case-insensitive); "" when unset or unknown.
inline std::string protocolName(std::string_view p) {
  std::string s = asciiUpper(p);
  for (std::string_view known : {"HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB", "HTTPS", "TLS", "TCP",
                                 "UDP", "MONGO", "REDIS", "MYSQL"}) {
    if (s == known) return s;
  }
  return "";
}
/// Protocols whose traffic the proxy handles as HTTP.
inline bool isHttpProtocol(std::string_view p) {
  std::string s = protocolName(p);
  return s == "HTTP" || s == "HTTP2" || s == "HTTP_PROXY" || s == "GRPC" || s == "GRPC-WEB";
}
/// Protocols proxied as opaque TCP connections (istiod's protocol.IsTCP).
inline bool isTcpProtocol(std::string_view p) {
  std::string s = protocolName(p);
  return s == "TCP" || s == "HTTPS" || s == "TLS" || s == "MONGO" || s == "REDIS" || s == "MYSQL";
}

/// Warning (IST0133) for a workload selector given without labels: `selector` is the selector
/// mapping, `labels_key` the key of its labels ("matchLabels" or "labels"). Such a selector selects
/// every workload of the namespace, which is rarely what was meant. Call it under the selector's
/// field guard.
inline void warnSelectorWithoutLabels(Reader& r, const yaml::Node& selector, std::string_view labels_key,
                                      std::string_view kind) {
  const yaml::Node* labels = selector.get(labels_key);
  if (labels != nullptr && !labels->isNull() && (!labels->isMap() || labels->size > 0)) return;
  if (labels == nullptr && selector.size > 0) return;  // a misspelt key, reported as an error already
  r.issue(selector, "workload selector specified without labels: the " + std::string(kind) +
                        " applies to every workload in the namespace; add " + std::string(labels_key) +
                        ", or remove the selector to make that explicit",
          true);
}

/// `selector: {matchLabels: {...}}` (istio.type.v1beta1.WorkloadSelector) under `key`. Empty keys
/// and wildcards are rejected, as istiod rejects them; a selector without labels is a warning.
inline std::optional<Labels> readWorkloadSelector(Reader& r, const yaml::Node& parent, std::string_view key,
                                                  Span* where, std::string_view kind) {
  const yaml::Node* sel = r.map(parent, key);
  if (sel == nullptr) return std::nullopt;
  auto g = r.field(key);
  if (where) *where = r.span(sel);
  r.known(*sel, {"matchLabels"});
  warnSelectorWithoutLabels(r, *sel, "matchLabels", kind);
  Labels out = r.labels(*sel, "matchLabels").value_or(Labels{});
  if (const yaml::Node* ml = sel->get("matchLabels"); ml && ml->isMap()) {
    auto gm = r.field("matchLabels");
    for (uint32_t i = 0; i < ml->size; ++i) {
      std::string k = ml->key(i).str(), v = ml->value(i).str();
      if (k.empty()) {
        r.issue(ml->key(i), "empty key is not supported in selector: \"" + k + "=" + v + "\"");
      } else if (k.find('*') != std::string::npos || v.find('*') != std::string::npos) {
        r.issue(ml->key(i), "wildcard is not supported in selector: \"" + k + "=" + v + "\"");
      }
    }
  }
  return out;
}

/// The fields of a WorkloadEntry spec (a WorkloadEntry, or a WorkloadGroup's `template`, where the
/// address is filled in per instance and so is not required). Defined in workload_entry.cc.
WorkloadEntrySpec readWorkloadEntrySpec(Reader& r, const yaml::Node& n, bool in_template);

}  // namespace istio_lint::model::decode
