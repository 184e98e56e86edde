#pragma once

// Typed security.istio.io resources: AuthorizationPolicy and RequestAuthentication (v1 and v1beta1
// share one model).

#include <vector>

#include "model/resources/policy.h"

namespace istio_lint::model {

/// AuthorizationPolicy rule source (`rules[].from[].source`).
struct AuthzSource {
  std::vector<Str> principals, not_principals;
  std::vector<Str> request_principals, not_request_principals;
  std::vector<Str> namespaces, not_namespaces;
  std::vector<Str> ip_blocks, not_ip_blocks;
  std::vector<Str> remote_ip_blocks, not_remote_ip_blocks;
  std::vector<Str> service_accounts, not_service_accounts;
  Span span;
};

/// AuthorizationPolicy rule operation (`rules[].to[].operation`).
struct AuthzOperation {
  std::vector<Str> hosts, not_hosts;
  std::vector<Str> ports, not_ports;
  std::vector<Str> methods, not_methods;
  std::vector<Str> paths, not_paths;
  Span span;
};

/// AuthorizationPolicy condition (`rules[].when[]`).
struct AuthzCondition {
  Str key;
  std::vector<Str> values, not_values;
  Span span;
};

struct AuthzRule {
  std::vector<AuthzSource> from;
  std::vector<AuthzOperation> to;
  std::vector<AuthzCondition> when;
  Span span;
};

struct AuthorizationPolicy : PolicyResource {
  Str action;  // ALLOW (default), DENY, AUDIT, CUSTOM
  std::optional<ProviderRef> provider;  // CUSTOM only
  std::vector<AuthzRule> rules;
};

struct JwtHeader {
  Str name, prefix;
  Span span;
};

struct ClaimToHeader {
  Str header, claim;
  Span span;
};

struct JwtRule {
  Str issuer;
  std::vector<Str> audiences;
  Str jwks_uri, jwks;
  std::vector<JwtHeader> from_headers;
  std::vector<Str> from_params, from_cookies;
  Str output_payload_to_header;
  bool forward_original_token = false;
  std::vector<ClaimToHeader> output_claim_to_headers;
  Str timeout;
  Span span;
};

struct RequestAuthentication : PolicyResource {
  std::vector<JwtRule> jwt_rules;
};

}  // namespace istio_lint::model
