#include <algorithm>
#include <cctype>

#include "model/decode/decode.h"
#include "model/ascii.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/resources/traffic_extension.h"

namespace istio_lint::model::decode {
namespace {

/// The scheme of a Wasm module URL: oci (the default when none is given), http, https or file.
bool validWasmScheme(const std::string& url) {
  size_t sep = url.find("://");
  if (sep == std::string::npos) return true;
  const std::string scheme = asciiLower(std::string_view(url).substr(0, sep));
  return scheme == "oci" || scheme == "http" || scheme == "https" || scheme == "file";
}

void readWasm(Reader& r, const Node& w, TrafficExtension& te) {
  r.known(w, {"url", "sha256", "imagePullPolicy", "imagePullSecret", "verificationKey", "pluginConfig",
              "pluginName", "failStrategy", "vmConfig", "type"});
  te.wasm_url = r.strOr(w, "url");
  if (te.wasm_url.empty()) {
    r.issue(w, "wasm.url is required");
  } else if (!validWasmScheme(te.wasm_url.value)) {
    auto g = r.field("url");
    r.issue(*w.get("url"), "url must have schema one of [http, https, file, oci], got \"" + te.wasm_url.value + "\"");
  }
  if (auto sha = r.str(w, "sha256"); sha && !sha->empty()) {
    bool hex = sha->value.size() == 64 && std::all_of(sha->value.begin(), sha->value.end(), [](char c) {
                 return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
               });
    if (!hex) {
      auto g = r.field("sha256");
      r.issue(*w.get("sha256"), "sha256 must be 64 lower-case hexadecimal characters");
    }
  }
  r.enumeration(w, "imagePullPolicy", {"UNSPECIFIED_POLICY", "IfNotPresent", "Always"});
  r.strOr(w, "imagePullSecret");
  r.strOr(w, "verificationKey");
  r.strOr(w, "pluginName");
  r.map(w, "pluginConfig");
  r.enumeration(w, "failStrategy", {"FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"});
  r.enumeration(w, "type", {"UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"});
  if (const Node* vm = r.map(w, "vmConfig")) {
    auto g = r.field("vmConfig");
    r.known(*vm, {"env"});
    r.each(*vm, "env", [&](const Node& e) {
      if (!e.isMap()) {
        r.issue(e, "expected a mapping with name, value and valueFrom");
        return;
      }
      r.known(e, {"name", "valueFrom", "value"});
      if (r.strOr(e, "name").empty()) r.issue(e, "env name is required");
      auto from = r.enumeration(e, "valueFrom", {"INLINE", "HOST"});
      if (from && from->value == "HOST" && e.get("value") != nullptr) {
        r.issue(e, "value may only be set when valueFrom is INLINE");
      }
      r.strOr(e, "value");
    });
  }
}

}  // namespace

ResourcePtr decodeTrafficExtension(Reader& r, const Node& spec) {
  auto te = std::make_unique<TrafficExtension>();
  r.known(spec, {"selector", "targetRefs", "phase", "priority", "match", "wasm", "lua"});
  te->selector = readWorkloadSelector(r, spec, "selector", &te->selector_span, "TrafficExtension");
  r.each(spec, "targetRefs", [&](const Node& n) {
    PolicyTargetRef ref;
    ref.span = r.span(n);
    if (!n.isMap()) {
      r.issue(n, "expected a mapping with group, kind and name");
      return;
    }
    r.known(n, {"group", "kind", "name", "namespace"});
    ref.group = r.strOr(n, "group");
    ref.kind = r.strOr(n, "kind");
    ref.name = r.strOr(n, "name");
    ref.ns = r.strOr(n, "namespace");
    if (ref.kind.empty()) r.issue(n, "targetRef kind must be set");
    if (ref.name.empty()) r.issue(n, "targetRef name must be set");
    te->target_refs.push_back(std::move(ref));
  });
  if (te->selector && spec.get("targetRefs") != nullptr) {
    r.issue(spec, "only one of targetRefs or selector can be set");
  }
  // The phase enum is spelled AUTHN/AUTHZ/STATS (as WasmPlugin's) or EXECUTION_PHASE_*.
  te->phase = r.enumeration(spec, "phase",
                            {"UNSPECIFIED", "UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS",
                             "EXECUTION_PHASE_UNSPECIFIED", "EXECUTION_PHASE_AUTHN", "EXECUTION_PHASE_AUTHZ",
                             "EXECUTION_PHASE_STATS"})
                  .value_or(Str{});
  if (auto p = r.integer(spec, "priority")) {
    if (*p < INT32_MIN || *p > INT32_MAX) {
      auto g = r.field("priority");
      r.issue(*spec.get("priority"), "priority must be a 32-bit integer");
    } else {
      te->priority = *p;
    }
  }
  r.each(spec, "match", [&](const Node& m) {
    if (!m.isMap()) {
      r.issue(m, "expected a mapping with mode and ports");
      return;
    }
    r.known(m, {"mode", "ports"});
    r.enumeration(m, "mode", {"UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"});
    r.each(m, "ports", [&](const Node& p) {
      if (!p.isMap()) {
        r.issue(p, "expected a mapping with number");
        return;
      }
      r.known(p, {"number"});
      if (auto n = r.integer(p, "number"); n && (*n < 1 || *n > 65535)) {
        auto g = r.field("number");
        r.issue(*p.get("number"), "port number " + std::to_string(*n) + " must be in the range 1..65535");
      }
    });
  });
  if (const Node* w = r.map(spec, "wasm")) {
    auto g = r.field("wasm");
    te->has_wasm = true;
    readWasm(r, *w, *te);
  }
  if (const Node* l = r.map(spec, "lua")) {
    auto g = r.field("lua");
    te->has_lua = true;
    r.known(*l, {"inlineCode"});
    if (r.strOr(*l, "inlineCode").empty()) r.issue(*l, "lua.inlineCode is required");
  }
  if (te->has_wasm == te->has_lua) r.issue(spec, "exactly one of wasm or lua must be set");
  return te;
}

}  // namespace istio_lint::model::decode
