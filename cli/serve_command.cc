// `istio-lint serve PATHS --gateway NS/NAME`: the gateway's plaintext HTTP and TLS passthrough
// listeners on 127.0.0.1, routing real requests by the compiled routing model (docs/serve.md).

#include <signal.h>

#include <iostream>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/parse_args.h"
#include "cli/request_line.h"
#include "cli/simulate_inputs.h"
#include "cli/simulate_output.h"
#include "model/port_number.h"
#include "serve/server.h"
#include "simulate/ingress.h"
#include "simulate/listener.h"
#include "simulate/routing_model.h"

namespace istio_lint::cli {
namespace {

serve::Server* g_server = nullptr;

extern "C" void onStopSignal(int) {
  if (g_server != nullptr) g_server->stop();
}

/// A listener HTTP/1.1 in plaintext can enter: one of its chains takes raw HTTP.
bool servesPlaintextHttp(const simulate::Listener& l) {
  for (const simulate::FilterChain& c : l.chains) {
    if (c.route_config != nullptr && c.termination == simulate::FilterChain::Termination::None &&
        c.transport != simulate::FilterChain::Transport::Tls) {
      return true;
    }
  }
  return false;
}

/// A listener with a chain that passes TLS through by SNI (a PASSTHROUGH server, a VirtualService
/// tls route): serve routes its connections by the ClientHello and relays them.
bool servesTlsPassthrough(const simulate::Listener& l) {
  for (const simulate::FilterChain& c : l.chains) {
    if (c.route_config == nullptr && c.termination == simulate::FilterChain::Termination::None &&
        (c.transport == simulate::FilterChain::Transport::Tls || !c.server_names.empty())) {
      return true;
    }
  }
  return false;
}

/// A --listen local port: a port number, or 0 for any free one.
std::optional<uint32_t> parseLocalPort(std::string_view s) { return s == "0" ? 0 : model::parsePortNumber(s); }

}  // namespace

int runServe(const Args& args) {
  std::vector<std::string> paths, listen_specs, upstream_specs;
  std::string gateway, mesh_config_file;
  unsigned workers = 1;
  uint64_t seed = 0;
  bool access_log = false;
  CLI::App app{"Serve a gateway's listeners on 127.0.0.1 (plaintext HTTP/1.1, and TLS passed through by SNI),\n"
               "routing real requests by the same compiled tables as simulate and replay: virtual hosts, routes,\n"
               "weights, redirects, rewrites, header operations, direct responses, faults, timeouts and retries.\n"
               "Clusters answer from a built-in upstream (JSON: which cluster, what it received) unless --upstream\n"
               "names a real server (TLS passthrough needs one). Ctrl-C stops it.\n\n"
               "Examples:\n"
               "  istio-lint serve ./manifests --gateway istio-system/public-gw     # listener 8080 on 127.0.0.1:8080\n"
               "  curl -H 'Host: shop.example.com' http://127.0.0.1:8080/api\n"
               "  istio-lint serve ./manifests --gateway istio-system/public-gw --listen 8080=9000 \\\n"
               "      --upstream 'outbound|8080||api.shop.svc.cluster.local=127.0.0.1:3000' --access-log",
               "istio-lint serve"};
  app.add_option("paths", paths, "Files or directories (recursive: .yaml .yml .json)");
  app.add_option("--gateway", gateway, "The Gateway whose workload to serve (NS/NAME)")->required();
  app.add_option("--listen", listen_specs,
                 "PORT=LOCAL: serve the gateway's listener on PORT at 127.0.0.1:LOCAL (0: any free port). Default: "
                 "the same port, or PORT+8000 below 1024");
  app.add_option("--upstream", upstream_specs,
                 "CLUSTER=127.0.0.1:PORT: send a cluster's requests to a real server (TLS passthrough: the only "
                 "way). CLUSTER: a cluster name (outbound|80|v1|reviews.ns.svc.cluster.local), a service host "
                 "(every port and subset), or *");
  app.add_option("--workers", workers, "Event loops (threads), each accepting on every port (default 1)");
  app.add_flag("--access-log", access_log, "One line per request on stderr, in Istio's default access log format");
  app.add_option("--seed", seed, "Seed for weighted splits and fault percentages (default: the clock)");
  app.add_option("--meshConfigFile", mesh_config_file, "MeshConfig file overriding the one found in the inputs");
  if (std::optional<int> stop = parseArgs(app, args, "serve")) return *stop;
  if (paths.empty()) {
    std::cerr << "istio-lint serve: no input; give the manifests as files or directories\n";
    return kExitUsage;
  }
  if (workers == 0 || workers > 64) {
    std::cerr << "istio-lint serve: --workers must be 1-64\n";
    return kExitUsage;
  }
  LexError lex;
  std::optional<EntryPoint> entry = parseEntryPoint(gateway, EntryPoint::Kind::Gateway, lex);
  if (!entry) {
    std::cerr << "istio-lint serve: --gateway " << gateway << ": " << lex.message << "\n";
    return kExitUsage;
  }
  std::map<uint32_t, uint32_t> listen_map;  // gateway port -> local port
  for (const std::string& spec : listen_specs) {
    const size_t eq = spec.find('=');
    const std::optional<uint32_t> port =
        eq == std::string::npos ? std::nullopt : model::parsePortNumber(std::string_view(spec).substr(0, eq));
    const std::optional<uint32_t> local =
        eq == std::string::npos ? std::nullopt : parseLocalPort(std::string_view(spec).substr(eq + 1));
    if (!port || !local) {
      std::cerr << "istio-lint serve: --listen \"" << spec << "\": expected PORT=LOCAL, e.g. 8080=9000\n";
      return kExitUsage;
    }
    listen_map[*port] = *local;
  }
  serve::ServeOptions options;
  for (const std::string& spec : upstream_specs) {
    std::string error;
    if (!options.upstreams.add(spec, error)) {
      std::cerr << "istio-lint serve: " << error << "\n";
      return kExitUsage;
    }
  }
  options.workers = workers;
  options.access_log = access_log;
  options.seed = seed;

  model::MeshGraph graph = loadRoutingInputs(paths, mesh_config_file, std::cerr);
  // Only the served gateway's workload is compiled: the Gateway named, or the one istiod generates
  // for an Ingress of that name.
  simulate::ModelOptions mo;
  mo.sidecars = std::vector<std::string>{};
  mo.gateways = std::vector<std::string>{
      entry->text(), std::string(simulate::kIngressNamespace) + "/" + simulate::ingressGatewayName(entry->ns, entry->name)};
  auto model = simulate::RoutingModel::build(graph, mo);
  std::string error;
  const simulate::Proxy* proxy = entryProxy(*model, *entry, error);
  if (proxy == nullptr) {
    std::cerr << "istio-lint serve: --gateway: " << error << "\n";
    return kExitUsage;
  }

  // The listeners: plaintext HTTP, or TLS passed through by SNI; the others are named and skipped.
  std::map<uint32_t, bool> served;  // port -> TLS passthrough
  std::set<uint32_t> other_ports;
  for (const simulate::Listener& l : proxy->listeners) {
    if (servesPlaintextHttp(l)) {
      served[l.port] = false;
    } else if (servesTlsPassthrough(l)) {
      served.try_emplace(l.port, true);
    } else {
      other_ports.insert(l.port);
    }
  }
  for (const auto& [p, tls] : served) other_ports.erase(p);
  for (const auto& [port, local] : listen_map) {
    if (!served.count(port)) {
      std::string ports;
      for (const auto& [p, tls] : served) ports += (ports.empty() ? "" : ", ") + std::to_string(p);
      std::cerr << "istio-lint serve: --listen " << port << "=" << local << ": gateway " << entry->text()
                << " has no listener serve can open on port " << port
                << (ports.empty() ? std::string() : "; it listens on " + ports +
                                                        " (a Service's targetPort, not its port)")
                << "\n";
      return kExitUsage;
    }
  }
  for (const auto& [port, tls] : served) {
    uint32_t local = port < 1024 ? port + 8000 : port;
    if (auto it = listen_map.find(port); it != listen_map.end()) local = it->second;
    options.listen.push_back(serve::ListenPort{proxy, port, static_cast<uint16_t>(local), tls});
  }
  if (options.listen.empty()) {
    std::cerr << "istio-lint serve: gateway " << entry->text()
              << " has no plaintext HTTP or TLS passthrough listener"
              << (other_ports.empty() ? "" : " (TLS termination is not served yet)") << "\n";
    return kExitUsage;
  }

  serve::Server server(std::move(options));
  if (!server.open(error)) {
    std::cerr << "istio-lint serve: " << error << "\n";
    return kExitUsage;
  }
  std::cerr << "istio-lint serve: gateway " << entry->text() << " (workload " << proxy->id.name << ")\n";
  size_t i = 0;
  for (const auto& [port, tls] : served) {
    if (tls) {
      std::cerr << "  listener " << port << " (tls passthrough) on 127.0.0.1:" << server.boundPort(i++) << "\n";
    } else {
      std::cerr << "  listener " << port << " (http) on http://127.0.0.1:" << server.boundPort(i++) << "\n";
    }
  }
  for (uint32_t port : other_ports) {
    std::cerr << "  listener " << port << " not served: it terminates TLS (or is plain TCP), which serve does not yet\n";
  }
  std::cerr << "  upstreams: " << (upstream_specs.empty() ? "built-in for every cluster" : "--upstream, else built-in")
            << "\nready; Ctrl-C stops\n"
            << std::flush;
  g_server = &server;
  struct sigaction sa{};
  sa.sa_handler = &onStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  server.run();
  g_server = nullptr;
  return kExitOk;
}

}  // namespace istio_lint::cli
