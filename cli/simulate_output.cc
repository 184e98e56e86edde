#include "cli/simulate_output.h"

#include <algorithm>

#include "cli/commands.h"
#include "model/resources/kube.h"

namespace istio_lint::cli {
namespace {

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

using model::labelsSubset;

}  // namespace

const simulate::Proxy* entryProxy(const simulate::RoutingModel& model, const EntryPoint& entry, std::string& error) {
  // Inbound requests enter the same sidecar, on its inbound side.
  const bool gateway = entry.kind == EntryPoint::Kind::Gateway;
  const simulate::Proxy* p = gateway ? model.gatewayProxy(entry.ns, entry.name) : model.sidecarProxy(entry.ns, entry.name);
  if (p != nullptr) return p;
  if (gateway) {
    // An Ingress that Istio serves is entered at the Gateway istiod generates for it.
    p = model.gatewayProxy(simulate::kIngressNamespace, simulate::ingressGatewayName(entry.ns, entry.name));
    if (p != nullptr) return p;
  }
  std::vector<std::string> names;
  if (gateway) {
    for (const model::Resource* g : model.graph().ofKind(model::Kind::Gateway)) names.push_back(g->ns() + "/" + g->name());
    for (const auto& generated : model.ingress().gateways) {
      names.push_back(generated.ingress->ns() + "/" + generated.ingress->name());
    }
  } else {
    for (const model::Workload* w : model.graph().workloads().all()) names.push_back(w->ns() + "/" + w->name());
  }
  error = std::string("no ") + (gateway ? "Gateway " : "workload ") + entry.text() + " in the inputs";
  std::vector<std::string> near = suggest(entry.text(), names);
  if (!near.empty()) error += "; did you mean " + near.front() + "?";
  return nullptr;
}

simulate::Request toRequest(const RequestSpec& spec, std::vector<simulate::Header>& headers) {
  simulate::Request r;
  switch (spec.scheme) {
    case Scheme::Http: r.protocol = simulate::Protocol::Http, r.tls = simulate::TlsMode::Plaintext; break;
    case Scheme::Https: r.protocol = simulate::Protocol::Http, r.tls = simulate::TlsMode::Tls; break;
    case Scheme::Tls: r.protocol = simulate::Protocol::Tcp, r.tls = simulate::TlsMode::Tls; break;
    case Scheme::Tcp: r.protocol = simulate::Protocol::Tcp, r.tls = simulate::TlsMode::Plaintext; break;
  }
  r.host = spec.host;
  r.sni = spec.sni;
  r.port = spec.port;
  r.path = spec.path;
  r.method = spec.method;
  headers.clear();
  for (const auto& [k, v] : spec.headers) headers.push_back({k, v});
  r.headers = headers.data();
  r.header_count = static_cast<uint32_t>(headers.size());
  if (spec.random) {
    r.has_random = true;
    r.random = *spec.random;
  }
  r.inbound = spec.entry.kind == EntryPoint::Kind::Inbound;
  if (spec.mtls) r.tls = simulate::TlsMode::Mtls;
  return r;
}

void printTraceText(std::ostream& out, const model::FileTable& files, const RequestSpec& spec,
                    const simulate::Trace& t) {
  out << "request: " << schemeName(spec.scheme) << " " << (spec.host.empty() ? spec.sni : spec.host) << ":" << spec.port;
  if (spec.isHttp()) out << " " << spec.method << " " << spec.path;
  if (spec.entry.kind == EntryPoint::Kind::Inbound) out << " inbound to " << spec.entry.text();
  if (spec.mtls) out << " over Istio mTLS";
  if (spec.deliver_to) out << " from " << spec.entry.text() << " to " << spec.deliver_to->text();
  out << "\n";
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

nlohmann::json traceJson(const model::FileTable& files, const RequestSpec& spec, const simulate::Trace& t) {
  nlohmann::json j;
  j["request"] = {{"host", spec.host}, {"sni", spec.sni}, {"port", spec.port}, {"scheme", schemeName(spec.scheme)},
                  {"path", spec.path}, {"method", spec.method},
                  {"direction", spec.entry.kind == EntryPoint::Kind::Inbound ? "inbound" : "outbound"},
                  {"mtls", spec.mtls}};
  if (spec.deliver_to) j["request"]["to"] = spec.deliver_to->text();
  j["hops"] = nlohmann::json::array();
  for (const auto& h : t.hops) j["hops"].push_back(hopJson(files, h));
  j["exit"] = {{"kind", t.exit_kind}, {"gateway", t.exit_gateway}, {"detail", t.exit_detail}};
  return j;
}

std::optional<PortHint> gatewayPortHint(const model::MeshGraph& graph, const simulate::Proxy& gateway, uint32_t port) {
  if (gateway.id.type != simulate::ProxyIdentity::Type::Gateway || gateway.listeners_by_port.count(port) != 0) {
    return std::nullopt;
  }
  for (const model::Resource* r : graph.ofKind(model::Kind::Service)) {
    const auto& svc = static_cast<const model::Service&>(*r);
    if (svc.ns() != gateway.id.ns || !svc.selector || svc.selector->empty() || !labelsSubset(*svc.selector, gateway.id.labels)) {
      continue;
    }
    for (const model::KubeServicePort& sp : svc.ports) {
      if (sp.port != port || sp.target_port.empty() || sp.target_port.size() > 5 ||
          !std::all_of(sp.target_port.begin(), sp.target_port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        continue;
      }
      const auto target = static_cast<uint32_t>(std::stoul(sp.target_port));
      if (gateway.listeners_by_port.count(target) == 0) continue;
      std::string reason = "Service " + svc.ns() + "/" + svc.name() + " maps port " + std::to_string(port) +
                           " to targetPort " + std::to_string(target);
      const std::string at = where(graph.files(), sp.span);
      if (!at.empty()) reason += " (" + at + ")";
      return PortHint{target, std::move(reason)};
    }
  }
  return std::nullopt;
}

}  // namespace istio_lint::cli
