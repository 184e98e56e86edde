// Decoder for extensions.istio.io WasmPlugin. pluginConfig is free-form and not read.

#include "model/decode/decode.h"
#include "model/decode/policy.h"
#include "model/decode/reader.h"
#include "model/resources/extensions.h"

namespace istio_lint::model::decode {

ResourcePtr decodeWasmPlugin(Reader& r, const Node& spec) {
  auto wp = std::make_unique<WasmPlugin>();
  r.known(spec, {"selector", "targetRef", "targetRefs", "url", "sha256", "imagePullPolicy",
                 "imagePullSecret", "verificationKey", "pluginConfig", "pluginName", "phase", "priority",
                 "failStrategy", "vmConfig", "match", "type"});
  readPolicyTarget(r, spec, wp->target, "WasmPlugin");
  wp->url = r.strOr(spec, "url");
  if (wp->url.empty()) r.issue(spec, "url is required (oci://, https://, http:// or file:// location of the module)");
  wp->sha256 = r.strOr(spec, "sha256");
  if (!wp->sha256.empty()) {
    bool hex = wp->sha256.value.size() == 64 &&
               wp->sha256.value.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) {
      auto g = r.field("sha256");
      r.issue(*spec.get("sha256"), "must be 64 lowercase hexadecimal characters");
    }
  }
  wp->image_pull_policy =
      r.enumeration(spec, "imagePullPolicy", {"UNSPECIFIED_POLICY", "IfNotPresent", "Always"}).value_or(Str{});
  wp->image_pull_secret = r.strOr(spec, "imagePullSecret");
  r.str(spec, "verificationKey");
  if (const Node* pc = spec.get("pluginConfig"); pc != nullptr && !pc->isNull()) {
    wp->has_plugin_config = true;
    if (!pc->isMap()) r.map(spec, "pluginConfig");  // reports the wrong type
  }
  wp->plugin_name = r.strOr(spec, "pluginName");
  wp->phase = r.enumeration(spec, "phase", {"UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"}).value_or(Str{});
  wp->priority = r.integer(spec, "priority");
  wp->fail_strategy = r.enumeration(spec, "failStrategy", {"FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"}).value_or(Str{});
  wp->type = r.enumeration(spec, "type", {"UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"}).value_or(Str{});
  if (const Node* vm = r.map(spec, "vmConfig")) {
    auto g = r.field("vmConfig");
    r.known(*vm, {"env"});
    r.each(*vm, "env", [&](const Node& e) {
      if (!r.requireMap(e)) return;
      r.known(e, {"name", "value", "valueFrom"});
      if (r.strOr(e, "name").empty()) r.issue(e, "name is required");
      auto from = r.enumeration(e, "valueFrom", {"INLINE", "HOST"});
      auto value = r.str(e, "value");
      if (from && from->value == "HOST" && value) r.issue(e, "value may only be set when valueFrom is INLINE");
    });
  }
  r.each(spec, "match", [&](const Node& m) {
    WasmTrafficSelector ts;
    ts.span = r.span(m);
    if (!r.requireMap(m)) return;
    r.known(m, {"mode", "ports"});
    ts.mode = r.enumeration(m, "mode", {"UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"}).value_or(Str{});
    r.each(m, "ports", [&](const Node& p) {
      if (!p.isMap()) {
        r.issue(p, "expected a mapping with a port number");
        return;
      }
      r.known(p, {"number"});
      if (auto n = r.port(p, "number")) ts.ports.push_back(*n);
    });
    wp->match.push_back(std::move(ts));
  });
  return wp;
}

}  // namespace istio_lint::model::decode
