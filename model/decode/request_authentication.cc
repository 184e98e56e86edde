// Decoder for security.istio.io RequestAuthentication: selector / targetRefs and JWT rules, with the
// checks Istio's validation makes (issuer required, jwksUri an http(s) URL, header names set).

#include "model/decode/decode.h"
#include "model/decode/policy.h"
#include "model/decode/reader.h"
#include "model/resources/security.h"

namespace istio_lint::model::decode {
namespace {

bool httpUrlWithHost(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (url.starts_with(scheme)) {
      std::string_view rest = url.substr(scheme.size());
      return !rest.empty() && rest[0] != '/';
    }
  }
  return false;
}

JwtRule readJwtRule(Reader& r, const Node& n) {
  JwtRule rule;
  rule.span = r.span(n);
  if (!r.requireMap(n)) return rule;
  r.known(n, {"issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams", "fromCookies",
              "outputPayloadToHeader", "forwardOriginalToken", "outputClaimToHeaders", "timeout",
              "failureMode"});
  rule.issuer = r.strOr(n, "issuer");
  if (rule.issuer.empty()) r.issue(n, "issuer is required");
  rule.audiences = r.strList(n, "audiences");
  rule.jwks_uri = r.strOr(n, "jwksUri");
  if (!rule.jwks_uri.empty() && !httpUrlWithHost(rule.jwks_uri.value)) {
    auto g = r.field("jwksUri");
    r.issue(*n.get("jwksUri"), "\"" + rule.jwks_uri.value + "\" is not an http:// or https:// URL with a host");
  }
  rule.jwks = r.strOr(n, "jwks");
  r.each(n, "fromHeaders", [&](const Node& h) {
    JwtHeader jh;
    jh.span = r.span(h);
    if (!r.requireMap(h)) return;
    r.known(h, {"name", "prefix"});
    jh.name = r.strOr(h, "name");
    jh.prefix = r.strOr(h, "prefix");
    if (jh.name.empty()) r.issue(h, "header name is required");
    rule.from_headers.push_back(std::move(jh));
  });
  rule.from_params = r.strList(n, "fromParams");
  rule.from_cookies = r.strList(n, "fromCookies");
  rule.output_payload_to_header = r.strOr(n, "outputPayloadToHeader");
  rule.forward_original_token = r.boolean(n, "forwardOriginalToken").value_or(false);
  r.each(n, "outputClaimToHeaders", [&](const Node& c) {
    ClaimToHeader ch;
    ch.span = r.span(c);
    if (!r.requireMap(c)) return;
    r.known(c, {"header", "claim"});
    ch.header = r.strOr(c, "header");
    ch.claim = r.strOr(c, "claim");
    if (ch.header.empty()) r.issue(c, "header is required");
    if (ch.claim.empty()) r.issue(c, "claim is required");
    rule.output_claim_to_headers.push_back(std::move(ch));
  });
  rule.timeout = r.strOr(n, "timeout");
  r.enumeration(n, "failureMode", {"PERMISSIVE", "IGNORE", "STRICT"});
  return rule;
}

}  // namespace

ResourcePtr decodeRequestAuthentication(Reader& r, const Node& spec) {
  auto ra = std::make_unique<RequestAuthentication>();
  r.known(spec, {"selector", "targetRef", "targetRefs", "jwtRules"});
  readPolicyTarget(r, spec, ra->target, "RequestAuthentication");
  r.each(spec, "jwtRules", [&](const Node& n) { ra->jwt_rules.push_back(readJwtRule(r, n)); });
  return ra;
}

}  // namespace istio_lint::model::decode
