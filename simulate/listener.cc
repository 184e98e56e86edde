#include "simulate/listener.h"

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
  sni_lists_.clear();
  sni_exact_.clear();
  sni_wildcard_.clear();
  unnamed_.clear();
  any_named_ = any_prefix_ = false;
  StringMap<uint32_t> wildcards;  // suffix -> list
  auto addTo = [&](uint32_t list, uint32_t chain) {
    std::vector<uint32_t>& l = sni_lists_[list];
    if (l.empty() || l.back() != chain) l.push_back(chain);  // a name listed twice in one chain
  };
  for (uint32_t i = 0; i < chains.size(); ++i) {
    const FilterChain& c = chains[i];
    if (static_cast<int>(i) == default_chain) continue;
    any_prefix_ = any_prefix_ || !c.prefix_ranges.empty();
    if (c.server_names.empty()) {
      unnamed_.push_back(i);
      continue;
    }
    any_named_ = true;
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

const FilterChain* Listener::match(std::string_view address, std::string_view sni, bool tls, bool http_plaintext,
                                   bool& ambiguous) const {
  ambiguous = false;
  // Scratch of the thread, grown to the largest listener seen: no allocation once warm.
  thread_local std::vector<uint32_t> cand;
  thread_local std::vector<int> rank;
  if (cand.size() < chains.size()) {
    cand.resize(chains.size());
    rank.resize(chains.size());
  }
  size_t n = 0;
  auto keepAll = [&](const std::vector<uint32_t>& list) {
    for (uint32_t c : list) cand[n++] = c;
  };
  // Without prefix ranges the server-name step is a lookup: the chains naming the SNI exactly,
  // else those with its longest wildcard suffix, else those naming no server.
  const bool by_lookup = indexed_ && !any_prefix_;
  if (by_lookup && any_named_) {
    const std::vector<uint32_t>* named = nullptr;
    if (tls && !sni.empty()) {
      if (auto it = sni_exact_.find(sni); it != sni_exact_.end()) {
        named = &sni_lists_[it->second];
      } else if (auto w = sni_wildcard_.find(sni)) {
        named = &sni_lists_[*w];
      }
    }
    keepAll(named ? *named : unnamed_);
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
  if (!by_lookup) {
    sieve([](const FilterChain& c) { return !c.prefix_ranges.empty(); },
          [&](const FilterChain& c) {
            int best = -1;
            for (const std::string& p : c.prefix_ranges) best = std::max(best, cidrMatch(p, address));
            return best;
          });
    sieve([](const FilterChain& c) { return !c.server_names.empty(); },
          [&](const FilterChain& c) {
            int best = -1;
            if (!tls || sni.empty()) return best;
            for (const std::string& s : c.server_names) best = std::max(best, sniRank(s, sni));
            return best;
          });
  }
  sieve([](const FilterChain& c) { return c.transport != FilterChain::Transport::Any; },
        [&](const FilterChain& c) { return (c.transport == FilterChain::Transport::Tls) == tls ? 1 : -1; });
  sieve([](const FilterChain& c) { return c.http_alpn || c.istio_alpn; },
        [&](const FilterChain& c) { return (c.http_alpn && http_plaintext) || (c.istio_alpn && tls) ? 1 : -1; });
  if (n == 1) return &chains[cand[0]];
  if (n > 1) {
    ambiguous = true;
    return &chains[cand[0]];
  }
  return default_chain >= 0 ? &chains[default_chain] : nullptr;
}

}  // namespace istio_lint::simulate
