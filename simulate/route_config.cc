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
      if (d.empty()) continue;  // an empty host (a schema error) matches no Host header
      if (d == "*") {
        if (star_ < 0) star_ = static_cast<int>(i);
      } else if (d.front() == '*') {
        suffixes_.add(std::string_view(d).substr(1), i);
      } else if (d.back() == '*') {
        prefixes_.add(std::string_view(d).substr(0, d.size() - 1), i);
      } else {
        exact_.emplace(d, i);  // first claimant keeps a duplicate domain
      }
    }
  }
  suffixes_.finish();
  prefixes_.finish();
}

const VirtualHost* RouteConfig::find(std::string_view host) const {
  // Lower-case into a stack buffer and strip the port (IPv6-aware: only a ':' after any ']'), in
  // one pass.
  std::array<char, 256> buf;
  if (host.size() > buf.size()) return star_ >= 0 ? &vhosts[star_] : nullptr;
  size_t colon = std::string_view::npos;
  bool closed = false;  // a ']' was seen: "[::1]:80"
  for (size_t i = 0; i < host.size(); ++i) {
    char c = host[i];
    if (c == ':') {
      colon = i;
    } else if (c == ']') {
      colon = std::string_view::npos;
      closed = true;
    }
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (colon != std::string_view::npos && (host.front() != '[' || closed)) host = host.substr(0, colon);
  std::string_view h(buf.data(), host.size());
  if (auto it = exact_.find(h); it != exact_.end()) return &vhosts[it->second];
  if (auto i = suffixes_.find(h)) return &vhosts[*i];
  if (auto i = prefixes_.find(h)) return &vhosts[*i];
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

std::string httpsRouteConfigName(const model::Gateway& gw, const model::GatewayServer& s) {
  return "https." + std::to_string(s.port) + "." + s.port_name.value + "." + gw.name() + "." + gw.ns();
}

}  // namespace istio_lint::simulate
