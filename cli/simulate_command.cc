// `istio-lint simulate PATHS`: where does one request go, and why. Loads the manifests, compiles the
// routing model (simulate/) and follows the request hop by hop; with -i, one request per line of a
// prompt (cli/simulate_prompt.h). See docs/simulate.md.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/json_text.h"
#include "cli/parse_args.h"
#include "cli/prompt_models.h"
#include "cli/request_line.h"
#include "cli/simulate_inputs.h"
#include "cli/simulate_output.h"
#include "cli/simulate_prompt.h"
#include "model/ascii.h"
#include "model/mesh_graph.h"
#include "simulate/trace.h"

namespace istio_lint::cli {
namespace {

using simulate::Protocol;
using simulate::TlsMode;

struct SimulateOptions {
  std::vector<std::string> paths;
  std::string gateway, from, to, host, sni, scheme = "http", path = "/", method = "GET", output = "text";
  bool mtls = false, sidecar_ingress_tls = false;
  std::string mesh_config_file, requests_json;
  uint32_t port = 0;
  std::vector<std::string> headers;
  std::optional<uint64_t> random_value;
};

/// Conformance mode: one proxy identity and a list of pilot-harness calls (JSON), answers as JSON.
int runRequests(const model::MeshGraph& graph, const std::string& file) {
  std::ifstream in(file);
  nlohmann::json spec = nlohmann::json::parse(in, nullptr, false);
  if (spec.is_discarded()) {
    std::cerr << "istio-lint: " << file << ": not JSON\n";
    return kExitUsage;
  }
  simulate::ModelOptions mo;
  mo.short_name_domain = spec.value("domain", std::string("cluster.local"));
  mo.sidecars = std::vector<std::string>{};
  const auto& p = spec["proxy"];
  simulate::ProxyIdentity id;
  id.type = p.value("type", "sidecar") == "router" ? simulate::ProxyIdentity::Type::Gateway : simulate::ProxyIdentity::Type::Sidecar;
  id.ns = p.value("namespace", "default");
  id.config_ns = p.value("config_namespace", id.ns);
  id.name = "harness/proxy";
  id.ip = p.value("ip", "");
  id.dns_auto_allocate = p.value("dns_capture", false) && p.value("dns_auto_allocate", false);
  if (p.contains("labels")) {
    for (auto& [k, v] : p["labels"].items()) id.labels[k] = v.get<std::string>();
  }
  mo.extra.push_back(id);
  if (spec.contains("feature_flags") && spec["feature_flags"].is_object()) {
    mo.sidecar_ingress_tls = spec["feature_flags"].value("EnableTLSOnSidecarIngress", false);
  }
  auto m = simulate::RoutingModel::build(graph, mo);
  const simulate::Proxy& proxy = *m->proxy("harness/proxy");
  nlohmann::json out;
  out["calls"] = nlohmann::json::array();
  for (const auto& c : spec.value("calls", nlohmann::json::array())) {
    nlohmann::json r;
    simulate::Request req;
    std::string host = c.value("HostHeader", ""), sni = c.value("Sni", ""), path = c.value("Path", "/");
    std::string address = c.value("Address", "");
    std::string proto = c.value("Protocol", "http"), tls = c.value("TLS", "plaintext");
    std::string mtls_secret = c.value("MtlsSecretConfigName", "");
    req.inbound = c.value("CallMode", "") == "inbound";
    if (c.contains("Alpn")) req.alpn = simulate::parseAlpn(c.value("Alpn", ""));
    req.mtls_secret = mtls_secret;
    req.host = host;
    req.path = path;
    req.port = c.value("Port", 0u);
    req.protocol = proto == "tcp" ? Protocol::Tcp : proto == "http2" ? Protocol::Http2 : Protocol::Http;
    req.tls = tls == "mtls" ? TlsMode::Mtls : tls == "tls" ? TlsMode::Tls : TlsMode::Plaintext;
    if (sni.empty() && req.tls == TlsMode::Tls) sni = host;
    req.sni = sni;
    req.address = address;
    std::vector<std::string> hstore;
    std::vector<simulate::Header> headers;
    if (c.contains("Headers")) {
      for (auto& [k, v] : c["Headers"].items()) {
        hstore.push_back(model::asciiLower(k));
        hstore.push_back(v.is_array() && !v.empty() ? v[0].get<std::string>() : v.is_string() ? v.get<std::string>() : "");
      }
      hstore.shrink_to_fit();
      for (size_t i = 0; i + 1 < hstore.size(); i += 2) headers.push_back({hstore[i], hstore[i + 1]});
    }
    req.headers = headers.data();
    req.header_count = static_cast<uint32_t>(headers.size());
    simulate::Decision d = simulate::decide(proxy, req);
    r["error"] = d.error == simulate::Error::None ? nlohmann::json(nullptr) : nlohmann::json(std::string(simulate::errorName(d.error)));
    r["listener"] = d.listener ? d.listener->name : "";
    r["filter_chain"] = d.chain ? d.chain->name : "";
    r["route_config"] = d.route_config && d.route_config->rds ? d.route_config->name : "";
    r["virtual_host"] = d.virtual_host ? d.virtual_host->name : "";
    r["route"] = d.route ? d.route->name : "";
    r["cluster"] = d.cluster ? d.cluster->name : "";
    out["calls"].push_back(r);
  }
  if (spec.contains("route_config") && spec["route_config"].is_object()) {
    const auto& rcq = spec["route_config"];
    std::string name = rcq.value("name", "");
    nlohmann::json domains = nlohmann::json::object();
    const simulate::RouteConfig* rc = nullptr;
    for (const auto& x : proxy.route_configs) {
      if (x.name == name) rc = &x;
    }
    out["route_config_found"] = rc != nullptr;
    for (const auto& dname : rcq.value("domains", nlohmann::json::array())) {
      std::string dn = dname.get<std::string>();
      const simulate::VirtualHost* v = rc ? rc->byDomain(dn) : nullptr;
      if (v == nullptr) {
        domains[dn] = nullptr;
        continue;
      }
      std::set<std::string> clusters;
      for (const auto& rt : v->routes) {
        for (const auto& t : rt.targets) clusters.insert(t.cluster->name);
      }
      domains[dn] = std::vector<std::string>(clusters.begin(), clusters.end());
    }
    out["domains"] = domains;
  }
  std::cout << jsonText(out, 1) << "\n";
  return kExitOk;
}

/// The command line's description of the request: the one-shot request, or the defaults of the
/// prompt's lines. Usage errors go to stderr.
std::optional<RequestFields> flagFields(const SimulateOptions& o, const CLI::App& app) {
  RequestFields f;
  auto given = [&app](const char* flag) { return app.get_option(flag)->count() > 0; };
  auto point = [](EntryPoint::Kind kind, const std::string& who) -> std::optional<EntryPoint> {
    const size_t slash = who.find('/');
    if (slash == std::string::npos) {
      std::cerr << "istio-lint simulate: " << who << ": expected NS/NAME\n";
      return std::nullopt;
    }
    return EntryPoint{kind, who.substr(0, slash), who.substr(slash + 1)};
  };
  const std::string& who = !o.gateway.empty() ? o.gateway : !o.from.empty() ? o.from : o.to;
  if (!who.empty()) {
    const EntryPoint::Kind kind = !o.gateway.empty() ? EntryPoint::Kind::Gateway
                                  : !o.from.empty()  ? EntryPoint::Kind::Sidecar
                                                     : EntryPoint::Kind::Inbound;
    if (!(f.entry = point(kind, who))) return std::nullopt;
    // --to beside --from or --gateway: the workload the request is followed into.
    if (kind != EntryPoint::Kind::Inbound && !o.to.empty() && !(f.deliver_to = point(EntryPoint::Kind::Inbound, o.to))) {
      return std::nullopt;
    }
  }
  if (given("--scheme")) f.scheme = schemeFromName(o.scheme);
  if (given("--host")) f.host = o.host;
  if (given("--sni") && !o.sni.empty()) f.sni = o.sni;
  if (o.port != 0) f.port = o.port;
  if (given("--path")) f.path = o.path;
  if (given("--method")) f.method = o.method;
  for (const std::string& h : o.headers) {
    std::pair<std::string, std::string> kv;
    if (h.find(':') == std::string::npos || splitHeader(h, kv)) {
      std::cerr << "istio-lint simulate: -H \"" << h << "\": expected 'name: value'\n";
      return std::nullopt;
    }
    f.headers.push_back(std::move(kv));
  }
  f.random = o.random_value;
  if (o.mtls) f.mtls = true;
  return f;
}

/// One-shot: the request the flags describe (exactly as the flags say, sni defaulting to the host
/// for TLS schemes).
RequestSpec oneShotSpec(const RequestFields& f, const SimulateOptions& o) {
  RequestSpec r;
  r.entry = *f.entry;
  r.scheme = schemeFromName(o.scheme).value_or(Scheme::Http);
  r.host = o.host;
  r.sni = o.sni.empty() && r.isTls() ? o.host : o.sni;
  r.port = o.port != 0 ? o.port : r.scheme == Scheme::Http ? 80 : 443;
  r.path = o.path;
  r.method = o.method;
  r.headers = f.headers;
  r.random = f.random;
  r.mtls = o.mtls;
  r.deliver_to = f.deliver_to;
  return r;
}

}  // namespace

int runSimulate(const Args& args) {
  SimulateOptions o;
  uint64_t random_value = 0;
  bool interactive = false;
  CLI::App app{"Trace one request through the mesh: each hop, each decision and the file:line that made it.\n"
               "With -i, a prompt that traces one request per line (Tab completes hosts, gateways and workloads).\n\n"
               "Examples:\n"
               "  istio-lint simulate ./manifests --gateway istio-system/public-gw --host shop.example.com --path /api\n"
               "  istio-lint simulate ./manifests --from payments/payments --scheme tls --sni api.stripe.com --port 443\n"
               "  istio-lint simulate -i ./manifests      then: GET https://shop.example.com/api via istio-system/public-gw\n"
               "  printf 'tls api.stripe.com:443 from payments/payments\\n' | istio-lint simulate -i ./manifests\n"
               "  istio-lint simulate ./manifests --to shop/reviews --port 9080 --mtls\n"
               "  istio-lint simulate ./manifests --from shop/web --to shop/reviews --host reviews --port 9080",
               "istio-lint simulate"};
  app.add_option("paths", o.paths, "Files or directories (recursive: .yaml .yml .json); - for stdin");
  app.add_flag("-i,--interactive", interactive,
               "A prompt: one request per line (`help` lists the syntax); the other flags are every line's defaults");
  app.add_option("--gateway", o.gateway,
                 "Enter at the workload of this Gateway (NS/NAME), or of an Ingress that Istio serves");
  app.add_option("--from", o.from, "Enter at the sidecar of this workload (NS/NAME of a Deployment or Pod)");
  app.add_option("--to", o.to,
                 "Alone: enter at the inbound side of this workload's sidecar (NS/NAME), a connection to its --port. "
                 "With --from or --gateway: follow the request into that sidecar when the route reaches it");
  app.add_flag("--mtls", o.mtls, "The connection is Istio mutual TLS, as from a caller with a sidecar (--to, --gateway)");
  app.add_flag("--sidecar-ingress-tls", o.sidecar_ingress_tls,
               "As istiod with ENABLE_TLS_ON_SIDECAR_INGRESS=true: Sidecar ingress tls settings take effect");
  app.add_option("--host", o.host, "Host (:authority) of the request");
  app.add_option("--sni", o.sni, "TLS server name (default: the host)");
  app.add_option("--port", o.port, "Destination port (default: 80 for http, 443 otherwise)");
  app.add_option("--scheme", o.scheme, "http, https, tls or tcp")->check(CLI::IsMember({"http", "https", "tls", "tcp"}));
  app.add_option("--path", o.path, "Request path (with query)");
  app.add_option("--method", o.method, "Request method");
  app.add_option("-H,--header", o.headers, "Request header 'name: value' (repeatable)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  auto* rv = app.add_option("--random-value", random_value, "Pick one cluster of a weighted split (Envoy: value % total weight)");
  app.add_option("-o,--output", o.output, "text or json (with -i: one JSON object per line)")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--meshConfigFile", o.mesh_config_file, "MeshConfig file overriding the one found in the inputs");
  app.add_option("--requests-json", o.requests_json, "Conformance mode: proxy and calls as JSON (see scripts/conformance-simulate)")
      ->group("");
  if (std::optional<int> stop = parseArgs(app, args, "simulate")) return *stop;
  if (rv->count() > 0) o.random_value = random_value;
  if (o.paths.empty()) {
    std::cerr << "istio-lint simulate: no input; give files, directories or - for stdin\n";
    return kExitUsage;
  }
  if (interactive) {
    if (!o.requests_json.empty()) {
      std::cerr << "istio-lint simulate: -i and --requests-json do not go together\n";
      return kExitUsage;
    }
    if ((!o.gateway.empty()) + (!o.from.empty()) + (!o.to.empty()) > 1) {
      std::cerr << "istio-lint simulate: give at most one of --gateway NS/NAME, --from NS/WORKLOAD or --to NS/WORKLOAD "
                   "with -i\n";
      return kExitUsage;
    }
    if (std::find(o.paths.begin(), o.paths.end(), "-") != o.paths.end()) {
      std::cerr << "istio-lint simulate: -i reads requests from stdin; give the manifests as files or directories, not -\n";
      return kExitUsage;
    }
  } else if (o.requests_json.empty() && ((!o.gateway.empty()) + (!o.from.empty()) > 1 ||
                                          (o.gateway.empty() && o.from.empty() && o.to.empty()))) {
    std::cerr << "istio-lint simulate: give one of --gateway NS/NAME or --from NS/WORKLOAD (and optionally --to "
                 "NS/WORKLOAD to follow the request into that workload's sidecar), or --to NS/WORKLOAD alone (or -i "
                 "for a prompt)\n";
    return kExitUsage;
  }
  if (o.mtls && !o.from.empty()) {
    std::cerr << "istio-lint simulate: --mtls describes the connection arriving at a proxy; use it with --to or --gateway "
                 "(an application behind --from speaks plaintext or its own TLS)\n";
    return kExitUsage;
  }
  std::optional<RequestFields> fields = flagFields(o, app);
  if (!fields) return kExitUsage;

  model::MeshGraph graph = loadRoutingInputs(o.paths, o.mesh_config_file, std::cerr);
  if (!o.requests_json.empty()) return runRequests(graph, o.requests_json);

  if (interactive) {
    // Every gateway now; each workload's sidecar when a line first enters it (prompt_models.h).
    const std::string& first = o.from.empty() ? o.to : o.from;
    simulate::ModelOptions mo;
    mo.sidecar_ingress_tls = o.sidecar_ingress_tls;
    PromptModels models(graph, first.empty() ? std::nullopt : std::optional<std::string>(first), mo);
    if (fields->entry) {
      std::string error;
      if (models.enter(*fields->entry, error).proxy == nullptr) {
        std::cerr << "istio-lint simulate: " << error << "\n";
        return kExitUsage;
      }
    }
    PromptOptions po;
    po.defaults = *fields;
    po.json = o.output == "json";
    PromptSession session(models, std::move(po), std::cout, std::cerr);
    return ::isatty(STDIN_FILENO) ? runInteractivePrompt(session) : runScriptedPrompt(stdin, session);
  }

  // One-shot: the gateways and the one sidecar asked for.
  simulate::ModelOptions mo;
  mo.sidecars = std::vector<std::string>{};
  mo.sidecar_ingress_tls = o.sidecar_ingress_tls;
  if (!o.from.empty()) mo.sidecars->push_back(o.from);
  if (!o.to.empty()) mo.sidecars->push_back(o.to);
  auto m = simulate::RoutingModel::build(graph, mo);
  std::string error;
  const simulate::Proxy* start = entryProxy(*m, *fields->entry, error);
  if (start == nullptr) {
    std::cerr << "istio-lint simulate: " << error << "\n";
    return kExitUsage;
  }

  // --to beside --from or --gateway: the trace continues into that workload's sidecar.
  const simulate::Proxy* deliver_to = nullptr;
  if (fields->deliver_to) {
    deliver_to = entryProxy(*m, *fields->deliver_to, error);
    if (deliver_to == nullptr) {
      std::cerr << "istio-lint simulate: --to: " << error << "\n";
      return kExitUsage;
    }
  }

  RequestSpec spec = oneShotSpec(*fields, o);
  std::vector<simulate::Header> headers;
  const simulate::Request req = toRequest(spec, headers);
  simulate::Trace t = simulate::traceRequest(*m, *start, req, 4, deliver_to);
  if (o.output == "json") {
    std::cout << jsonText(traceJson(graph.files(), spec, t), 2) << "\n";
  } else {
    printTraceText(std::cout, graph.files(), spec, t);
  }
  if (std::optional<PortHint> hint = gatewayPortHint(graph, *start, spec.port)) {
    std::cerr << "hint: the gateway has no listener on port " << spec.port << "; " << hint->reason << ": use --port "
              << hint->listen_port << "\n";
  }
  return kExitOk;
}

}  // namespace istio_lint::cli
