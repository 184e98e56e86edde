// Bytes as what `serve` reads from its sockets (serve/http_codec.h): as a stream of pipelined
// requests and as an upstream's responses, fed in pieces whose sizes the first byte picks. Whatever
// the bytes, the parser consumes at most what it is given, stops at each complete message or at an
// error with a status to answer, and keeps within its limits. Every complete request is then
// routed through fixtures/serve's gateway (decide, then serve::plan), as serve does. The bytes are
// also read as the start of a TLS connection (serve/client_hello.h): every prefix is a NeedMore,
// an Ok or a NotTls, and once NotTls or Ok, longer input never turns back into NeedMore.
#include <memory>
#include <string>

#include "fuzz/harness.h"
#include "model/loader.h"
#include "model/mesh_graph.h"
#include "serve/client_hello.h"
#include "serve/http_codec.h"
#include "serve/route_plan.h"
#include "simulate/routing_model.h"

namespace {

using namespace istio_lint;
using istio_lint::fuzz::require;

const char* kGateway = R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [gw]
  http:
  - match: [{uri: {prefix: /r}}]
    redirect: {uri: /x, derivePort: FROM_REQUEST_PORT}
  - match: [{uri: {regex: "/i/[0-9]+"}}]
    rewrite: {uriRegexRewrite: {match: "^/i/([0-9]+)$", rewrite: "/c/\\1"}}
    route: [{destination: {host: a.example.com}}]
  - match: [{uri: {prefix: /p}}]
    rewrite: {uri: /, authority: b.example.com}
    headers: {request: {set: {x-a: "1"}, remove: [x-b]}}
    route: [{destination: {host: a.example.com}, weight: 50}, {destination: {host: b.example.com}, weight: 50}]
  - fault: {abort: {httpStatus: 503, percentage: {value: 50}}, delay: {fixedDelay: 1s, percentage: {value: 50}}}
    timeout: 2s
    retries: {attempts: 3, perTryTimeout: 1s, retryOn: "5xx,409,reset"}
    route: [{destination: {host: a.example.com}}]
)";

struct Routing {
  std::unique_ptr<model::MeshGraph> graph;
  std::unique_ptr<simulate::RoutingModel> model;
  const simulate::Proxy* gw = nullptr;
};

const Routing& routing() {
  static const Routing r = [] {
    Routing x;
    model::GraphOptions go;
    go.default_ingress = model::DefaultIngress::Off;
    x.graph = std::make_unique<model::MeshGraph>(model::MeshGraph::build(model::load({{"gw.yaml", kGateway}}, {}), go));
    x.model = simulate::RoutingModel::build(*x.graph, {});
    x.gw = x.model->gatewayProxy("istio-system", "gw");
    return x;
  }();
  return r;
}

void route(const serve::HttpMessage& m, uint64_t random, serve::RouteCache& routes) {
  std::vector<simulate::Header> headers;
  for (const auto& [k, v] : m.headers) headers.push_back({k, v});
  simulate::Request r;
  r.host = m.header("host");
  r.port = 8080;
  r.path = m.target;
  r.method = m.method;
  r.headers = headers.data();
  r.header_count = static_cast<uint32_t>(headers.size());
  r.has_random = true;
  r.random = random;
  const simulate::Decision d = simulate::decide(*routing().gw, r);
  serve::Plan p = serve::plan(d, r, 8080, routes);
  require(p.kind != serve::Plan::Kind::Forward || p.cluster != nullptr, "a forward without a cluster");
  require(p.kind != serve::Plan::Kind::Respond || (p.status >= 100 && p.status <= 999), "a status out of range");
  serve::HeaderList h = {{"x-b", "2"}};
  for (const model::HeaderOps* ops : p.request_ops) serve::applyHeaderOps(*ops, h);
}

void parseAll(serve::HttpParser::Kind kind, std::string_view bytes, size_t piece, serve::RouteCache& routes) {
  serve::HttpParser p(kind, 4096, 1 << 16);
  size_t pos = 0;
  int messages = 0;
  while (pos < bytes.size() && messages < 64) {
    const size_t n = std::min(piece, bytes.size() - pos);
    const size_t used = p.feed(bytes.data() + pos, n);
    require(used <= n, "the parser consumed more than it was given");
    pos += used;
    if (p.failed()) {
      const unsigned s = p.errorStatus();
      require(s == 400 || s == 413 || s == 431, "an error status serve does not answer with");
      require(!p.error().empty(), "an error without words");
      return;
    }
    if (p.complete()) {
      const serve::HttpMessage& m = p.message();
      require(m.body.size() <= (1u << 16), "a body past the limit");
      require(m.headers.size() <= 256, "more headers than the limit");
      if (kind == serve::HttpParser::Kind::Request && !m.header("host").empty()) route(m, pos * 7919u, routes);
      p.next();
      ++messages;
      continue;
    }
    if (used < n) return;  // paused mid-message without an error: cannot happen, but never loop
  }
  p.finish();
}

void readHello(std::string_view bytes) {
  serve::ClientHello h;
  const serve::HelloResult whole = serve::parseClientHello(bytes, h);
  if (whole == serve::HelloResult::Ok) {
    require(h.sni.size() < bytes.size(), "a server name longer than the hello");
    size_t alpn = 0;
    for (const std::string& p : h.alpn) alpn += p.size();
    require(alpn < bytes.size(), "ALPN protocols longer than the hello");
  }
  // A prefix that already decided (Ok or NotTls) decides the same way with the rest appended,
  // except that an Ok may meet more records after it (still Ok).
  for (size_t n : {bytes.size() / 3, bytes.size() / 2}) {
    const serve::HelloResult part = serve::parseClientHello(bytes.substr(0, n), h);
    if (part == serve::HelloResult::NotTls) require(whole == serve::HelloResult::NotTls, "NotTls, then more bytes fixed it");
    if (part == serve::HelloResult::Ok) require(whole == serve::HelloResult::Ok, "Ok, then more bytes broke it");
  }
}

}  // namespace

ISTIO_LINT_FUZZ_TARGET(bytes) {
  if (bytes.empty()) return;
  readHello(bytes);
  const size_t piece = 1 + static_cast<unsigned char>(bytes[0]) % 64;
  bytes.remove_prefix(1);
  serve::RouteCache routes;
  parseAll(serve::HttpParser::Kind::Request, bytes, piece, routes);
  parseAll(serve::HttpParser::Kind::Response, bytes, piece, routes);
}
