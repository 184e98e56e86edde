// Tab completion of `simulate -i` (cli/simulate_completion.h), without a terminal: the index built
// from a routing model, and the candidates for each position of a line.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli/simulate_completion.h"
#include "tests/simulate/simulate_test_util.h"

namespace istio_lint::cli {
namespace {

using Strings = std::vector<std::string>;

// With testing::kShopWeb, the Deployment web in shop.
constexpr const char* kMesh = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingressgateway, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: payments, namespace: payments}
spec:
  selector: {matchLabels: {app: payments}}
  template:
    metadata: {labels: {app: payments}}
    spec: {containers: [{name: payments, image: payments}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public-gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop/Shop.Example.com", "*.wild.example.com", "status.example.com"]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: stripe, namespace: payments}
spec:
  hosts: [api.stripe.com, "*.stripe-wild.com"]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: shop}
spec:
  hosts: [shop.example.com, reviews]
  gateways: [istio-system/public-gw, mesh]
  http:
  - route: [{destination: {host: web}}]
)";

struct Fixture {
  istio_lint::testing::Mesh mesh = istio_lint::testing::compile(std::string(istio_lint::testing::kShopWeb) + kMesh);
  CompletionIndex index = CompletionIndex::build(*mesh.model);
};

Strings candidates(const CompletionIndex& index, std::string_view before_cursor) {
  return complete(index, before_cursor).candidates;
}

TEST_CASE("completion index: hosts, gateways and workloads from the model") {
  Fixture f;
  CHECK(f.index.hosts == Strings{"api.stripe.com", "reviews", "shop.example.com", "status.example.com",
                                 "web.shop.svc.cluster.local"});
  CHECK(f.index.gateways == Strings{"istio-system/public-gw"});
  // The gateway's own workload has no sidecar to enter.
  CHECK(f.index.workloads == Strings{"payments/payments", "shop/web"});
}

TEST_CASE("completion index: an Ingress Istio serves is a gateway to enter, its hosts are hosts") {
  const std::string ingresses = R"(
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: storefront, namespace: shop, annotations: {kubernetes.io/ingress.class: istio}}
spec:
  rules: [{host: store.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: elsewhere, namespace: shop, annotations: {kubernetes.io/ingress.class: nginx}}
spec:
  rules: [{host: nginx.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
)";
  istio_lint::testing::Mesh mesh = istio_lint::testing::compile(std::string(istio_lint::testing::kShopWeb) + ingresses + kMesh);
  CompletionIndex index = CompletionIndex::build(*mesh.model);
  CHECK(index.gateways == Strings{"istio-system/public-gw", "shop/storefront"});
  CHECK(std::count(index.hosts.begin(), index.hosts.end(), "store.example.com") == 1);
  CHECK(std::count(index.hosts.begin(), index.hosts.end(), "nginx.example.com") == 0);
}

TEST_CASE("completion: values after clauses") {
  Fixture f;
  const CompletionIndex& x = f.index;
  CHECK(candidates(x, "tls api.stripe.com:443 from pay") == Strings{"payments/payments"});
  CHECK(candidates(x, "tls api.stripe.com:443 from ") == Strings{"payments/payments", "shop/web"});
  CHECK(candidates(x, "GET /x port 9080 to sh") == Strings{"shop/web"});
  CHECK(candidates(x, "GET /x --to=pay") == Strings{"--to=payments/payments"});
  // `mtls` takes no value: a host can still follow it as the target.
  CHECK(candidates(x, "mtls sh") == Strings{"shop.example.com"});
  CHECK(candidates(x, "GET https://shop.example.com/ via ") == Strings{"istio-system/public-gw"});
  CHECK(candidates(x, "x.example.com --gateway i") == Strings{"istio-system/public-gw"});
  CHECK(candidates(x, "x.example.com --from=sh") == Strings{"--from=shop/web"});
  CHECK(candidates(x, "x.example.com --gateway=") == Strings{"--gateway=istio-system/public-gw"});
  CHECK(candidates(x, "x.example.com sni api") == Strings{"api.stripe.com"});
  CHECK(candidates(x, "from shop/web host s") == Strings{"shop.example.com", "status.example.com"});
  CHECK(candidates(x, "x.example.com scheme t") == Strings{"tcp", "tls"});
  CHECK(candidates(x, "x.example.com method p") == Strings{"PATCH", "POST", "PUT"});
  CHECK(candidates(x, "x.example.com port ").empty());
  CHECK(candidates(x, "x.example.com path /").empty());
  CHECK(candidates(x, "x.example.com -H ").empty());
  CHECK(candidates(x, "x.example.com random 1").empty());
  CHECK(candidates(x, "x.example.com from nobody").empty());
}

TEST_CASE("completion: targets, keywords, commands and flags") {
  Fixture f;
  const CompletionIndex& x = f.index;
  CHECK(candidates(x, "GET https://sh") == Strings{"https://shop.example.com"});
  CHECK(candidates(x, "tls://a") == Strings{"tls://api.stripe.com"});
  CHECK(candidates(x, "ftp://a").empty());
  CHECK(candidates(x, "SHOP") == Strings{"shop.example.com"});
  // The first word: commands, methods, schemes, hosts and clause keywords.
  CHECK(candidates(x, "h") == Strings{"HEAD", "header", "help", "history", "host", "http", "https"});
  CHECK(candidates(x, "ge") == Strings{"GET"});
  CHECK(candidates(x, "q") == Strings{"quit"});
  // After the method: schemes, hosts and keywords; no commands or methods.
  CHECK(candidates(x, "GET h") == Strings{"header", "host", "http", "https"});
  CHECK(candidates(x, "GET https s") == Strings{"scheme", "shop.example.com", "sni", "status.example.com"});
  // After the target, only clauses.
  CHECK(candidates(x, "GET shop.example.com/ s") == Strings{"scheme", "sni"});
  CHECK(candidates(x, "GET shop.example.com/ from shop/web ") ==
        Strings{"from", "header", "host", "method", "mtls", "path", "port", "random", "scheme", "sni", "to", "via"});
  CHECK(candidates(x, "shop.example.com --f") == Strings{"--from"});
  CHECK(candidates(x, "shop.example.com -") ==
        Strings{"--from", "--gateway", "--header", "--host", "--method", "--mtls", "--path", "--port",
                "--random-value", "--scheme", "--sni", "--to", "-H"});
  CHECK(candidates(x, "shop.example.com 'qu").empty());
  CHECK(candidates(x, "zzz").empty());
}

TEST_CASE("completion: the word being completed") {
  Fixture f;
  Completion c = complete(f.index, "GET https://sh");
  CHECK(c.word_start == 4);
  c = complete(f.index, "tls api.stripe.com:443\tfrom  pay");
  CHECK(c.word_start == 29);
  CHECK(c.candidates == Strings{"payments/payments"});
  CHECK(complete(f.index, "").word_start == 0);
  CHECK(!complete(f.index, "").candidates.empty());
}

TEST_CASE("completion: common prefix") {
  CHECK(commonPrefix({}).empty());
  CHECK(commonPrefix({"shop.example.com"}) == "shop.example.com");
  CHECK(commonPrefix({"shop.example.com", "shop.example.org", "shop.e"}) == "shop.e");
  CHECK(commonPrefix({"a", "b"}).empty());
}

}  // namespace
}  // namespace istio_lint::cli
