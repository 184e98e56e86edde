#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/decode/server_tls.h"
#include "model/resources/networking.h"

namespace istio_lint::model::decode {

ResourcePtr decodeGateway(Reader& r, const Node& spec) {
  auto gw = std::make_unique<Gateway>();
  r.known(spec, {"servers", "selector"});
  if (auto sel = r.labels(spec, "selector", &gw->selector_span)) gw->selector = std::move(*sel);
  r.each(spec, "servers", gw->servers, [&](const Node& n) {
    GatewayServer s;
    s.span = r.span(n);
    if (!r.requireMap(n)) return;
    r.known(n, {"port", "bind", "hosts", "tls", "defaultEndpoint", "name"});
    // A port without a number, or number 0. (A number of the wrong type or out of range, and a
    // port that is not a mapping, have their own issue already.)
    bool no_port_number = false;
    if (const Node* port = r.map(n, "port")) {
      auto g = r.field("port");
      r.known(*port, {"number", "protocol", "name", "targetPort"});
      s.port_span = r.span(port);
      const std::optional<uint32_t> number = r.port(*port, "number");
      const Node* number_node = port->get("number");
      no_port_number = number_node == nullptr || number_node->isNull() || number == 0u;
      s.port = number.value_or(0);
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
      ServerTls t = readServerTls(r, *tls);
      if (t.https_redirect && n.get("port") != nullptr && !isHttpProtocol(s.protocol.value)) {
        auto gr = r.field("httpsRedirect");
        std::string proto = s.protocol.empty() ? "a server without protocol" : "a " + s.protocol.value + " server";
        r.issue(*tls->get("httpsRedirect"), "tls.httpsRedirect should only be used with http servers: it has no "
                                            "effect on " + proto + "; set it on the plain HTTP server of these hosts",
                true);
      }
      s.tls = std::move(t);
    }
    if (s.hosts.empty()) r.issue(n, "server must have at least one host");
    if (no_port_number) r.issue(n, "server port number must be between 1 and 65535");
    if (s.tls && (s.tls->mode.value == "SIMPLE" || s.tls->mode.value == "MUTUAL") &&
        s.tls->credential_name.empty() && s.tls->credential_names.empty() &&
        (s.tls->server_certificate.empty() || s.tls->private_key.empty()) &&
        n.get("tls")->get("tlsCertificates") == nullptr) {
      r.issue(*n.get("tls"), "tls mode " + s.tls->mode.value +
                                 " needs credentialName (or serverCertificate and privateKey)");
    }
    gw->servers.push_back(std::move(s));
  });
  if (spec.get("servers") == nullptr || gw->servers.empty()) {
    r.issue(spec, "gateway must have at least one server");
  }
  return gw;
}

}  // namespace istio_lint::model::decode
