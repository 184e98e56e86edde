#pragma once

// The TLS credentials of Gateway servers, resolved to Secrets: what the certificate analyzers
// (gateway.SecretAnalyzer and the IL1003-IL1006 analyzers under analyzers/gateway/) share.
//
// A server's `credentialName` (and each of `credentialNames`) names a Secret in the namespace of
// the gateway workload that serves it, or `ns/name` explicitly. A Gateway whose workloads run in
// several namespaces needs the Secret in each of them. The Gateways istiod generates from
// Ingresses (simulate/ingress.h) read their Ingress's TLS Secrets the same way.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "model/certificates.h"
#include "simulate/ingress.h"

namespace istio_lint::analyzers::gateway {

/// The Gateways whose servers gateway proxies run: the inputs' Gateways and those istiod generates
/// from the Ingresses Istio serves, which are not in the graph.
class ServedGateways {
 public:
  explicit ServedGateways(const model::MeshGraph& g);
  ServedGateways(const ServedGateways&) = delete;
  ServedGateways& operator=(const ServedGateways&) = delete;

  /// The inputs' Gateways in graph order, then the generated ones in Ingress order.
  const std::vector<const model::Gateway*>& all() const { return all_; }
  /// The resource a finding about `gw` belongs to: the Ingress it was generated for, or `gw`.
  const model::Resource& origin(const model::Gateway& gw) const;

 private:
  simulate::IngressConfig ingress_;
  std::vector<const model::Gateway*> all_;
  std::unordered_map<const model::Gateway*, const model::Ingress*> ingress_of_;
};

/// One credential reference of a Gateway server, looked up in one workload namespace.
struct CredentialRef {
  const model::Resource* origin = nullptr;  // where findings go: the Gateway, or its Ingress
  const model::Gateway* gateway = nullptr;
  const model::GatewayServer* server = nullptr;
  const model::Str* name = nullptr;  // the credentialName entry
  std::string workload_ns;           // the namespace of the workloads reading it
  std::string secret_ns, secret_name;
  bool explicit_ns = false;          // written as `ns/name`
  const model::Secret* secret = nullptr;  // null when there is no such Secret
};

/// Every credential reference of every Gateway whose selector picks a workload, in Gateway,
/// server, name, namespace order. `unresolved` (optional) receives the Gateways whose selector
/// picks nothing.
std::vector<CredentialRef> credentialRefs(const model::MeshGraph& g,
                                          std::vector<const model::Gateway*>* unresolved = nullptr);
/// The same for every served Gateway, those generated from Ingresses included.
std::vector<CredentialRef> credentialRefs(const model::MeshGraph& g, const ServedGateways& served);

/// "credentialName NAME of this server", or "secretName NAME of this tls entry" for an Ingress.
std::string referenceNote(const CredentialRef& r);

/// Why a Secret cannot serve as a credential now (unusable contents, a certificate not valid
/// yet), or nullopt when it can. Expiry is IL1003's.
std::optional<std::string> credentialProblem(const model::Credential& c, model::UnixTime now);

/// Whether the server terminates TLS with its credential: tls.mode SIMPLE, MUTUAL or
/// OPTIONAL_MUTUAL (PASSTHROUGH, AUTO_PASSTHROUGH and ISTIO_MUTUAL do not read it).
bool terminatesWithCredential(const model::GatewayServer& server);

/// References whose Secret exists and holds a usable certificate and key, paired with the parsed
/// credential, for servers that terminate TLS with it. Missing and unusable Secrets are
/// gateway.SecretAnalyzer's findings (IST0101, IST0161), and ingress.SecretAnalyzer's for
/// Ingresses (IL1012, IL1013).
struct UsableCredential {
  CredentialRef ref;
  const model::Credential* credential = nullptr;
};
/// Of `refs` (credentialRefs of the graph's Gateways, or of every served Gateway).
std::vector<UsableCredential> usableCredentials(const model::MeshGraph& g, std::vector<CredentialRef> refs);

/// The server's hosts without their `ns/` prefix, as clients send them in SNI.
std::vector<const model::Str*> serverHosts(const model::GatewayServer& server, std::vector<std::string>& names);

/// "ns/name" of the Secret a reference names.
inline std::string secretName(const CredentialRef& r) { return r.secret_ns + "/" + r.secret_name; }

/// "\"a.example.com\", \"b.example.com\"" for a message, or "no host".
std::string quotedList(const std::vector<std::string>& items, std::string_view none);

}  // namespace istio_lint::analyzers::gateway
