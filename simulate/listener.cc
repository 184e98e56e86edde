#include "simulate/listener.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace istio_lint::simulate {
namespace {

bool parseIpv4(std::string_view s, uint32_t& out) {
  uint32_t v = 0, part = 0;
  int parts = 0, digits = 0;
  for (char c : s) {
    if (c == '.') {
      if (digits == 0 || part > 255) return false;
      v = (v << 8) | part;
      part = 0;
      digits = 0;
      ++parts;
    } else if (c >= '0' && c <= '9') {
      part = part * 10 + static_cast<uint32_t>(c - '0');
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  if (digits == 0 || part > 255 || parts != 3) return false;
  out = (v << 8) | part;
  return true;
}

/// Prefix length of the CIDR (or IP) that contains `address`; -1 when it does not.
int cidrMatch(std::string_view cidr, std::string_view address) {
  size_t slash = cidr.find('/');
  int len = 32;
  if (slash != std::string_view::npos) {
    len = 0;
    for (char c : cidr.substr(slash + 1)) {
      if (c < '0' || c > '9') return -1;
      len = len * 10 + (c - '0');
    }
    if (len > 32) return -1;
  }
  uint32_t net = 0, ip = 0;
  if (!parseIpv4(cidr.substr(0, slash), net) || !parseIpv4(address, ip)) {
    return cidr.substr(0, slash) == address ? 128 : -1;
  }
  uint32_t mask = len == 0 ? 0 : ~uint32_t{0} << (32 - len);
  return (net & mask) == (ip & mask) ? len : -1;
}

/// Rank of a server name for an SNI: exact beats wildcard, longer wildcard beats shorter; -1 no match.
int sniRank(std::string_view name, std::string_view sni) {
  if (name == sni) return 100000;
  if (name.size() > 1 && name[0] == '*') {
    std::string_view suffix = name.substr(1);
    if (sni.size() > suffix.size() && sni.ends_with(suffix)) return static_cast<int>(suffix.size());
  }
  return -1;
}

}  // namespace

void Listener::index() {
  by_sni.clear();
  sni_only = !chains.empty();
  inspector_ports_.clear();
  tls_inspector_ = http_inspector_ = tls_default_ = false;
  constexpr uint16_t kHttpAlpns = alpnBit(Alpn::Http10) | alpnBit(Alpn::Http11) | alpnBit(Alpn::H2c);
  for (const FilterChain& c : chains) {
    uint8_t needs = (c.transport == FilterChain::Transport::Tls ? 1 : 0) | ((c.alpn & kHttpAlpns) != 0 ? 2 : 0);
    auto it = std::find_if(inspector_ports_.begin(), inspector_ports_.end(),
                           [&](const auto& e) { return e.first == c.destination_port; });
    if (it == inspector_ports_.end()) {
      inspector_ports_.emplace_back(c.destination_port, needs);
    } else {
      it->second |= needs;
    }
    tls_inspector_ = tls_inspector_ || (needs & 1) != 0;
    http_inspector_ = http_inspector_ || (needs & 2) != 0;
  }
  std::sort(inspector_ports_.begin(), inspector_ports_.end());
  tls_default_ = !inspector_ports_.empty() && inspector_ports_.front().first == 0 && (inspector_ports_.front().second & 1);
  criteria_ = 0;
  for (const FilterChain& c : chains) {
    if (c.destination_port != 0) criteria_ |= kDestPort;
    if (!c.prefix_ranges.empty()) criteria_ |= kPrefix;
    if (!c.server_names.empty()) criteria_ |= kSni;
    if (c.transport != FilterChain::Transport::Any) criteria_ |= kTransport;
    if (c.http_alpn || c.istio_alpn || c.alpn != 0) criteria_ |= kAlpn;
  }
  for (uint32_t i = 0; i < chains.size(); ++i) {
    const FilterChain& c = chains[i];
    if (static_cast<int>(i) == default_chain) continue;
    if (!c.prefix_ranges.empty() || c.http_alpn || c.istio_alpn || c.server_names.empty() ||
        c.transport == FilterChain::Transport::Raw || c.destination_port != 0 || c.alpn != 0) {
      sni_only = false;
    }
    for (const std::string& s : c.server_names) {
      if (s.empty() || s[0] == '*') sni_only = false;
      if (!by_sni.emplace(s, i).second) sni_only = false;  // duplicate names: let the sieve decide
    }
  }
}

namespace {

/// The flags of a port in the sorted inspector table; -1 when the port has no chain of its own.
int portNeeds(const std::vector<std::pair<uint32_t, uint8_t>>& ports, uint32_t port) {
  auto it = std::lower_bound(ports.begin(), ports.end(), std::pair<uint32_t, uint8_t>{port, 0},
                             [](const auto& a, const auto& b) { return a.first < b.first; });
  return it != ports.end() && it->first == port ? it->second : -1;
}

}  // namespace

// istiod enables the TLS inspector for every port when the port-less (passthrough) chains need
// it, minus the ports whose own chains do not; otherwise only for the ports whose chains do. The
// HTTP inspector, once present, runs on every port except those whose chains take no plaintext
// HTTP ALPN (buildTLSInspector / buildHTTPInspector).
bool Listener::tlsInspector(uint32_t port) const {
  if (!per_port_inspectors) return true;
  if (!tls_inspector_) return false;
  int needs = port == 0 ? -1 : portNeeds(inspector_ports_, port);
  if (tls_default_) return needs < 0 || (needs & 1) != 0;
  return needs >= 0 && (needs & 1) != 0;
}

bool Listener::httpInspector(uint32_t port) const {
  if (!per_port_inspectors) return true;
  if (!http_inspector_) return false;
  int needs = portNeeds(inspector_ports_, port);
  return needs < 0 || (needs & 2) != 0;
}

const FilterChain* Listener::match(std::string_view address, std::string_view sni, bool tls, bool http_plaintext,
                                   bool& ambiguous, uint32_t port, Alpn alpn) const {
  ambiguous = false;
  if (sni_only && tls) {
    // Every chain is exact server names only: one hash probe decides (Envoy's server_names map).
    auto it = by_sni.find(sni);
    if (it != by_sni.end()) return &chains[it->second];
    return default_chain >= 0 ? &chains[default_chain] : nullptr;
  }
  constexpr size_t kMax = 4096;
  if (chains.size() > kMax) return default_chain >= 0 ? &chains[default_chain] : nullptr;
  std::array<uint16_t, kMax> cand;
  std::array<int, kMax> rank;
  size_t n = 0;
  for (size_t i = 0; i < chains.size(); ++i) {
    if (static_cast<int>(i) == default_chain) continue;
    cand[n++] = static_cast<uint16_t>(i);
  }
  // One sieve step: when some survivor sets the field keep the best-ranked matches; if none
  // match, keep those that leave it empty.
  auto sieve = [&](auto&& sets, auto&& score) {
    bool any = false;
    for (size_t k = 0; k < n; ++k) any = any || sets(chains[cand[k]]);
    if (!any) return;
    int best = -1;
    for (size_t k = 0; k < n; ++k) {
      const FilterChain& c = chains[cand[k]];
      rank[k] = sets(c) ? score(c) : -2;
      if (rank[k] > best) best = rank[k];
    }
    size_t m = 0;
    for (size_t k = 0; k < n; ++k) {
      bool keep = best >= 0 ? rank[k] == best : !sets(chains[cand[k]]);
      if (keep) cand[m++] = cand[k];
    }
    n = m;
  };
  // Steps no chain of the listener sets are skipped (they would keep every candidate).
  if (criteria_ & kDestPort) {
    sieve([](const FilterChain& c) { return c.destination_port != 0; },
          [&](const FilterChain& c) { return c.destination_port == port ? 1 : -1; });
  }
  if (criteria_ & kPrefix) {
    sieve([](const FilterChain& c) { return !c.prefix_ranges.empty(); },
          [&](const FilterChain& c) {
            int best = -1;
            for (const std::string& p : c.prefix_ranges) best = std::max(best, cidrMatch(p, address));
            return best;
          });
  }
  if (criteria_ & kSni) {
    sieve([](const FilterChain& c) { return !c.server_names.empty(); },
          [&](const FilterChain& c) {
            int best = -1;
            if (!tls || sni.empty()) return best;
            for (const std::string& s : c.server_names) best = std::max(best, sniRank(s, sni));
            return best;
          });
  }
  if (criteria_ & kTransport) {
    sieve([](const FilterChain& c) { return c.transport != FilterChain::Transport::Any; },
          [&](const FilterChain& c) { return (c.transport == FilterChain::Transport::Tls) == tls ? 1 : -1; });
  }
  if (criteria_ & kAlpn) {
    const uint16_t alpn_bit = alpn == Alpn::None || alpn == Alpn::Default ? 0 : alpnBit(alpn);
    sieve([](const FilterChain& c) { return c.http_alpn || c.istio_alpn || c.alpn != 0; },
          [&](const FilterChain& c) {
            return (c.http_alpn && http_plaintext) || (c.istio_alpn && tls) || (c.alpn & alpn_bit) != 0 ? 1 : -1;
          });
  }
  if (n == 1) return &chains[cand[0]];
  if (n > 1) {
    ambiguous = true;
    return &chains[cand[0]];
  }
  return default_chain >= 0 ? &chains[default_chain] : nullptr;
}

}  // namespace istio_lint::simulate
