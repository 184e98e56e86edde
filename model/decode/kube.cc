// Decoders for core and apps Kubernetes kinds: Service, Pod and pod templates, Secret, ConfigMap.

#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/kube.h"

namespace istio_lint::model::decode {
namespace {

std::vector<KubeServicePort> readServicePorts(Reader& r, const Node& parent) {
  std::vector<KubeServicePort> out;
  r.each(parent, "ports", [&](const Node& n) {
    KubeServicePort p;
    p.span = r.span(n);
    if (!r.requireMap(n)) return;
    p.port = r.port(n, "port").value_or(0);
    p.name = r.strOr(n, "name");
    if (auto proto = r.str(n, "protocol")) {
      p.protocol = *proto;
      p.protocol_given = true;
    }
    p.app_protocol = r.strOr(n, "appProtocol");
    if (auto tp = r.scalarText(n, "targetPort")) p.target_port = tp->value;
    out.push_back(std::move(p));
  });
  return out;
}

void readContainers(Reader& r, const Node& pod_spec, std::string_view key, std::vector<Container>& out) {
  r.each(pod_spec, key, [&](const Node& n) {
    if (!r.requireMap(n)) return;
    Container c;
    c.name = r.strOr(n, "name");
    c.image = r.strOr(n, "image");
    r.each(n, "env", [&](const Node& e) {
      if (!e.isMap()) return;
      auto name = r.str(e, "name");
      auto value = r.scalarText(e, "value");
      if (name) c.env.emplace_back(name->value, value.value_or(Str{"", r.span(e)}));
    });
    r.each(n, "ports", [&](const Node& p) {
      if (!p.isMap()) return;
      if (auto cp = r.port(p, "containerPort")) {
        c.ports.push_back(*cp);
        const Node* name = p.get("name");
        if (name != nullptr && name->isString() && !name->str().empty()) c.named_ports.emplace_back(name->str(), *cp);
      }
    });
    if (const Node* sc = r.map(n, "securityContext")) {
      auto g = r.field("securityContext");
      c.run_as_user = r.integer(*sc, "runAsUser");
      c.run_as_user_span = r.span(sc->get("runAsUser"));
    }
    out.push_back(std::move(c));
  });
}

void readPodSpec(Reader& r, const Node& spec, Workload& w) {
  readContainers(r, spec, "containers", w.containers);
  readContainers(r, spec, "initContainers", w.init_containers);
  w.node_name = r.strOr(spec, "nodeName").value;
  if (const Node* sc = r.map(spec, "securityContext")) {
    auto g = r.field("securityContext");
    w.pod_run_as_user = r.integer(*sc, "runAsUser");
    w.pod_run_as_user_span = r.span(sc->get("runAsUser"));
  }
  w.host_network = r.boolean(spec, "hostNetwork").value_or(false);
  if (auto ns = r.labels(spec, "nodeSelector")) w.node_selector = std::move(*ns);
}

}  // namespace

ResourcePtr decodeService(Reader& r, const Node& root) {
  auto svc = std::make_unique<Service>();
  const Node* spec = r.map(root, "spec");
  if (spec == nullptr) return svc;
  auto g = r.field("spec");
  svc->type = r.strOr(*spec, "type");
  svc->selector = r.labels(*spec, "selector");
  svc->ports = readServicePorts(r, *spec);
  svc->cluster_ip = r.strOr(*spec, "clusterIP").value;
  svc->external_name = r.strOr(*spec, "externalName").value;
  return svc;
}

ResourcePtr decodeWorkload(Reader& r, Kind kind, const Node& root) {
  auto w = std::make_unique<Workload>();
  const Node* spec = r.map(root, "spec");
  auto revisionSpan = [&](const Node* meta) {
    const Node* labels = meta != nullptr && meta->isMap() ? meta->get("labels") : nullptr;
    const Node* rev = labels != nullptr && labels->isMap() ? labels->get("istio.io/rev") : nullptr;
    if (rev != nullptr) w->revision_label_span = r.span(*rev);
  };
  revisionSpan(root.get("metadata"));
  if (kind == Kind::Pod) {
    // Pod labels are read with the metadata; the graph copies them into pod_labels.
    if (spec) {
      auto g = r.field("spec");
      readPodSpec(r, *spec, *w);
    }
    return w;
  }
  if (spec == nullptr) return w;
  auto g = r.field("spec");
  w->replicas = r.integer(*spec, "replicas");
  const Node* tmpl = r.map(*spec, "template");
  if (tmpl == nullptr) return w;
  auto gt = r.field("template");
  if (const Node* meta = r.map(*tmpl, "metadata")) {
    auto gm = r.field("metadata");
    revisionSpan(meta);
    if (auto l = r.labels(*meta, "labels")) w->pod_labels = std::move(*l);
    r.entries(*meta, "annotations", [&](std::string_view k, const Node& v) {
      if (v.isScalar()) w->pod_annotations.emplace(std::string(k), Str{v.str(), r.span(v)});
    });
  }
  if (const Node* pod_spec = r.map(*tmpl, "spec")) {
    auto gs = r.field("spec");
    readPodSpec(r, *pod_spec, *w);
  }
  return w;
}

ResourcePtr decodeSecret(Reader& r, const Node& root) {
  auto s = std::make_unique<Secret>();
  s->type = r.strOr(root, "type");
  r.entries(root, "data", [&](std::string_view k, const Node& v) { s->data.emplace(std::string(k), v.str()); });
  r.entries(root, "stringData",
            [&](std::string_view k, const Node& v) { s->string_data.emplace(std::string(k), v.str()); });
  return s;
}

ResourcePtr decodeConfigMap(Reader& r, const Node& root) {
  auto cm = std::make_unique<ConfigMap>();
  r.entries(root, "data", [&](std::string_view k, const Node& v) {
    cm->data.emplace(std::string(k), Str{v.str(), r.span(v)});
  });
  return cm;
}

}  // namespace istio_lint::model::decode
