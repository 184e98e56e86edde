// gateway.ConflictingGatewayAnalyzer: two Gateways that serve the same host on the same port and
// bind address on a workload they both select.

#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;

/// One host of one server: the unit istiod compares when it merges the servers of a workload.
struct HostEntry {
  size_t gateway;  // index into the (namespace, name) ordered Gateway list
  size_t server;
  const model::Str* host;
};

class ConflictingGatewayAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.ConflictingGatewayAnalyzer",
        "Checks a gateway's selector, port number and hosts",
        {Kind::Gateway, Kind::Pod},
        {Code::IST0101, Code::IST0145}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const std::vector<const Gateway*> gws = g.typed<Gateway>(Kind::Gateway);
    std::vector<std::vector<const model::Workload*>> selected(gws.size());

    // (port, bind, host) -> every server host that claims it. Hosts are compared as written, as
    // istiod's CheckDuplicates does: `*.example.com` and `a.example.com` are different hosts.
    std::map<std::tuple<uint32_t, std::string, std::string>, std::vector<HostEntry>> claims;
    for (size_t i = 0; i < gws.size(); ++i) {
      const Gateway& gw = *gws[i];
      selected[i] = gateway::selectedWorkloads(g, gw);
      if (selected[i].empty()) {
        gateway::reportSelectorNotFound(ctx, gw);
        continue;
      }
      for (size_t s = 0; s < gw.servers.size(); ++s) {
        const model::GatewayServer& server = gw.servers[s];
        if (server.port == 0) continue;
        std::set<std::string> seen;
        for (const model::Str& h : server.hosts) {
          if (!seen.insert(h.value).second) continue;
          claims[{server.port, server.bind.value, h.value}].push_back({i, s, &h});
        }
      }
    }

    // Conflicts per server: the other Gateways and the first shared host of each. Two Gateways
    // conflict only when some workload runs both; the workloads of each claim are looked up once.
    struct Conflict {
      std::map<size_t, const model::Str*> others;  // gateway index -> its host
      const model::Str* first_host = nullptr;
    };
    std::map<std::pair<size_t, size_t>, Conflict> conflicts;  // (gateway, server)
    for (const auto& [key, entries] : claims) {
      if (entries.size() < 2) continue;
      std::unordered_map<const model::Workload*, std::vector<size_t>> by_workload;  // lookup only
      for (size_t e = 0; e < entries.size(); ++e) {
        for (const model::Workload* w : selected[entries[e].gateway]) by_workload[w].push_back(e);
      }
      for (size_t e = 0; e < entries.size(); ++e) {
        const HostEntry& me = entries[e];
        std::set<size_t> peers;
        for (const model::Workload* w : selected[me.gateway]) {
          for (size_t other : by_workload[w]) {
            if (entries[other].gateway != me.gateway) peers.insert(other);
          }
        }
        if (peers.empty()) continue;
        Conflict& c = conflicts[{me.gateway, me.server}];
        for (size_t other : peers) c.others.emplace(entries[other].gateway, entries[other].host);
        if (c.first_host == nullptr || c.first_host->span > me.host->span) c.first_host = me.host;
      }
    }

    for (const auto& [at, c] : conflicts) {
      const Gateway& gw = *gws[at.first];
      const model::GatewayServer& server = gw.servers[at.second];
      std::string names, hosts;
      for (const auto& [other, host] : c.others) names += (names.empty() ? "" : ",") + gws[other]->qualifiedName();
      for (const model::Str& h : server.hosts) hosts += (hosts.empty() ? "" : ",") + h.value;
      rules::Finding& f = ctx.report(Code::IST0145, gw, c.first_host->span, names,
                                     gateway::selectorString(gw.selector), std::to_string(server.port), hosts);
      f.message += " Both Gateways serve the host on this port of the same gateway workload, where istiod drops "
                   "one of the servers (TLS), rejects one (mixed protocols) or merges their routes in no defined "
                   "order (HTTP): serve the host on this port from one Gateway, or give the Gateways different "
                   "workloads";
      for (const auto& [other, host] : c.others) {
        f.notes.push_back({"gateway " + gws[other]->qualifiedName() + " also serves \"" + host->value +
                               "\" on port " + std::to_string(server.port) + " for the same workload",
                           host->span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayConflictingGatewayAnalyzer() { return std::make_unique<ConflictingGatewayAnalyzer>(); }

}  // namespace istio_lint::analyzers
