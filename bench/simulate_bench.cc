// Routing decisions per second on one core: loads a directory (e.g. bench/gen_mesh.py's 10k mesh),
// compiles the routing model, then decides a fixed mix of gateway, sidecar (outbound) and sidecar
// inbound requests in a loop.
//
//   simulate_bench DIR [--seconds S] [--kinds gateway,sidecar,inbound]

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "model/loader.h"
#include "model/mesh_graph.h"
#include "simulate/routing_model.h"

using namespace istio_lint;
using Clock = std::chrono::steady_clock;

namespace {

struct Sample {
  const simulate::Proxy* proxy;
  std::string host, path;
  uint32_t port;
  bool tls;
  bool inbound = false;  // at the sidecar's virtualInbound, over Istio mTLS
};

double cpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double run(const std::vector<Sample>& samples, double seconds, uint64_t& decisions, uint64_t& routed, double& cpu) {
  std::vector<simulate::Request> reqs;
  for (const Sample& s : samples) {
    simulate::Request r;
    r.host = s.host;
    r.path = s.path;
    r.port = s.port;
    r.has_random = true;
    if (s.inbound) {
      r.inbound = true;
      r.tls = simulate::TlsMode::Mtls;
    } else if (s.tls) {
      r.tls = simulate::TlsMode::Tls;
      r.sni = s.host;
    }
    reqs.push_back(r);
  }
  auto start = Clock::now();
  double cpu0 = cpuSeconds();
  double elapsed = 0;
  uint64_t n = 0, ok = 0;
  while (elapsed < seconds) {
    for (size_t i = 0; i < reqs.size(); ++i) {
      reqs[i].random = n;
      simulate::Decision d = simulate::decide(*samples[i].proxy, reqs[i]);
      ok += d.cluster != nullptr || d.route != nullptr;
      ++n;
    }
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  decisions = n;
  routed = ok;
  cpu = cpuSeconds() - cpu0;
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: simulate_bench DIR [--seconds S] [--kinds gateway,sidecar,inbound]\n");
    return 2;
  }
  double seconds = 3;
  std::string kinds = "gateway,sidecar,inbound";
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--seconds") seconds = std::atof(argv[i + 1]);
    if (std::string(argv[i]) == "--kinds") kinds = argv[i + 1];
  }
  model::LoadOptions lo;
  lo.default_namespace = "default";
  model::GraphOptions go;
  go.default_ingress = model::DefaultIngress::Off;
  auto t0 = Clock::now();
  model::MeshGraph graph = model::MeshGraph::build(model::load({{argv[1], std::nullopt}}, lo), go);
  auto t1 = Clock::now();
  // Sidecars: one workload per namespace (a namespace's workloads share one scope).
  simulate::ModelOptions mo;
  mo.sidecars = std::vector<std::string>{};
  std::string last_ns;
  for (const model::Workload* w : graph.workloads().all()) {
    if (w->ns() == last_ns || w->ns() == "istio-system") continue;
    last_ns = w->ns();
    mo.sidecars->push_back(w->ns() + "/" + w->name());
    if (mo.sidecars->size() >= 8) break;
  }
  auto m = simulate::RoutingModel::build(graph, mo);
  auto t2 = Clock::now();

  std::vector<Sample> gw, sc, in;
  const std::vector<std::string> paths{"/", "/api/v1/items?id=3", "/static/app.js", "/admin"};
  for (const auto& p : m->proxies()) {
    bool is_gw = p->id.type == simulate::ProxyIdentity::Type::Gateway;
    if (p->virtual_inbound >= 0) {
      // Inbound: each port with chains of its own, plus one the passthrough chains take.
      std::set<uint32_t> ports{15999};
      for (const simulate::FilterChain& c : p->listeners[static_cast<size_t>(p->virtual_inbound)].chains) {
        if (c.destination_port != 0 && c.destination_port != 15006) ports.insert(c.destination_port);
      }
      for (uint32_t port : ports) {
        for (const std::string& path : paths) in.push_back({p.get(), "", path, port, false, true});
      }
    }
    for (const simulate::Listener& l : p->listeners) {
      for (const simulate::FilterChain& c : l.chains) {
        bool tls = c.termination == simulate::FilterChain::Termination::Simple;
        if (c.route_config == nullptr || (c.termination != simulate::FilterChain::Termination::None && !tls)) continue;
        for (const simulate::VirtualHost& v : c.route_config->vhosts) {
          if (v.domains.empty() || v.domains[0] == "*") continue;
          for (const std::string& path : paths) {
            auto& out = is_gw ? gw : sc;
            if (out.size() < 20000) out.push_back({p.get(), v.domains[0], path, l.port, tls});
          }
        }
      }
    }
  }
  std::printf("mesh: %zu resources, load+graph %.2fs, routing model %.2fs (%zu proxies)\n", graph.size(),
              std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count(),
              m->proxies().size());
  for (auto [name, samples] :
       {std::pair<const char*, std::vector<Sample>*>{"gateway", &gw}, {"sidecar", &sc}, {"inbound", &in}}) {
    if (("," + kinds + ",").find("," + std::string(name) + ",") == std::string::npos) continue;
    if (samples->empty()) {
      std::printf("%s: no requests\n", name);
      continue;
    }
    uint64_t n = 0, routed = 0;
    double cpu = 0;
    double s = run(*samples, seconds, n, routed, cpu);
    std::printf("%s: %zu distinct requests, %llu decisions in %.2fs wall / %.2fs CPU = %.2f million decisions/s "
                "per CPU second (%.2f per wall second; %.0f%% reach a route)\n",
                name, samples->size(), static_cast<unsigned long long>(n), s, cpu, static_cast<double>(n) / cpu / 1e6,
                static_cast<double>(n) / s / 1e6, 100.0 * static_cast<double>(routed) / static_cast<double>(n));
  }
  return 0;
}
