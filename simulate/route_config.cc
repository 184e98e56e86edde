#include "simulate/route_config.h"

#include <algorithm>
#include <array>

namespace istio_lint::simulate {

void RouteConfig::index() {
  exact_.clear();
  suffixes_.clear();
  prefixes_.clear();
  star_ = -1;
  for (uint32_t i = 0; i < vhosts.size(); ++i) {
    for (const std::string& d : vhosts[i].domains) {
      if (d == "*") {
        if (star_ < 0) star_ = static_cast<int>(i);
      } else if (d.front() == '*') {
        suffixes_.emplace_back(d.substr(1), i);
      } else if (d.back() == '*') {
        prefixes_.emplace_back(d.substr(0, d.size() - 1), i);
      } else {
        exact_.emplace(d, i);  // first claimant keeps a duplicate domain
      }
    }
  }
  auto longer = [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); };
  std::stable_sort(suffixes_.begin(), suffixes_.end(), longer);
  std::stable_sort(prefixes_.begin(), prefixes_.end(), longer);
}

const VirtualHost* RouteConfig::find(std::string_view host) const {
  // Strip the port (IPv6-aware: only after ']') and lower-case into a stack buffer.
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos &&
      (host.front() != '[' || host.rfind(']') < colon)) {
    host = host.substr(0, colon);
  }
  std::array<char, 256> buf;
  if (host.size() > buf.size()) return star_ >= 0 ? &vhosts[star_] : nullptr;
  for (size_t i = 0; i < host.size(); ++i) {
    char c = host[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view h(buf.data(), host.size());
  if (auto it = exact_.find(h); it != exact_.end()) return &vhosts[it->second];
  for (const auto& [suffix, i] : suffixes_) {
    if (h.size() > suffix.size() && h.ends_with(suffix)) return &vhosts[i];
  }
  for (const auto& [prefix, i] : prefixes_) {
    if (h.size() > prefix.size() && h.starts_with(prefix)) return &vhosts[i];
  }
  return star_ >= 0 ? &vhosts[star_] : nullptr;
}

const VirtualHost* RouteConfig::byDomain(std::string_view domain) const {
  for (const VirtualHost& v : vhosts) {
    for (const std::string& d : v.domains) {
      if (d == domain) return &v;
    }
  }
  return nullptr;
}

}  // namespace istio_lint::simulate
