// gateway.DuplicateSniAnalyzer (IL1007): two TLS servers on the same gateway workload, port and
// bind address claim the same SNI host. Envoy selects a filter chain by SNI, so only one of the
// servers (and its certificate and routes) can ever be chosen for that host.
//
// gateway.ConflictingGatewayAnalyzer (IST0145) already reports two different Gateways whose host
// strings are equal as written; this analyzer reports what it does not: duplicates inside one
// Gateway, and hosts that differ as written but are the same SNI name (a `ns/` prefix, letter case).

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;

struct Claim {
  size_t gateway;  // index into the (namespace, name) ordered Gateway list
  const model::GatewayServer* server;
  const model::Str* host;
};

/// The SNI name a server host stands for: without its `ns/` prefix, lower case.
std::string sniName(std::string_view host) {
  size_t slash = host.find('/');
  return model::asciiLower(slash == std::string_view::npos ? host : host.substr(slash + 1));
}

/// Whether the server's filter chains are selected by SNI: HTTPS and TLS servers.
bool matchesBySni(const model::GatewayServer& s) {
  const std::string p = model::asciiUpper(s.protocol.value);
  return p == "HTTPS" || p == "TLS";
}

std::string describe(const Gateway& gw, const model::GatewayServer& s) {
  return "Gateway " + gw.qualifiedName() + (s.port_name.empty() ? "" : " server " + s.port_name.value) +
         " (port " + std::to_string(s.port) + (s.tls && !s.tls->mode.empty() ? ", " + s.tls->mode.value : "") + ")";
}

class DuplicateSniAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.DuplicateSniAnalyzer",
        "Checks that no two TLS servers of a gateway workload claim the same SNI host on one port",
        {Kind::Gateway, Kind::Pod},
        {Code::IL1007}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const std::vector<const Gateway*> gws = g.typed<Gateway>(Kind::Gateway);
    std::vector<std::vector<const model::Workload*>> selected(gws.size());
    // (port, bind, SNI name) -> the server hosts claiming it, in Gateway then source order.
    std::map<std::tuple<uint32_t, std::string, std::string>, std::vector<Claim>> claims;
    for (size_t i = 0; i < gws.size(); ++i) {
      selected[i] = gateway::selectedWorkloads(g, *gws[i]);
      if (selected[i].empty()) continue;  // IST0101, reported by the other gateway analyzers
      for (const model::GatewayServer& s : gws[i]->servers) {
        if (s.port == 0 || !matchesBySni(s)) continue;
        for (const model::Str& h : s.hosts) {
          std::string sni = sniName(h.value);
          if (sni.empty() || sni == "*") continue;
          claims[{s.port, s.bind.value, std::move(sni)}].push_back({i, &s, &h});
        }
      }
    }
    for (auto& [key, list] : claims) {
      if (list.size() < 2) continue;
      std::stable_sort(list.begin(), list.end(), [](const Claim& a, const Claim& b) { return a.host->span < b.host->span; });
      // Each claim is reported against the first earlier claim on a common workload.
      std::unordered_map<const model::Workload*, size_t> first_on;  // workload -> first claim
      for (size_t e = 0; e < list.size(); ++e) {
        const Claim& me = list[e];
        std::optional<size_t> earlier;
        for (const model::Workload* w : selected[me.gateway]) {
          auto [it, inserted] = first_on.try_emplace(w, e);
          if (!inserted && (!earlier || it->second < *earlier)) earlier = it->second;
        }
        if (!earlier) continue;
        const Claim& other = list[*earlier];
        if (other.host == me.host) continue;
        // Different Gateways, same host as written: IST0145 reports it.
        if (other.gateway != me.gateway && other.host->value == me.host->value) continue;
        if (other.server == me.server) continue;  // the same host twice in one server: one SNI match
        const Gateway& gw = *gws[me.gateway];
        rules::Finding& f = ctx.report(Code::IL1007, gw, me.host->span, std::get<2>(key), std::get<0>(key),
                                       describe(gw, *me.server), describe(*gws[other.gateway], *other.server));
        f.notes.push_back({"the host is claimed first here", other.host->span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayDuplicateSniAnalyzer() { return std::make_unique<DuplicateSniAnalyzer>(); }

}  // namespace istio_lint::analyzers
