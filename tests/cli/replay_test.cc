// What `istio-lint replay` makes of decided requests (cli/replay.h): outcomes, expectations, the
// summary's counts and differences, bounded by the configuration rather than the traffic.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "cli/prompt_models.h"
#include "cli/replay.h"
#include "cli/replay_coverage.h"
#include "cli/simulate_output.h"
#include "model/loader.h"

namespace istio_lint::cli {
namespace {

const char* kReplayMesh = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: ingressgateway, namespace: istio-system}
spec:
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public-gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/public-gw]
  http:
  - name: moved
    match: [{uri: {prefix: /old}}]
    redirect: {uri: /new}
  - name: web
    route: [{destination: {host: web.shop.svc.cluster.local, port: {number: 80}}}]
)";

struct ReplayFixture {
  model::MeshGraph graph;
  PromptModels models;
  ReplayFixture()
      : graph(model::MeshGraph::build(model::load({{"mesh.yaml", kReplayMesh}}, {}), [] {
          model::GraphOptions go;
          go.default_ingress = model::DefaultIngress::Off;
          return go;
        }())),
        models(graph, std::nullopt) {}

  ReplayOutcome decide(const std::string& line) {
    TrafficLine t = parseTrafficLine(line, {});
    REQUIRE(t.kind == TrafficLine::Kind::Request);
    std::string error;
    PromptModels::Entry e = models.enter(t.request.entry, error);
    REQUIRE(e.proxy != nullptr);
    std::vector<simulate::Header> headers;
    return outcomeOf(simulate::traceRequest(*e.model, *e.proxy, toRequest(t.request, headers)), graph.files());
  }
};

RequestSpec spec(const std::string& line) { return parseTrafficLine(line, {}).request; }

TEST_CASE("replay: the outcome of a request, and its expectations") {
  ReplayFixture f;
  ReplayOutcome web = f.decide("GET http://shop.example.com/ via istio-system/public-gw");
  CHECK(web.entry == "gateway istio-system/ingressgateway");
  CHECK(web.result == "forwarded");
  CHECK(web.cluster == "outbound|80||web.shop.svc.cluster.local");
  CHECK(web.entry_cluster == web.cluster);
  CHECK(web.route_name == "web");
  CHECK(web.route_vs == "shop/shop");
  CHECK(web.route == "shop/shop web (mesh.yaml:33)");  // the http route named web
  CHECK(web.exit == "none");
  CHECK(web.error.empty());
  CHECK(web.describe() == "forwarded to outbound|80||web.shop.svc.cluster.local");

  ReplayOutcome moved = f.decide("GET http://shop.example.com/old/x via istio-system/public-gw");
  CHECK(moved.result == "redirect 301");  // without the URL, so that redirects count together
  CHECK(moved.cluster.empty());
  ReplayOutcome none = f.decide("GET http://other.example.com/ via istio-system/public-gw");
  CHECK(none.result == "404 NR");
  CHECK(none.error == "404 NR");

  Expectation e;
  CHECK(checkExpectation(e, web).empty());  // nothing asked, nothing fails
  e.cluster = "outbound|80||web.shop.svc.cluster.local";
  e.route = "shop/shop";  // the VirtualService, or the route's name
  e.error = "";
  CHECK(checkExpectation(e, web).empty());
  e.route = "web";
  CHECK(checkExpectation(e, web).empty());
  std::vector<std::string> failed = checkExpectation(e, none);
  REQUIRE(failed.size() == 3);
  CHECK(failed[0] == "expected: [outbound|80||web.shop.svc.cluster.local], actual: [], field: cluster");
  CHECK(failed[1] == "expected: [web], actual: [], field: route");
  CHECK(failed[2] == "expected: [], actual: [404 NR], field: error");
}

TEST_CASE("replay: request lines read back as they were given") {
  CHECK(requestLine(spec("GET https://shop.example.com:8443/api?x=1 via istio-system/gw random 5")) ==
        "GET https://shop.example.com:8443/api?x=1 via istio-system/gw random 5");
  CHECK(requestLine(spec("tls api.stripe.com:443 from payments/app")) == "tls api.stripe.com:443 from payments/app");
  CHECK(requestLine(spec("tcp db:5432 to shop/db mtls")) == "tcp db:5432 to shop/db mtls");
}

TEST_CASE("replay: the summary counts by value, keeps a few examples and compares") {
  ReplayFixture f;
  ReplaySummary s;
  const RequestSpec web_spec = spec("GET http://shop.example.com/ via istio-system/public-gw");
  const ReplayOutcome web = f.decide("GET http://shop.example.com/ via istio-system/public-gw");
  const ReplayOutcome none = f.decide("GET http://other.example.com/ via istio-system/public-gw");
  for (size_t line = 1; line <= 5; ++line) s.add(line, web_spec, web);
  s.add(6, web_spec, none);
  s.skipped();
  CHECK(s.requests() == 6);

  // Logged clusters: the same cluster matches; a different one is a difference.
  s.compareRecorded(1, web_spec, Recorded{"outbound|80||web.shop.svc.cluster.local", "web", 200}, web);
  s.compareRecorded(2, web_spec, Recorded{"outbound|80||old.shop.svc.cluster.local", "web", 200}, web);
  s.compareRecorded(6, web_spec, Recorded{"", "", 404}, none);
  // --diff: every change is counted, kExamples of them kept.
  for (size_t line = 1; line <= 5; ++line) s.compareOld(line, web_spec, none, web);
  s.compareOld(6, web_spec, none, none);
  CHECK(s.changed() == 5);
  s.expectation(1, web_spec, {});
  s.expectation(6, web_spec, {"expected: [a], actual: [b], field: cluster"});
  CHECK(s.expectationsChecked() == 2);
  CHECK(s.expectationsFailed() == 1);

  std::ostringstream text;
  s.printText(text, "traffic.txt");
  const std::string out = text.str();
  CHECK(out.starts_with("replay: 6 requests from traffic.txt (1 line skipped)\n"));
  CHECK(out.find("results:\n       5  forwarded\n       1  404 NR\n") != std::string::npos);
  CHECK(out.find("access log: 2 of 3 logged clusters match the decision; these differ:\n"
                 "       1  logged outbound|80||old.shop.svc.cluster.local (200), decided "
                 "outbound|80||web.shop.svc.cluster.local\n") != std::string::npos);
  CHECK(out.find("--diff: 5 of 6 requests change outcome:\n       5  404 NR -> forwarded to "
                 "outbound|80||web.shop.svc.cluster.local\n") != std::string::npos);
  CHECK(out.find("          line 3: GET http://shop.example.com:80/ via istio-system/public-gw\n") != std::string::npos);
  CHECK(out.find("line 4:") == std::string::npos);  // only kExamples examples
  CHECK(out.find("expectations: 2 checked, 1 failed\n  line 6: GET http://shop.example.com:80/ via "
                 "istio-system/public-gw: expected: [a], actual: [b], field: cluster\n") != std::string::npos);

  nlohmann::json j = s.toJson();
  CHECK(j["requests"] == 6);
  CHECK(j["skipped_lines"] == 1);
  CHECK(j["results"][0]["value"] == "forwarded");
  CHECK(j["results"][0]["count"] == 5);
  CHECK(j["results"][0]["first_line"] == 1);
  CHECK(j["access_log"]["match"] == 2);
  CHECK(j["diff"]["changed"] == 5);
  CHECK(j["diff"]["changes"][0]["examples"].size() == ReplaySummary::kExamples);
  CHECK(j["expectations"]["failed"] == 1);
}

TEST_CASE("replay: route coverage counts the VirtualService routes of the proxies entered") {
  ReplayFixture f;
  RouteCoverage c;
  CHECK(c.percent() == 100.0);  // nothing to cover yet
  std::string error;
  const simulate::Proxy* gw = f.models.enter({EntryPoint::Kind::Gateway, "istio-system", "public-gw"}, error).proxy;
  REQUIRE(gw != nullptr);
  c.enter(*gw, f.graph.files());
  c.enter(*gw, f.graph.files());  // once per proxy
  CHECK(c.total() == 2);          // moved and web; no generated route
  CHECK(c.covered() == 0);

  TrafficLine t = parseTrafficLine("GET http://shop.example.com/ via istio-system/public-gw", {});
  std::vector<simulate::Header> headers;
  const simulate::Trace trace = simulate::traceRequest(f.models.base(), *gw, toRequest(t.request, headers));
  c.hit(trace.hops.front());
  c.hit(trace.hops.front());  // a route counts once
  CHECK(c.covered() == 1);
  CHECK(c.percent() == 50.0);
  std::ostringstream out;
  c.printText(out);
  CHECK(out.str() ==
        "\nroute coverage: 1 of 2 routes (50.0%); no request took:\n"
        "  gateway istio-system/ingressgateway: route config http.80, virtual host shop.example.com:80: shop/shop moved (mesh.yaml:31)\n");
  CHECK(c.toJson()["missing"].size() == 1);
}

}  // namespace
}  // namespace istio_lint::cli
