// gateway.CertificateAnalyzer: two Gateways on the same gateway workload that serve TLS with the
// same certificate. A client that reuses an HTTP/2 connection for the other host gets a 404.

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;

/// A certificate one server presents: its credentialName, or its serverCertificate and privateKey
/// files (both required, as istioctl compares them).
struct CertUse {
  size_t gateway;  // index into the (namespace, name) ordered Gateway list
  const model::Str* at;
};

/// Every pair of `a` is in `b`: each workload `b` selects is selected by `a` as well.
bool subset(const model::Labels& a, const model::Labels& b) {
  return std::all_of(a.begin(), a.end(), [&](const auto& kv) {
    auto it = b.find(kv.first);
    return it != b.end() && it->second == kv.second;
  });
}

class CertificateAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.CertificateAnalyzer",
        "Checks a gateway certificate",
        {Kind::Gateway},
        {Code::IST0138}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const std::vector<const Gateway*> gws = g.typed<Gateway>(Kind::Gateway);

    // certificate -> the servers presenting it, in Gateway order then server order.
    std::map<std::string, std::vector<CertUse>> by_cert;
    for (size_t i = 0; i < gws.size(); ++i) {
      for (const model::GatewayServer& s : gws[i]->servers) {
        if (!s.tls) continue;
        const model::ServerTls& tls = *s.tls;
        std::set<std::string> keys;  // one use per certificate and server
        auto add = [&](std::string key, const model::Str& at) {
          if (keys.insert(key).second) by_cert[std::move(key)].push_back({i, &at});
        };
        if (!tls.credential_name.empty()) add("credential " + tls.credential_name.value, tls.credential_name);
        for (const model::Str& n : tls.credential_names) add("credential " + n.value, n);
        if (tls.credential_name.empty() && tls.credential_names.empty() && !tls.server_certificate.empty() &&
            !tls.private_key.empty()) {
          add("files " + tls.server_certificate.value + '\n' + tls.private_key.value, tls.server_certificate);
        }
      }
    }

    std::map<size_t, std::vector<const model::Workload*>> selected;  // computed on demand
    auto workloadsOf = [&](size_t i) -> const std::vector<const model::Workload*>& {
      auto it = selected.find(i);
      if (it == selected.end()) it = selected.emplace(i, gateway::selectedWorkloads(g, *gws[i])).first;
      return it->second;
    };

    // Gateways a and b run on a common workload when a's selector is contained in b's (as istioctl
    // decides, reporting a, the broader one), or, when neither contains the other, when some
    // workload in the inputs is selected by both (reported on both). Candidates come from indexes
    // over the servers sharing the certificate, so the cost follows the findings.
    std::set<std::pair<size_t, size_t>> reported;
    for (const auto& entry : by_cert) {
      const auto& uses = entry.second;  // a plain reference: lambdas below capture it
      if (uses.size() < 2) continue;
      std::map<std::pair<std::string, std::string>, std::vector<size_t>> by_label;  // -> uses, ascending
      std::map<const model::Workload*, std::vector<size_t>> by_workload;           // lookup only
      for (size_t u = 0; u < uses.size(); ++u) {
        for (const auto& kv : gws[uses[u].gateway]->selector) by_label[kv].push_back(u);
      }
      auto supersetsOf = [&](size_t u) {
        std::vector<size_t> out;
        const model::Labels& sel = gws[uses[u].gateway]->selector;
        if (sel.empty()) {
          for (size_t v = 0; v < uses.size(); ++v) out.push_back(v);
          return out;
        }
        bool first = true;
        for (const auto& kv : sel) {
          const std::vector<size_t>& list = by_label[kv];
          if (first) {
            out = list;
            first = false;
          } else {
            std::vector<size_t> both;
            std::set_intersection(out.begin(), out.end(), list.begin(), list.end(), std::back_inserter(both));
            out.swap(both);
          }
        }
        return out;
      };
      bool workloads_indexed = false;
      auto sharingWorkload = [&](size_t u) {
        if (!workloads_indexed) {
          for (size_t v = 0; v < uses.size(); ++v) {
            for (const model::Workload* w : workloadsOf(uses[v].gateway)) by_workload[w].push_back(v);
          }
          workloads_indexed = true;
        }
        std::set<size_t> out;
        for (const model::Workload* w : workloadsOf(uses[u].gateway)) out.insert(by_workload[w].begin(), by_workload[w].end());
        return out;
      };

      for (size_t u = 0; u < uses.size(); ++u) {
        std::set<size_t> peers;  // uses whose Gateway shares a workload with this one
        for (size_t v : supersetsOf(u)) peers.insert(v);
        const model::Labels& mine = gws[uses[u].gateway]->selector;
        for (size_t v : sharingWorkload(u)) {
          if (!subset(gws[uses[v].gateway]->selector, mine)) peers.insert(v);
        }
        for (size_t v : peers) {
          size_t a = uses[u].gateway, b = uses[v].gateway;
          if (a == b || !reported.insert({a, b}).second) continue;
          const Gateway& gw = *gws[a];
          const Gateway& other = *gws[b];
          rules::Finding& f = ctx.report(Code::IST0138, gw, uses[u].at->span,
                                         "[" + gw.qualifiedName() + " " + other.qualifiedName() + "]");
          f.message += " Both run on the same gateway workload: give each Gateway its own certificate, or "
                       "serve both hosts from one server of one Gateway";
          f.notes.push_back({"gateway " + other.qualifiedName() + " uses the same certificate here", uses[v].at->span});
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayCertificateAnalyzer() { return std::make_unique<CertificateAnalyzer>(); }

}  // namespace istio_lint::analyzers
