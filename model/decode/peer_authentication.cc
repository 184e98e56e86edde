#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/port_number.h"
#include "model/resources/peer_authentication.h"

namespace istio_lint::model::decode {
namespace {

Str readMutualTls(Reader& r, const Node& n) {
  if (!n.isMap()) {
    r.issue(n, "expected a mapping with mode");
    return {};
  }
  r.known(n, {"mode"});
  return r.enumeration(n, "mode", {"UNSET", "DISABLE", "PERMISSIVE", "STRICT"}).value_or(Str{});
}

}  // namespace

ResourcePtr decodePeerAuthentication(Reader& r, const Node& spec) {
  auto pa = std::make_unique<PeerAuthentication>();
  r.known(spec, {"selector", "mtls", "portLevelMtls"});
  pa->selector = readWorkloadSelector(r, spec, "selector", &pa->selector_span, "PeerAuthentication");
  if (const Node* m = r.map(spec, "mtls")) {
    auto g = r.field("mtls");
    pa->mode = readMutualTls(r, *m);
  }
  const Node* ports = r.map(spec, "portLevelMtls");
  if (ports == nullptr) return pa;
  auto g = r.field("portLevelMtls");
  if (ports->size == 0) r.issue(*ports, "port level mTLS, if defined, must have at least one element");
  for (uint32_t i = 0; i < ports->size; ++i) {
    const Node& key = ports->key(i);
    auto gk = r.field(key.text);
    PeerAuthentication::PortLevel pl;
    pl.span = r.span(key);
    // Map keys are strings in protobuf JSON: "9090" and 9090 are the same port.
    if (std::optional<uint32_t> port = parsePortNumber(key.text)) {
      pl.port = *port;
    } else {
      r.issue(key, "port must be in range 1..65535, got \"" + key.str() + "\"");
    }
    pl.mode = readMutualTls(r, ports->value(i));
    pa->port_level.push_back(std::move(pl));
  }
  if (ports->size > 0 && (!pa->selector || pa->selector->empty())) {
    r.issue(*ports, "mesh/namespace peer authentication cannot have port level mTLS: portLevelMtls needs a "
                    "selector with matchLabels");
  }
  return pa;
}

}  // namespace istio_lint::model::decode
