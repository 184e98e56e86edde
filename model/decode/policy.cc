#include "model/decode/policy.h"

#include "model/decode/name_checks.h"
#include "model/json_string.h"

namespace istio_lint::model::decode {
namespace {

PolicyTargetRef readTargetRef(Reader& r, const Node& n) {
  PolicyTargetRef t;
  t.span = r.span(n);
  if (!r.requireMap(n)) return t;
  r.known(n, {"group", "kind", "name", "namespace"});
  t.group = r.strOr(n, "group");
  t.kind = r.strOr(n, "kind");
  t.name = r.strOr(n, "name");
  t.ns = r.strOr(n, "namespace");
  if (t.kind.empty()) r.issue(n, "kind is required");
  if (t.name.empty()) r.issue(n, "name is required");
  return t;
}

void appendJson(std::string& out, const Node& n, size_t limit) {
  if (out.size() > limit) return;
  switch (n.type) {
    case yaml::NodeType::Null: out += "null"; return;
    case yaml::NodeType::Scalar:
      if (n.isNull()) {
        out += "null";
      } else if (n.isString()) {
        appendJsonString(out, n.text);
      } else if (auto b = n.asBool()) {
        out += *b ? "true" : "false";
      } else {
        out += n.text;  // a YAML number
      }
      return;
    case yaml::NodeType::Sequence:
      out += '[';
      for (uint32_t i = 0; i < n.size && out.size() <= limit; ++i) {
        if (i) out += ',';
        appendJson(out, n.at(i), limit);
      }
      out += ']';
      return;
    case yaml::NodeType::Mapping:
      out += '{';
      for (uint32_t i = 0; i < n.size && out.size() <= limit; ++i) {
        if (i) out += ',';
        appendJsonString(out, n.key(i).text);
        out += ':';
        appendJson(out, n.value(i), limit);
      }
      out += '}';
      return;
  }
}

}  // namespace

void readPolicyTarget(Reader& r, const Node& spec, PolicyTarget& out, std::string_view kind) {
  if (const Node* sel = r.map(spec, "selector")) {
    auto g = r.field("selector");
    r.known(*sel, {"matchLabels"});
    warnSelectorWithoutLabels(r, *sel, "matchLabels", kind);
    WorkloadSelector ws;
    ws.span = r.span(sel);
    ws.labels_span = ws.span;
    if (auto l = r.labels(*sel, "matchLabels", &ws.labels_span)) ws.match_labels = std::move(*l);
    out.selector = std::move(ws);
  }
  if (const Node* ref = spec.get("targetRef"); ref != nullptr && !ref->isNull()) {
    auto g = r.field("targetRef");
    out.target_ref = readTargetRef(r, *ref);
  }
  r.each(spec, "targetRefs", [&](const Node& n) { out.target_refs.push_back(readTargetRef(r, n)); });
  if (out.selector && out.targeted()) {
    r.issue(*spec.get("selector"), "only one of selector or targetRefs can be set");
  }
  if (out.target_ref && !out.target_refs.empty()) {
    r.issue(*spec.get("targetRef"), "only one of targetRef or targetRefs can be set");
  }
}

std::vector<ProviderRef> readProviderRefs(Reader& r, const Node& parent, std::string_view key) {
  std::vector<ProviderRef> out;
  r.each(parent, key, [&](const Node& n) {
    ProviderRef p;
    p.span = r.span(n);
    if (!n.isMap()) {
      r.issue(n, "expected a mapping with a provider name");
      return;
    }
    r.known(n, {"name"});
    p.name = r.strOr(n, "name");
    if (p.name.empty()) r.issue(n, "provider name is required");
    out.push_back(std::move(p));
  });
  return out;
}

std::string toJson(const Node& n, size_t limit) {
  std::string out;
  appendJson(out, n, limit);
  if (out.size() > limit) {
    out.resize(limit);
    out += "...";
  }
  return out;
}

}  // namespace istio_lint::model::decode
