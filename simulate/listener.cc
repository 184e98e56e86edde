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

/// An IPv4 or IPv6 address as bytes (4 or 16 of them); false when it is neither.
bool parseIp(std::string_view s, std::array<uint8_t, 16>& out, size_t& len) {
  uint32_t v4 = 0;
  if (parseIpv4(s, v4)) {
    for (int i = 0; i < 4; ++i) out[static_cast<size_t>(i)] = static_cast<uint8_t>(v4 >> (24 - 8 * i));
    len = 4;
    return true;
  }
  if (s.empty() || s.find(':') == std::string_view::npos) return false;
  // IPv6: up to eight groups, one "::" gap, optionally a dotted IPv4 tail.
  std::array<uint16_t, 8> head{}, tail{};
  size_t nh = 0, nt = 0;
  bool gap = false;
  size_t i = 0;
  if (s.starts_with("::")) {
    gap = true;
    i = 2;
  }
  while (i < s.size()) {
    size_t end = s.find(':', i);
    std::string_view group = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    auto& groups = gap ? tail : head;
    size_t& n = gap ? nt : nh;
    if (group.find('.') != std::string_view::npos) {  // embedded IPv4, last
      uint32_t e = 0;
      if (end != std::string_view::npos || !parseIpv4(group, e) || n + 2 > 8) return false;
      groups[n++] = static_cast<uint16_t>(e >> 16);
      groups[n++] = static_cast<uint16_t>(e & 0xffff);
      break;
    }
    if (group.empty() || group.size() > 4 || n >= 8) return false;
    uint32_t v = 0;
    for (char c : group) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    groups[n++] = static_cast<uint16_t>(v);
    if (end == std::string_view::npos) break;
    if (end + 1 < s.size() && s[end + 1] == ':') {
      if (gap) return false;
      gap = true;
      i = end + 2;
    } else {
      if (end + 1 == s.size()) return false;
      i = end + 1;
    }
  }
  if (gap ? nh + nt > 7 : nh != 8) return false;
  std::array<uint16_t, 8> g{};
  for (size_t k = 0; k < nh; ++k) g[k] = head[k];
  for (size_t k = 0; k < nt; ++k) g[8 - nt + k] = tail[k];
  for (size_t k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<uint8_t>(g[k] >> 8);
    out[2 * k + 1] = static_cast<uint8_t>(g[k] & 0xff);
  }
  len = 16;
  return true;
}

/// A CIDR ("10.0.0.0/8", "2001:db8::/32") or a single address as network bytes and prefix length.
bool parseCidr(std::string_view cidr, std::array<uint8_t, 16>& net, size_t& len, int& bits) {
  size_t slash = cidr.find('/');
  if (!parseIp(cidr.substr(0, slash), net, len)) return false;
  bits = static_cast<int>(len * 8);
  if (slash != std::string_view::npos) {
    std::string_view b = cidr.substr(slash + 1);
    if (b.empty() || b.size() > 3) return false;
    bits = 0;
    for (char c : b) {
      if (c < '0' || c > '9') return false;
      bits = bits * 10 + (c - '0');
    }
    if (bits > static_cast<int>(len * 8)) return false;
  }
  return true;
}

bool samePrefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int bits) {
  size_t full = static_cast<size_t>(bits / 8);
  for (size_t k = 0; k < full; ++k) {
    if (a[k] != b[k]) return false;
  }
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

/// Prefix length of the CIDR (or IP) that contains `address`; -1 when it does not.
int cidrMatch(std::string_view cidr, std::string_view address) {
  std::array<uint8_t, 16> net{}, ip{};
  size_t net_len = 0, ip_len = 0;
  int bits = 0;
  if (!parseCidr(cidr, net, net_len, bits) || !parseIp(address, ip, ip_len)) {
    return cidr.substr(0, cidr.find('/')) == address ? 128 : -1;
  }
  if (net_len != ip_len) return -1;
  return samePrefix(net, ip, bits) ? bits : -1;
}

}  // namespace

bool sameCidr(std::string_view a, std::string_view b) {
  std::array<uint8_t, 16> na{}, nb{};
  size_t la = 0, lb = 0;
  int ba = 0, bb = 0;
  if (!parseCidr(a, na, la, ba) || !parseCidr(b, nb, lb, bb)) return a == b;
  return la == lb && ba == bb && samePrefix(na, nb, ba);
}

std::string cidrKey(std::string_view cidr) {
  std::array<uint8_t, 16> net{};
  size_t len = 0;
  int bits = 0;
  if (!parseCidr(cidr, net, len, bits)) return "raw:" + std::string(cidr);
  std::string key = "net:";
  key += static_cast<char>(len);
  key += static_cast<char>(bits);
  for (size_t k = 0; k < len; ++k) {
    const int keep = std::clamp(bits - static_cast<int>(k) * 8, 0, 8);
    key += static_cast<char>(net[k] & static_cast<uint8_t>(0xff00 >> keep));
  }
  return key;
}

namespace {

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
  alpn_lists_ = false;
  for (const FilterChain& c : chains) {
    alpn_lists_ = alpn_lists_ || c.alpn != 0;
    if (c.destination_port != 0) criteria_ |= kDestPort;
    if (!c.prefix_ranges.empty()) criteria_ |= kPrefix;
    if (!c.server_names.empty()) criteria_ |= kSni;
    if (c.transport != FilterChain::Transport::Any) criteria_ |= kTransport;
    if (c.http_alpn || c.istio_alpn || c.alpn != 0) criteria_ |= kAlpn;
  }
  // The server-name index of the chains other than the default one.
  sni_lists_.clear();
  sni_exact_.clear();
  sni_wildcard_.clear();
  unnamed_.clear();
  StringMap<uint32_t> wildcards;  // suffix -> list
  auto addTo = [&](uint32_t list, uint32_t chain) {
    std::vector<uint32_t>& l = sni_lists_[list];
    if (l.empty() || l.back() != chain) l.push_back(chain);  // a name listed twice in one chain
  };
  for (uint32_t i = 0; i < chains.size(); ++i) {
    const FilterChain& c = chains[i];
    if (static_cast<int>(i) == default_chain) continue;
    if (c.server_names.empty()) {
      unnamed_.push_back(i);
      continue;
    }
    for (const std::string& name : c.server_names) {
      if (name.size() > 1 && name[0] == '*') {
        // Wildcards: the suffix after '*', found later by the longest-suffix lookup.
        auto [it, inserted] = wildcards.emplace(name.substr(1), static_cast<uint32_t>(sni_lists_.size()));
        if (inserted) sni_lists_.emplace_back();
        addTo(it->second, i);
      } else if (name != "*") {
        auto [it, inserted] = sni_exact_.emplace(name, static_cast<uint32_t>(sni_lists_.size()));
        if (inserted) sni_lists_.emplace_back();
        addTo(it->second, i);
      }
    }
  }
  for (const auto& [suffix, list] : wildcards) sni_wildcard_.add(suffix, list);
  sni_wildcard_.finish();
  indexed_ = true;
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
  // Scratch of the thread, grown to the largest listener seen: no allocation once warm.
  thread_local std::vector<uint32_t> cand;
  thread_local std::vector<int> rank;
  if (cand.size() < chains.size()) {
    cand.resize(chains.size());
    rank.resize(chains.size());
  }
  size_t n = 0;
  // Without destination ports and prefix ranges the server-name step is a lookup: the chains
  // naming the SNI exactly, else those with its longest wildcard suffix, else those naming no
  // server.
  const bool by_lookup = indexed_ && (criteria_ & (kDestPort | kPrefix)) == 0;
  if (by_lookup && (criteria_ & kSni)) {
    const std::vector<uint32_t>* named = nullptr;
    if (tls && !sni.empty()) {
      if (auto it = sni_exact_.find(sni); it != sni_exact_.end()) {
        named = &sni_lists_[it->second];
      } else if (auto w = sni_wildcard_.find(sni)) {
        named = &sni_lists_[*w];
      }
    }
    for (uint32_t c : named ? *named : unnamed_) cand[n++] = c;
  } else {
    for (size_t i = 0; i < chains.size(); ++i) {
      if (static_cast<int>(i) != default_chain) cand[n++] = static_cast<uint32_t>(i);
    }
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
  if ((criteria_ & kSni) && !by_lookup) {
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
