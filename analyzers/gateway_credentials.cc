#include "analyzers/gateway_credentials.h"

#include <set>

#include "analyzers/gateway/workloads.h"

namespace istio_lint::analyzers::gateway {

namespace {

/// The credential references of `gateways` (in the graph or not), each reported on the Gateway.
std::vector<CredentialRef> refsOf(const model::MeshGraph& g, const std::vector<const model::Gateway*>& gateways,
                                  std::vector<const model::Gateway*>* unresolved) {
  std::vector<CredentialRef> out;
  for (const model::Gateway* gw : gateways) {
    std::vector<const model::Workload*> workloads = selectedWorkloads(g, *gw);
    if (workloads.empty()) {
      if (unresolved) unresolved->push_back(gw);
      continue;
    }
    std::set<std::string> namespaces;
    for (const model::Workload* w : workloads) namespaces.insert(w->ns());
    for (const model::GatewayServer& server : gw->servers) {
      if (!server.tls) continue;
      std::vector<const model::Str*> names;
      if (!server.tls->credential_name.empty()) names.push_back(&server.tls->credential_name);
      for (const model::Str& n : server.tls->credential_names) names.push_back(&n);
      for (const model::Str* cn : names) {
        const size_t slash = cn->value.find('/');
        for (const std::string& ns : namespaces) {
          CredentialRef r;
          r.origin = gw;
          r.gateway = gw;
          r.server = &server;
          r.name = cn;
          r.workload_ns = ns;
          r.explicit_ns = slash != std::string::npos;
          r.secret_ns = r.explicit_ns ? cn->value.substr(0, slash) : ns;
          r.secret_name = r.explicit_ns ? cn->value.substr(slash + 1) : cn->value;
          r.secret = static_cast<const model::Secret*>(g.find(Kind::Secret, r.secret_ns, r.secret_name));
          const bool one_secret = r.explicit_ns;
          out.push_back(std::move(r));
          if (one_secret) break;  // `ns/name` names one Secret whatever the workload namespaces
        }
      }
    }
  }
  return out;
}

}  // namespace

ServedGateways::ServedGateways(const model::MeshGraph& g) : all_(g.typed<model::Gateway>(Kind::Gateway)) {
  if (g.ofKind(Kind::Ingress).empty()) return;
  ingress_ = simulate::translateIngresses(g);
  for (const auto& generated : ingress_.gateways) {
    all_.push_back(generated.gateway.get());
    ingress_of_.emplace(generated.gateway.get(), generated.ingress);
  }
}

const model::Resource& ServedGateways::origin(const model::Gateway& gw) const {
  auto it = ingress_of_.find(&gw);
  return it == ingress_of_.end() ? static_cast<const model::Resource&>(gw) : *it->second;
}

std::vector<CredentialRef> credentialRefs(const model::MeshGraph& g, std::vector<const model::Gateway*>* unresolved) {
  return refsOf(g, g.typed<model::Gateway>(Kind::Gateway), unresolved);
}

std::vector<CredentialRef> credentialRefs(const model::MeshGraph& g, const ServedGateways& served) {
  std::vector<CredentialRef> out = refsOf(g, served.all(), nullptr);
  for (CredentialRef& r : out) r.origin = &served.origin(*r.gateway);
  return out;
}

std::string referenceNote(const CredentialRef& r) {
  if (r.origin != nullptr && r.origin->kind == Kind::Ingress) return "secretName " + r.name->value + " of this tls entry";
  return "credentialName " + r.name->value + " of this server";
}

std::optional<std::string> credentialProblem(const model::Credential& c, model::UnixTime now) {
  if (c.error) return c.error;
  for (size_t i = 0; i < c.chain.size(); ++i) {
    if (now < c.chain[i].not_before) {
      return std::string(i == 0 ? "the certificate" : "a chain certificate") + " in " + c.cert_entry +
             " is not valid before " + model::formatTimestamp(c.chain[i].not_before);
    }
  }
  return std::nullopt;
}

bool terminatesWithCredential(const model::GatewayServer& server) {
  if (!server.tls) return false;
  const std::string& mode = server.tls->mode.value;
  return mode == "SIMPLE" || mode == "MUTUAL" || mode == "OPTIONAL_MUTUAL";
}

std::vector<UsableCredential> usableCredentials(const model::MeshGraph& g, std::vector<CredentialRef> refs) {
  std::vector<UsableCredential> out;
  for (CredentialRef& r : refs) {
    if (r.secret == nullptr || !terminatesWithCredential(*r.server)) continue;
    const model::Credential& c = g.certificates().credential(*r.secret);
    if (c.error || c.chain.empty()) continue;
    out.push_back({std::move(r), &c});
  }
  return out;
}

std::vector<const model::Str*> serverHosts(const model::GatewayServer& server, std::vector<std::string>& names) {
  std::vector<const model::Str*> out;
  names.clear();
  for (const model::Str& h : server.hosts) {
    size_t slash = h.value.find('/');
    out.push_back(&h);
    names.push_back(slash == std::string::npos ? h.value : h.value.substr(slash + 1));
  }
  return out;
}

std::string quotedList(const std::vector<std::string>& items, std::string_view none) {
  if (items.empty()) return std::string(none);
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "\"" : ", \"") + s + "\"";
  return out;
}

}  // namespace istio_lint::analyzers::gateway
