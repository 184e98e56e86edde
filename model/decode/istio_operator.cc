#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/kube.h"

namespace istio_lint::model::decode {
namespace {

void readGateways(Reader& r, const Node& components, std::string_view key, bool egress,
                  IstioOperator& op) {
  r.each(components, key, [&](const Node& n) {
    if (!r.requireMap(n)) return;
    OperatorGateway g;
    g.span = r.span(n);
    g.egress = egress;
    g.name = r.strOr(n, "name");
    g.enabled = r.boolean(n, "enabled").value_or(true);
    g.ns = r.strOr(n, "namespace");
    if (auto l = r.labels(n, "label")) g.label = std::move(*l);
    if (const Node* k8s = r.map(n, "k8s")) {
      auto gk = r.field("k8s");
      if (const Node* svc = r.map(*k8s, "service")) {
        auto gs = r.field("service");
        g.service_type = r.strOr(*svc, "type");
        g.service_type_span = g.service_type.span;
        r.entries(*svc, "annotations", [&](std::string_view k, const Node& v) {
          g.service_annotations.emplace(std::string(k), Str{v.str(), r.span(v)});
        });
        r.each(*svc, "ports", [&](const Node& p) {
          if (!p.isMap()) return;
          KubeServicePort sp;
          sp.span = r.span(p);
          sp.port = r.port(p, "port").value_or(0);
          sp.name = r.strOr(p, "name");
          if (auto tp = r.scalarText(p, "targetPort")) sp.target_port = tp->value;
          g.service_ports.push_back(std::move(sp));
        });
      }
      if (const Node* hpa = r.map(*k8s, "hpaSpec")) {
        auto gh = r.field("hpaSpec");
        g.has_hpa = true;
        g.hpa_span = r.span(*hpa);
        g.hpa_min = r.integer(*hpa, "minReplicas");
        g.hpa_max = r.integer(*hpa, "maxReplicas");
        g.hpa_min_span = r.span(hpa->get("minReplicas"));
        g.hpa_max_span = r.span(hpa->get("maxReplicas"));
      }
    }
    op.gateways.push_back(std::move(g));
  });
}

/// A Kubernetes env list (`- name: X, value: Y`) into a map by name.
void readEnv(Reader& r, const Node& parent, std::map<std::string, Str>& out) {
  r.each(parent, "env", [&](const Node& e) {
    if (!e.isMap()) return;
    auto name = r.str(e, "name");
    if (!name) return;
    auto value = r.scalarText(e, "value");
    out[name->value] = value.value_or(Str{"", r.span(e)});
  });
}

}  // namespace

ResourcePtr decodeIstioOperator(Reader& r, const Node& spec, const yaml::DocumentPtr& doc) {
  auto op = std::make_unique<IstioOperator>();
  op->doc = doc;
  op->revision = r.strOr(spec, "revision");
  op->mesh_config = r.map(spec, "meshConfig");
  op->values = r.map(spec, "values");
  op->profile = r.strOr(spec, "profile");
  if (op->values != nullptr) {
    auto g = r.field("values");
    if (const Node* pilot = op->values->get("pilot"); pilot != nullptr && pilot->isMap()) {
      auto gp = r.field("pilot");
      // values.pilot.env is a map of name to value in the Helm charts.
      r.entries(*pilot, "env", [&](std::string_view k, const Node& v) {
        if (v.isScalar()) op->values_pilot_env[std::string(k)] = Str{v.str(), r.span(v)};
      });
    }
  }
  if (const Node* components = r.map(spec, "components")) {
    auto g = r.field("components");
    if (const Node* pilot = r.map(*components, "pilot")) {
      auto gp = r.field("pilot");
      op->pilot_span = r.span(*pilot);
      op->pilot_enabled = r.boolean(*pilot, "enabled");
      if (const Node* k8s = r.map(*pilot, "k8s")) {
        auto gk = r.field("k8s");
        readEnv(r, *k8s, op->pilot_env);
      }
    }
    readGateways(r, *components, "ingressGateways", false, *op);
    readGateways(r, *components, "egressGateways", true, *op);
  }
  return op;
}

}  // namespace istio_lint::model::decode
