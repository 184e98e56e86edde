// Manifest bytes through the routing model: load, build the graph, compile the model for every
// gateway and sidecar, then decide and trace requests for the hosts the input declares (each
// VirtualService host, also of those generated from Ingresses, on ports 80 and 443, plaintext
// HTTP and TLS with that SNI, with and without a random value for weighted splits, and at the
// sidecars' inbound side in plaintext and Istio mTLS), and one host that is declared nowhere;
// outbound requests are also followed into one sidecar's inbound side.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz/harness.h"
#include "model/loader.h"
#include "model/mesh_graph.h"
#include "model/resources/networking.h"
#include "simulate/routing_model.h"
#include "simulate/trace.h"

ISTIO_LINT_FUZZ_TARGET(bytes) {
  using namespace istio_lint;
  using fuzz::require;
  model::LoadOptions lo;
  lo.threads = 1;
  lo.default_namespace = "default";
  model::MeshGraph graph = model::MeshGraph::build(model::load({{"input.yaml", std::string(bytes)}}, lo), {});
  std::unique_ptr<simulate::RoutingModel> m = simulate::RoutingModel::build(graph, {});
  require(m != nullptr, "RoutingModel::build returned nothing");

  std::vector<std::string> hosts = {"undeclared.example.org"};
  std::vector<const model::VirtualService*> vss = graph.typed<model::VirtualService>(model::Kind::VirtualService);
  for (const auto& generated : m->ingress().virtual_services) vss.push_back(generated.virtual_service.get());
  for (const model::VirtualService* vs : vss) {
    for (const model::Str& h : vs->hosts) {
      if (hosts.size() < 16) hosts.push_back(h.value);
    }
  }
  const simulate::Header header{"x-fuzz", "1"};
  // The last sidecar with an inbound side: where outbound requests are also followed to.
  const simulate::Proxy* deliver = nullptr;
  for (const auto& proxy : m->proxies()) {
    if (proxy->id.type == simulate::ProxyIdentity::Type::Sidecar && proxy->virtual_inbound >= 0) deliver = proxy.get();
  }
  size_t proxies = 0;
  for (const auto& proxy : m->proxies()) {
    if (++proxies > 8) break;
    for (const std::string& host : hosts) {
      for (uint32_t port : {80u, 443u}) {
        for (int variant = 0; variant < 5; ++variant) {
          simulate::Request r;
          r.host = host;
          r.port = port;
          r.path = variant == 2 ? std::string_view("/api/v1?x=1") : std::string_view("/");
          r.headers = &header;
          r.header_count = 1;
          if (variant == 1) {
            r.tls = simulate::TlsMode::Tls;
            r.sni = host;
          }
          r.has_random = variant == 2;
          r.inbound = variant >= 3;
          if (variant == 4) r.tls = simulate::TlsMode::Mtls;
          r.random = bytes.size();
          simulate::Decision d = simulate::decide(*proxy, r);
          require(d.split == nullptr || d.split_count > 0, "a weighted split without choices");
          simulate::Trace t = simulate::traceRequest(*m, *proxy, r);
          require(!t.hops.empty() || t.exit_kind == "none", "a trace leaves the mesh without a hop");
          require(t.hops.size() <= 4, "a trace has more hops than its limit");
          if (deliver != nullptr && !r.inbound) {
            // Followed into a sidecar's inbound side (simulate --from A --to B).
            t = simulate::traceRequest(*m, *proxy, r, 4, deliver);
            require(t.hops.size() <= 4, "a delivered trace has more hops than its limit");
            for (size_t i = 1; i < t.hops.size(); ++i) {
              require(t.hops[i].proxy != deliver->id.name || t.hops[i].listener.empty() ||
                          t.hops[i].listener == "virtualInbound",
                      "a request followed into a sidecar did not arrive at its inbound side");
            }
          }
        }
      }
    }
  }
}
