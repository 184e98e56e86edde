// The models of a `simulate -i` session (cli/prompt_models.h): gateways compiled at the start,
// each workload's sidecar on first use, kept up to a bound.

#include <doctest/doctest.h>

#include <string>

#include "cli/prompt_models.h"
#include "model/loader.h"
#include "model/mesh_graph.h"

namespace istio_lint::cli {
namespace {

std::string deployment(const std::string& ns, const std::string& name, const std::string& labels) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + ns +
         "}\nspec:\n  template:\n    metadata: {labels: {" + labels + "}}\n    spec: {containers: [{name: c, image: i}]}\n---\n";
}

model::MeshGraph mesh(int workloads) {
  std::string yaml = deployment("istio-system", "ingressgateway", "istio: ingressgateway");
  yaml += R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public-gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
)";
  for (int i = 0; i < workloads; ++i) yaml += deployment("shop", "app-" + std::to_string(100 + i), "app: a" + std::to_string(i));
  model::LoadOptions lo;
  lo.default_namespace = "default";
  model::GraphOptions go;
  go.default_ingress = model::DefaultIngress::Off;
  return model::MeshGraph::build(model::load({{"mesh.yaml", yaml}}, lo), go);
}

EntryPoint sidecar(const std::string& ns, const std::string& name) { return {EntryPoint::Kind::Sidecar, ns, name}; }
EntryPoint inbound(const std::string& ns, const std::string& name) { return {EntryPoint::Kind::Inbound, ns, name}; }

TEST_CASE("prompt models: gateways at once, a sidecar the first time a line enters it") {
  model::MeshGraph g = mesh(3);
  PromptModels m(g, std::nullopt);
  CHECK(m.gatewayCount() == 1);
  CHECK(m.compiledSidecars() == 0);
  CHECK(m.sidecarWorkloads() == std::vector<std::string>{"shop/app-100", "shop/app-101", "shop/app-102"});
  std::string error;
  PromptModels::Entry gw = m.enter({EntryPoint::Kind::Gateway, "istio-system", "public-gw"}, error);
  CHECK(gw.model == &m.base());
  REQUIRE(gw.proxy != nullptr);
  CHECK(gw.proxy->id.type == simulate::ProxyIdentity::Type::Gateway);
  CHECK(m.compiledSidecars() == 0);

  PromptModels::Entry a = m.enter(sidecar("shop", "app-101"), error);
  REQUIRE(a.proxy != nullptr);
  CHECK(a.proxy->id.name == "shop/app-101");
  CHECK(a.proxy->id.type == simulate::ProxyIdentity::Type::Sidecar);
  CHECK(m.compiledSidecars() == 1);
  // Its model has the gateways too (a sidecar -> egress gateway hop continues there).
  CHECK(a.model->gatewayProxy("istio-system", "public-gw") != nullptr);
  PromptModels::Entry again = m.enter(sidecar("shop", "app-101"), error);
  CHECK(again.model == a.model);
  CHECK(again.proxy == a.proxy);
  CHECK(m.compiledSidecars() == 1);
  CHECK(error.empty());
}

TEST_CASE("prompt models: the sidecar of --from is compiled with the gateways") {
  model::MeshGraph g = mesh(2);
  PromptModels m(g, std::string("shop/app-100"));
  std::string error;
  PromptModels::Entry e = m.enter(sidecar("shop", "app-100"), error);
  CHECK(e.model == &m.base());
  CHECK(e.proxy != nullptr);
  CHECK(m.compiledSidecars() == 0);
}

TEST_CASE("prompt models: `to` beside the entry point puts both proxies in one model") {
  model::MeshGraph g = mesh(3);
  PromptModels m(g, std::nullopt);
  std::string error;
  PromptModels::Entry e = m.enter(sidecar("shop", "app-100"), error, inbound("shop", "app-101"));
  REQUIRE(e.proxy != nullptr);
  REQUIRE(e.deliver_to != nullptr);
  CHECK(e.proxy->id.name == "shop/app-100");
  CHECK(e.deliver_to->id.name == "shop/app-101");
  CHECK(e.model->sidecarProxy("shop", "app-100") == e.proxy);
  CHECK(e.model->sidecarProxy("shop", "app-101") == e.deliver_to);
  CHECK(m.compiledSidecars() == 1);
  // The same pair in either role order reuses the model; a single sidecar gets a model of its own.
  PromptModels::Entry back = m.enter(sidecar("shop", "app-101"), error, inbound("shop", "app-100"));
  CHECK(back.model == e.model);
  CHECK(m.compiledSidecars() == 1);
  CHECK(m.enter(sidecar("shop", "app-100"), error).model != e.model);
  CHECK(m.compiledSidecars() == 2);

  // A gateway entry: the destination's sidecar in a model with every gateway.
  PromptModels::Entry gw = m.enter({EntryPoint::Kind::Gateway, "istio-system", "public-gw"}, error, inbound("shop", "app-102"));
  REQUIRE(gw.proxy != nullptr);
  CHECK(gw.proxy->id.type == simulate::ProxyIdentity::Type::Gateway);
  REQUIRE(gw.deliver_to != nullptr);
  CHECK(gw.deliver_to->id.name == "shop/app-102");

  // A destination that is not a sidecar: the error is about it.
  PromptModels::Entry bad = m.enter(sidecar("shop", "app-100"), error, inbound("shop", "nope"));
  CHECK(bad.proxy == nullptr);
  CHECK(bad.deliver_to_failed);
  CHECK(error.find("shop/nope") != std::string::npos);
  error.clear();
  bad = m.enter(sidecar("shop", "app-100"), error, inbound("istio-system", "ingressgateway"));
  CHECK(bad.deliver_to_failed);
  CHECK(error.find("is a gateway workload") != std::string::npos);
}

TEST_CASE("prompt models: entry points that do not exist") {
  model::MeshGraph g = mesh(2);
  PromptModels m(g, std::nullopt);
  std::string error;
  CHECK(m.enter(sidecar("shop", "app-10"), error).proxy == nullptr);
  CHECK(error == "no workload shop/app-10 in the inputs; did you mean shop/app-100?");
  error.clear();
  CHECK(m.enter(sidecar("istio-system", "ingressgateway"), error).proxy == nullptr);
  CHECK(error.find("is a gateway workload, it has no sidecar") != std::string::npos);
  error.clear();
  CHECK(m.enter({EntryPoint::Kind::Gateway, "istio-system", "public"}, error).proxy == nullptr);
  CHECK(error == "no Gateway istio-system/public in the inputs; did you mean istio-system/public-gw?");
  CHECK(m.compiledSidecars() == 0);
}

TEST_CASE("prompt models: at most kMaxSidecarModels sidecar models are kept") {
  const int n = static_cast<int>(PromptModels::kMaxSidecarModels) + 2;
  model::MeshGraph g = mesh(n);
  PromptModels m(g, std::nullopt);
  std::string error;
  for (int i = 0; i < n; ++i) REQUIRE(m.enter(sidecar("shop", "app-" + std::to_string(100 + i)), error).proxy);
  CHECK(m.compiledSidecars() == static_cast<size_t>(n));
  // The most recent ones are kept; the first two were dropped and are compiled again.
  REQUIRE(m.enter(sidecar("shop", "app-" + std::to_string(100 + n - 1)), error).proxy);
  CHECK(m.compiledSidecars() == static_cast<size_t>(n));
  REQUIRE(m.enter(sidecar("shop", "app-100"), error).proxy);
  CHECK(m.compiledSidecars() == static_cast<size_t>(n) + 1);
}

}  // namespace
}  // namespace istio_lint::cli
