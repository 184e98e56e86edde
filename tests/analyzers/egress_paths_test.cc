// The egress rules' shared routing model (analyzers/egress_paths.h) on the seed's Stripe example
// and its corrected form (fixtures/simulate/), and the planning that keeps it small.

#ifdef ISTIO_LINT_TEST_OWN_MAIN
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#endif
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/driver.h"
#include "analyzers/egress_paths.h"
#include "model/config/lint_config.h"
#include "model/loader.h"
#include "model/mesh_graph.h"

namespace istio_lint::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = ISTIO_LINT_SOURCE_DIR;

/// Loads a fixture directory (or inline YAML) as `istio-lint -A` does.
model::MeshGraph loadDir(const std::string& rel) {
  std::vector<model::Source> sources;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kSourceDir / rel)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    sources.push_back({fs::relative(f, kSourceDir).generic_string(),
                       std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())});
  }
  model::LoadOptions lo;
  lo.default_namespace = "";
  lo.threads = 1;
  return model::MeshGraph::build(model::load(std::move(sources), lo), model::GraphOptions{});
}

model::MeshGraph loadYaml(const std::string& yaml) {
  model::LoadOptions lo;
  lo.default_namespace = "";
  lo.threads = 1;
  return model::MeshGraph::build(model::load({{"mesh.yaml", yaml}}, lo), model::GraphOptions{});
}

std::vector<const analyzers::Analyzer*> egressAnalyzers() {
  std::vector<const analyzers::Analyzer*> out;
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    if (a->metadata().name.starts_with("egress.")) out.push_back(a.get());
  }
  return out;
}

const char* kStripeIntent = R"(egress:
- hosts: [api.stripe.com]
  via: istio-system/egress-fixed
  from: [payments/*]
)";

std::string describe(const std::vector<rules::Finding>& findings) {
  std::string out;
  for (const rules::Finding& f : findings) out += "\n" + std::string(f.type().code) + " " + f.message;
  return out;
}

TEST_CASE("the corrected egress setup leaves through the egress gateway and produces no IL2xxx") {
  model::MeshGraph g = loadDir("fixtures/simulate/stripe-egress");
  model::config::ParsedConfig config = model::config::parse(kStripeIntent, ".istio-lint.yaml");
  REQUIRE(config.errors.empty());
  std::vector<const analyzers::Analyzer*> egress = egressAnalyzers();
  REQUIRE(egress.size() == 6);
  std::vector<rules::Finding> findings = analyzers::run(g, {egress, &config.config});
  CHECK_MESSAGE(findings.empty(), describe(findings));

  // Not silent for lack of looking: the model holds the gateway-side rule and proves the path.
  REQUIRE(g.derived<analyzers::egress::EgressCandidates>().any());
  const auto& paths = g.derived<analyzers::egress::EgressPaths>();
  REQUIRE(paths.gateways().size() == 1);
  CHECK(paths.gateways().front()->name == "istio-system/egress-fixed");
  CHECK(paths.gateways().front()->in_use);
  REQUIRE(paths.routes().size() == 1);
  CHECK(paths.routes().front().host == "api.stripe.com");
  CHECK(paths.routes().front().leaves);
  REQUIRE(paths.intended().size() == 1);
  REQUIRE(paths.intended().front().probes.size() == 1);
  const analyzers::egress::Probe& probe = paths.intended().front().probes.front();
  CHECK(probe.describe() == "api.stripe.com:443 (tls)");
  REQUIRE(paths.sources().size() == 1);
  simulate::Trace t = paths.trace(paths.sources().front(), probe);
  CHECK(t.hops.size() == 2);
  CHECK(t.exit_kind == "egress-gateway");
  CHECK(t.exit_gateway == "istio-system/egress-fixed");
}

TEST_CASE("the seed's Stripe example leaves directly: IL2001, and IL2006 against the intent") {
  model::MeshGraph g = loadDir("fixtures/simulate/stripe-seed");
  model::config::ParsedConfig config = model::config::parse(kStripeIntent, ".istio-lint.yaml");
  std::vector<rules::Finding> findings = analyzers::run(g, {egressAnalyzers(), &config.config});
  std::vector<std::string> got;
  for (const rules::Finding& f : findings) {
    got.push_back(std::string(f.type().code) + " " + g.files().path(f.span.file) + ":" + std::to_string(f.span.line));
  }
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{
                   "IL2001 fixtures/simulate/stripe-seed/stripe.yaml:22",
                   "IL2003 fixtures/simulate/stripe-seed/egress-gateway.yaml:10",
                   "IL2005 fixtures/simulate/stripe-seed/egress-gateway.yaml:16",
                   "IL2006 fixtures/simulate/stripe-seed/payments.yaml:5",
               });
  for (const rules::Finding& f : findings) {
    if (f.code == rules::Code::IL2006) {
      CHECK(f.message.find("goes directly from the workload, through outbound|443||api.stripe.com") != std::string::npos);
      CHECK(f.message.find("Gateway istio-system/egress-fixed is not in the inputs") != std::string::npos);
    }
  }
}

TEST_CASE("nothing egress-related: no routing model is needed") {
  // The bundled examples have ServiceEntries and REGISTRY_ONLY, but no egress gateway.
  model::MeshGraph g = loadDir("fixtures/examples/payments");
  CHECK_FALSE(g.derived<analyzers::egress::EgressCandidates>().any());
  CHECK(analyzers::run(g, {egressAnalyzers()}).empty());
}

TEST_CASE("sources: one sidecar scope per namespace, Sidecar resource and sourceLabels value") {
  model::MeshGraph g = loadYaml(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, namespace: shop}
spec: {template: {metadata: {labels: {app: a, tier: web}}, spec: {containers: [{name: a, image: a}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b, namespace: shop}
spec: {template: {metadata: {labels: {app: b, tier: web}}, spec: {containers: [{name: b, image: b}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: c, namespace: shop}
spec: {template: {metadata: {labels: {app: c, tier: batch}}, spec: {containers: [{name: c, image: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: shop}
spec: {template: {metadata: {labels: {app: d, tier: web, locked: "yes"}}, spec: {containers: [{name: d, image: d}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: nosidecar, namespace: shop}
spec:
  template:
    metadata: {labels: {app: e, sidecar.istio.io/inject: "false"}}
    spec: {containers: [{name: e, image: e}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: x, namespace: other}
spec: {template: {metadata: {labels: {app: x, tier: web}}, spec: {containers: [{name: x, image: x}]}}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: locked, namespace: shop}
spec:
  workloadSelector: {labels: {locked: "yes"}}
  egress: [{hosts: ["./*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: shop}
spec:
  hosts: [api.example.com]
  http:
  - match: [{sourceLabels: {tier: web}}]
    route: [{destination: {host: api.example.com}}]
)");
  analyzers::egress::SourcePlan plan = analyzers::egress::planSources(g, {});
  std::vector<std::string> groups;
  for (const auto& grp : plan.groups) {
    std::string s = grp.proxy + ":";
    for (const model::Workload* w : grp.workloads) s += " " + w->name();
    groups.push_back(s);
  }
  // a and b share namespace, Sidecar (none) and tier; c differs by tier, d by its Sidecar; the
  // workload without a sidecar is no source.
  CHECK(groups == std::vector<std::string>{"other/x: x", "shop/a: a b", "shop/c: c", "shop/d: d"});

  // Without workloads, the namespaces given stand in (a resource without one lands in default).
  model::MeshGraph empty = loadYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  plan = analyzers::egress::planSources(empty, {"payments", "", "payments"});
  REQUIRE(plan.groups.size() == 2);
  CHECK(plan.groups[0].proxy == "payments/*");
  CHECK(plan.groups[1].proxy == "default/*");
}

}  // namespace
}  // namespace istio_lint::testing
