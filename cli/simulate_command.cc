// `istio-lint simulate PATHS`: where does one request go, and why. Loads the manifests, compiles the
// routing model (simulate/) and follows the request hop by hop; see docs/simulate.md.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/parse_args.h"
#include "model/loader.h"
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

std::string where(const model::FileTable& files, const model::Span& s) {
  if (!s.known()) return {};
  return files.path(s.file) + ":" + std::to_string(s.line);
}

nlohmann::json hopJson(const model::FileTable& files, const simulate::TraceHop& h) {
  nlohmann::json j;
  j["proxy"] = h.proxy;
  j["proxy_type"] = h.proxy_type;
  j["listener"] = h.listener;
  j["filter_chain"] = h.filter_chain;
  j["route_config"] = h.route_config;
  j["virtual_host"] = h.virtual_host;
  j["route"] = h.route;
  j["cluster"] = h.cluster;
  j["subset"] = h.subset;
  j["filter_chain_name"] = h.filter_chain_name;
  j["peer_authentication"] = h.peer_authentication;
  nlohmann::json split = nlohmann::json::array();
  for (const auto& [c, w] : h.split) split.push_back({{"cluster", c}, {"weight", w}});
  j["split"] = split;
  j["tls"] = {{"mode", h.tls}, {"sni", h.tls_sni}};
  j["endpoints"] = h.endpoints;
  j["error"] = h.error;
  j["outcome"] = h.outcome;
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : h.steps) steps.push_back({{"decision", s.what}, {"detail", s.detail}, {"at", where(files, s.span)}});
  j["decisions"] = steps;
  return j;
}

void printText(std::ostream& out, const model::FileTable& files, const simulate::Trace& t) {
  for (size_t i = 0; i < t.hops.size(); ++i) {
    const auto& h = t.hops[i];
    out << "hop " << (i + 1) << ": " << h.proxy_type << " " << h.proxy << "\n";
    for (const auto& s : h.steps) {
      std::string at = where(files, s.span);
      out << "  " << s.what << ": " << s.detail;
      if (!at.empty()) out << "  (" << at << ")";
      out << "\n";
    }
    if (!h.outcome.empty()) out << "  outcome: " << h.outcome << "\n";
  }
  out << "exit: " << t.exit_kind;
  if (!t.exit_gateway.empty()) out << " via " << t.exit_gateway;
  if (!t.exit_detail.empty()) out << " — " << t.exit_detail;
  out << "\n";
}

bool parseScheme(const std::string& s, simulate::Request& r) {
  if (s == "http") { r.protocol = Protocol::Http; r.tls = TlsMode::Plaintext; }
  else if (s == "https") { r.protocol = Protocol::Http; r.tls = TlsMode::Tls; }
  else if (s == "tls") { r.protocol = Protocol::Tcp; r.tls = TlsMode::Tls; }
  else if (s == "tcp") { r.protocol = Protocol::Tcp; r.tls = TlsMode::Plaintext; }
  else return false;
  return true;
}

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
        std::string lk = k;
        for (char& ch : lk) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        hstore.push_back(lk);
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
  std::cout << out.dump(1) << "\n";
  return kExitOk;
}

}  // namespace

int runSimulate(const Args& args) {
  SimulateOptions o;
  uint64_t random_value = 0;
  CLI::App app{"Trace one request through the mesh: each hop, each decision and the file:line that made it.\n\n"
               "Examples:\n"
               "  istio-lint simulate ./manifests --gateway istio-system/public-gw --host shop.example.com --path /api\n"
               "  istio-lint simulate ./manifests --from payments/payments --scheme tls --sni api.stripe.com --port 443\n"
               "  istio-lint simulate ./manifests --to shop/reviews --port 9080 --mtls",
               "istio-lint simulate"};
  app.add_option("paths", o.paths, "Files or directories (recursive: .yaml .yml .json); - for stdin");
  app.add_option("--gateway", o.gateway, "Enter at the workload of this Gateway (NS/NAME)");
  app.add_option("--from", o.from, "Enter at the sidecar of this workload (NS/NAME of a Deployment or Pod)");
  app.add_option("--to", o.to, "Enter at the inbound side of this workload's sidecar (NS/NAME): a connection to its --port");
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
  app.add_option("-o,--output", o.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--meshConfigFile", o.mesh_config_file, "MeshConfig file overriding the one found in the inputs");
  app.add_option("--requests-json", o.requests_json, "Conformance mode: proxy and calls as JSON (see scripts/conformance-simulate)")
      ->group("");
  if (std::optional<int> stop = parseArgs(app, args, "simulate")) return *stop;
  if (rv->count() > 0) o.random_value = random_value;
  if (o.paths.empty()) {
    std::cerr << "istio-lint simulate: no input; give files, directories or - for stdin\n";
    return kExitUsage;
  }
  if (o.requests_json.empty() && (!o.gateway.empty()) + (!o.from.empty()) + (!o.to.empty()) != 1) {
    std::cerr << "istio-lint simulate: give exactly one of --gateway NS/NAME, --from NS/WORKLOAD or --to NS/WORKLOAD\n";
    return kExitUsage;
  }
  if (o.mtls && !o.from.empty()) {
    std::cerr << "istio-lint simulate: --mtls describes the connection arriving at a proxy; use it with --to or --gateway "
                 "(an application behind --from speaks plaintext or its own TLS)\n";
    return kExitUsage;
  }
  model::LoadOptions lo;
  lo.default_namespace = "default";
  model::GraphOptions go;
  go.default_ingress = model::DefaultIngress::Off;
  if (!o.mesh_config_file.empty()) go.mesh_config_file = o.mesh_config_file;
  std::vector<model::Source> sources;
  for (const std::string& p : o.paths) sources.push_back({p, std::nullopt});
  model::MeshGraph graph = model::MeshGraph::build(model::load(sources, lo), go);
  for (const model::LoadProblem& p : graph.problems()) {
    std::cerr << "istio-lint: " << (p.span.file ? graph.files().path(p.span.file) : std::string("input"));
    if (p.span.line) std::cerr << ":" << p.span.line;
    std::cerr << ": " << p.message << "\n";
  }
  if (!o.requests_json.empty()) return runRequests(graph, o.requests_json);

  simulate::ModelOptions mo;
  mo.sidecars = std::vector<std::string>{};
  mo.sidecar_ingress_tls = o.sidecar_ingress_tls;
  if (!o.from.empty()) mo.sidecars->push_back(o.from);
  if (!o.to.empty()) mo.sidecars->push_back(o.to);
  auto m = simulate::RoutingModel::build(graph, mo);
  const simulate::Proxy* start = nullptr;
  const std::string& who = !o.gateway.empty() ? o.gateway : !o.from.empty() ? o.from : o.to;
  size_t slash = who.find('/');
  if (slash == std::string::npos) {
    std::cerr << "istio-lint simulate: " << who << ": expected NS/NAME\n";
    return kExitUsage;
  }
  std::string ns = who.substr(0, slash), name = who.substr(slash + 1);
  start = o.gateway.empty() ? m->sidecarProxy(ns, name) : m->gatewayProxy(ns, name);
  if (start == nullptr) {
    std::vector<std::string> names;
    if (o.gateway.empty()) {
      for (const model::Workload* w : graph.workloads().all()) names.push_back(w->ns() + "/" + w->name());
    } else {
      for (const model::Resource* g : graph.ofKind(model::Kind::Gateway)) names.push_back(g->ns() + "/" + g->name());
    }
    std::cerr << "istio-lint simulate: no " << (o.gateway.empty() ? "workload" : "Gateway") << " " << who << " in the inputs";
    auto s = suggest(who, names);
    if (!s.empty()) std::cerr << "; did you mean " << s.front() << "?";
    std::cerr << "\n";
    return kExitUsage;
  }
  simulate::Request req;
  if (!parseScheme(o.scheme, req)) return kExitUsage;
  if (o.port == 0) o.port = o.scheme == "http" ? 80 : 443;
  if (o.mtls) req.tls = TlsMode::Mtls;
  req.inbound = !o.to.empty();
  if (o.sni.empty() && req.tls == TlsMode::Tls) o.sni = o.host;
  req.host = o.host;
  req.sni = o.sni;
  req.port = o.port;
  req.path = o.path;
  req.method = o.method;
  std::vector<std::string> hstore;
  for (const std::string& h : o.headers) {
    size_t colon = h.find(':');
    if (colon == std::string::npos) {
      std::cerr << "istio-lint simulate: -H \"" << h << "\": expected 'name: value'\n";
      return kExitUsage;
    }
    std::string k = h.substr(0, colon), v = h.substr(colon + 1);
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    v.erase(0, v.find_first_not_of(' '));
    hstore.push_back(k);
    hstore.push_back(v);
  }
  std::vector<simulate::Header> headers;
  for (size_t i = 0; i + 1 < hstore.size(); i += 2) headers.push_back({hstore[i], hstore[i + 1]});
  req.headers = headers.data();
  req.header_count = static_cast<uint32_t>(headers.size());
  if (o.random_value) {
    req.has_random = true;
    req.random = *o.random_value;
  }
  simulate::Trace t = simulate::traceRequest(*m, *start, req);
  if (o.output == "json") {
    nlohmann::json j;
    j["request"] = {{"host", o.host}, {"sni", o.sni}, {"port", o.port}, {"scheme", o.scheme}, {"path", o.path},
                    {"method", o.method}, {"direction", req.inbound ? "inbound" : "outbound"}, {"mtls", o.mtls}};
    j["hops"] = nlohmann::json::array();
    for (const auto& h : t.hops) j["hops"].push_back(hopJson(graph.files(), h));
    j["exit"] = {{"kind", t.exit_kind}, {"gateway", t.exit_gateway}, {"detail", t.exit_detail}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "request: " << o.scheme << " " << (o.host.empty() ? o.sni : o.host) << ":" << o.port;
    if (req.isHttp()) std::cout << " " << o.method << " " << o.path;
    if (req.inbound) std::cout << " inbound to " << o.to;
    if (o.mtls) std::cout << " over Istio mTLS";
    std::cout << "\n";
    printText(std::cout, graph.files(), t);
  }
  return kExitOk;
}

}  // namespace istio_lint::cli
