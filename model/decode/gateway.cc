#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/networking.h"

namespace istio_lint::model::decode {

ResourcePtr decodeGateway(Reader& r, const Node& spec) {
  auto gw = std::make_unique<Gateway>();
  if (auto sel = r.labels(spec, "selector", &gw->selector_span)) gw->selector = std::move(*sel);
  r.each(spec, "servers", [&](const Node& n) {
    GatewayServer s;
    s.span = r.span(n);
    if (!n.isMap()) {
      r.issue(n, "expected a mapping");
      return;
    }
    if (const Node* port = r.map(n, "port")) {
      auto g = r.field("port");
      s.port_span = r.span(port);
      s.port = r.port(*port, "number").value_or(0);
      s.port_name = r.strOr(*port, "name");
      s.protocol = r.strOr(*port, "protocol");
      s.target_port = r.port(*port, "targetPort");
    } else {
      s.port_span = s.span;
    }
    s.hosts = r.strList(n, "hosts");
    s.bind = r.strOr(n, "bind");
    s.name = r.strOr(n, "name");
    if (const Node* tls = r.map(n, "tls")) {
      auto g = r.field("tls");
      ServerTls t;
      t.span = r.span(tls);
      t.mode = r.enumeration(*tls, "mode",
                             {"PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL",
                              "OPTIONAL_MUTUAL"})
                   .value_or(Str{});
      t.credential_name = r.strOr(*tls, "credentialName");
      t.credential_names = r.strList(*tls, "credentialNames");
      t.server_certificate = r.strOr(*tls, "serverCertificate");
      t.private_key = r.strOr(*tls, "privateKey");
      t.ca_certificates = r.strOr(*tls, "caCertificates");
      t.https_redirect = r.boolean(*tls, "httpsRedirect").value_or(false);
      t.subject_alt_names = r.strList(*tls, "subjectAltNames");
      s.tls = std::move(t);
    }
    gw->servers.push_back(std::move(s));
  });
  return gw;
}

}  // namespace istio_lint::model::decode
