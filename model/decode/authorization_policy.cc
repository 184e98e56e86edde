// Decoder for security.istio.io AuthorizationPolicy, with the checks Istio's validation makes on
// rules: sources, operations and conditions must not be empty, IP blocks and ports must parse.

#include <arpa/inet.h>

#include <charconv>

#include "model/decode/decode.h"
#include "model/decode/policy.h"
#include "model/decode/reader.h"
#include "model/resources/security.h"

namespace istio_lint::model::decode {
namespace {

/// An IP address or CIDR as Istio accepts in ipBlocks ("10.1.2.3", "10.0.0.0/8", "2001:db8::/32").
bool validIpOrCidr(std::string_view s) {
  std::string addr(s.substr(0, s.find('/')));
  unsigned char buf[16];
  int bits = 0;
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    bits = 32;
  } else if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    bits = 128;
  } else {
    return false;
  }
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return true;
  std::string_view len = s.substr(slash + 1);
  int n = -1;
  auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
  return ec == std::errc() && p == len.data() + len.size() && n >= 0 && n <= bits;
}

bool validPort(std::string_view s) {
  int n = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() && p == s.data() + s.size() && n >= 0 && n <= 65535;
}

void checkEach(Reader& r, const Node& parent, std::string_view key, const std::vector<Str>& values,
               bool (*valid)(std::string_view), const char* what) {
  const Node* list = parent.get(key);
  for (size_t i = 0; i < values.size(); ++i) {
    if (valid(values[i].value)) continue;
    auto g = r.field(key);
    auto gi = r.index(i);
    r.issue(list && list->isSeq() && i < list->size ? list->at(static_cast<uint32_t>(i)) : parent,
            "\"" + values[i].value + "\" is not " + what);
  }
}

AuthzSource readSource(Reader& r, const Node& n) {
  AuthzSource s;
  s.span = r.span(n);
  r.known(n, {"principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces",
              "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks",
              "serviceAccounts", "notServiceAccounts"});
  s.principals = r.strList(n, "principals");
  s.not_principals = r.strList(n, "notPrincipals");
  s.request_principals = r.strList(n, "requestPrincipals");
  s.not_request_principals = r.strList(n, "notRequestPrincipals");
  s.namespaces = r.strList(n, "namespaces");
  s.not_namespaces = r.strList(n, "notNamespaces");
  s.ip_blocks = r.strList(n, "ipBlocks");
  s.not_ip_blocks = r.strList(n, "notIpBlocks");
  s.remote_ip_blocks = r.strList(n, "remoteIpBlocks");
  s.not_remote_ip_blocks = r.strList(n, "notRemoteIpBlocks");
  s.service_accounts = r.strList(n, "serviceAccounts");
  s.not_service_accounts = r.strList(n, "notServiceAccounts");
  for (const auto& [key, list] : {std::pair{"ipBlocks", &s.ip_blocks}, {"notIpBlocks", &s.not_ip_blocks},
                                  {"remoteIpBlocks", &s.remote_ip_blocks},
                                  {"notRemoteIpBlocks", &s.not_remote_ip_blocks}}) {
    checkEach(r, n, key, *list, validIpOrCidr, "an IP address or CIDR block");
  }
  bool empty = true;
  for (const auto* list : {&s.principals, &s.not_principals, &s.request_principals, &s.not_request_principals,
                           &s.namespaces, &s.not_namespaces, &s.ip_blocks, &s.not_ip_blocks,
                           &s.remote_ip_blocks, &s.not_remote_ip_blocks, &s.service_accounts,
                           &s.not_service_accounts}) {
    if (!list->empty()) empty = false;
  }
  if (empty) r.issue(n, "source must not be empty: an empty source matches nothing, so the rule never applies");
  if ((!s.service_accounts.empty() || !s.not_service_accounts.empty()) &&
      (!s.principals.empty() || !s.not_principals.empty())) {
    r.issue(n, "serviceAccounts and principals cannot be set together");
  }
  return s;
}

AuthzOperation readOperation(Reader& r, const Node& n) {
  AuthzOperation o;
  o.span = r.span(n);
  r.known(n, {"hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"});
  o.hosts = r.strList(n, "hosts");
  o.not_hosts = r.strList(n, "notHosts");
  o.ports = r.strList(n, "ports");
  o.not_ports = r.strList(n, "notPorts");
  o.methods = r.strList(n, "methods");
  o.not_methods = r.strList(n, "notMethods");
  o.paths = r.strList(n, "paths");
  o.not_paths = r.strList(n, "notPaths");
  checkEach(r, n, "ports", o.ports, validPort, "a port number");
  checkEach(r, n, "notPorts", o.not_ports, validPort, "a port number");
  bool empty = true;
  for (const auto* list : {&o.hosts, &o.not_hosts, &o.ports, &o.not_ports, &o.methods, &o.not_methods,
                           &o.paths, &o.not_paths}) {
    if (!list->empty()) empty = false;
  }
  if (empty) r.issue(n, "operation must not be empty: an empty operation matches nothing, so the rule never applies");
  return o;
}

AuthzRule readRule(Reader& r, const Node& n) {
  AuthzRule rule;
  rule.span = r.span(n);
  if (!r.requireMap(n)) return rule;
  r.known(n, {"from", "to", "when"});
  r.each(n, "from", [&](const Node& f) {
    if (!f.isMap()) {
      r.issue(f, "expected a mapping with a source");
      return;
    }
    r.known(f, {"source"});
    const Node* src = r.map(f, "source");
    if (src == nullptr) {
      if (f.get("source") == nullptr || f.get("source")->isNull()) r.issue(f, "source is required");
      return;
    }
    auto g = r.field("source");
    rule.from.push_back(readSource(r, *src));
  });
  r.each(n, "to", [&](const Node& t) {
    if (!t.isMap()) {
      r.issue(t, "expected a mapping with an operation");
      return;
    }
    r.known(t, {"operation"});
    const Node* op = r.map(t, "operation");
    if (op == nullptr) {
      if (t.get("operation") == nullptr || t.get("operation")->isNull()) r.issue(t, "operation is required");
      return;
    }
    auto g = r.field("operation");
    rule.to.push_back(readOperation(r, *op));
  });
  r.each(n, "when", [&](const Node& w) {
    AuthzCondition c;
    c.span = r.span(w);
    if (!r.requireMap(w)) return;
    r.known(w, {"key", "values", "notValues"});
    c.key = r.strOr(w, "key");
    c.values = r.strList(w, "values");
    c.not_values = r.strList(w, "notValues");
    if (c.key.empty()) r.issue(w, "key is required");
    if (c.values.empty() && c.not_values.empty()) r.issue(w, "at least one of values or notValues must be set");
    rule.when.push_back(std::move(c));
  });
  return rule;
}

/// A DENY rule that only uses HTTP attributes cannot be evaluated on a TCP connection, so Envoy
/// denies every TCP connection it covers. A rule is TCP-safe when a source names peers by identity,
/// namespace or IP, or an operation names ports (request principals are HTTP-only: they come from
/// a JWT).
bool denyRuleIsHttpOnly(const AuthzRule& rule) {
  bool tcp_from = false;
  for (const AuthzSource& s : rule.from) {
    for (const auto* l : {&s.principals, &s.not_principals, &s.namespaces, &s.not_namespaces, &s.ip_blocks,
                          &s.not_ip_blocks, &s.remote_ip_blocks, &s.not_remote_ip_blocks, &s.service_accounts,
                          &s.not_service_accounts}) {
      if (!l->empty()) tcp_from = true;
    }
  }
  bool tcp_to = false;
  for (const AuthzOperation& o : rule.to) {
    if (!o.ports.empty() || !o.not_ports.empty()) tcp_to = true;
  }
  bool has_from = !rule.from.empty(), has_to = !rule.to.empty();
  return (has_from && !has_to && !tcp_from) || (has_to && !tcp_to);
}

}  // namespace

ResourcePtr decodeAuthorizationPolicy(Reader& r, const Node& spec) {
  auto ap = std::make_unique<AuthorizationPolicy>();
  r.known(spec, {"selector", "targetRef", "targetRefs", "rules", "action", "provider"});
  readPolicyTarget(r, spec, ap->target, "AuthorizationPolicy");
  ap->action = r.enumeration(spec, "action", {"ALLOW", "DENY", "AUDIT", "CUSTOM"}).value_or(Str{});
  if (const Node* p = r.map(spec, "provider")) {
    auto g = r.field("provider");
    r.known(*p, {"name"});
    ProviderRef ref;
    ref.span = r.span(p);
    ref.name = r.strOr(*p, "name");
    if (ref.name.empty()) r.issue(*p, "provider name is required");
    ap->provider = std::move(ref);
  }
  r.each(spec, "rules", [&](const Node& n) {
    ap->rules.push_back(readRule(r, n));
    if (ap->action.value == "DENY" && n.isMap() && denyRuleIsHttpOnly(ap->rules.back())) {
      r.issue(n, "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the "
                 "use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port "
                 "(to: [{operation: {ports: [...]}}]) of the HTTP service this rule is meant for",
              true);
    }
  });
  if (ap->action.value == "CUSTOM" && !ap->provider) {
    r.issue(*spec.get("action"), "action CUSTOM needs a provider (the name of a MeshConfig extensionProvider)");
  }
  if (ap->provider && ap->action.value != "CUSTOM") {
    r.issue(*spec.get("provider"), "provider can only be used with action CUSTOM");
  }
  return ap;
}

}  // namespace istio_lint::model::decode
