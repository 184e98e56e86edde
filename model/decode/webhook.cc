// Decoder for MutatingWebhookConfiguration and ValidatingWebhookConfiguration (admissionregistration
// v1 and v1beta1 share the fields read here).

#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/webhook.h"

namespace istio_lint::model::decode {
namespace {

std::optional<LabelSelector> readSelector(Reader& r, const Node& parent, std::string_view key) {
  const Node* n = r.map(parent, key);
  if (n == nullptr) return std::nullopt;
  auto g = r.field(key);
  LabelSelector s;
  s.span = r.span(n);
  s.match_labels = r.labels(*n, "matchLabels").value_or(Labels{});
  r.each(*n, "matchExpressions", [&](const Node& e) {
    if (!r.requireMap(e)) return;
    LabelSelectorRequirement req;
    req.span = r.span(e);
    req.key = r.strOr(e, "key");
    req.op = r.strOr(e, "operator");
    for (const Str& v : r.strList(e, "values")) req.values.push_back(v.value);
    const std::string& op = req.op.value;
    if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") {
      auto go = r.field("operator");
      r.issue(e.get("operator") ? *e.get("operator") : e,
              "\"" + op + "\" is not a valid operator; expected one of In, NotIn, Exists, DoesNotExist");
    } else if ((op == "In" || op == "NotIn") && req.values.empty()) {
      r.issue(e, "operator " + op + " needs at least one value");
    } else if ((op == "Exists" || op == "DoesNotExist") && !req.values.empty()) {
      r.issue(e, "operator " + op + " takes no values");
    }
    s.match_expressions.push_back(std::move(req));
  });
  return s;
}

}  // namespace

ResourcePtr decodeWebhookConfiguration(Reader& r, const Node& root) {
  auto cfg = std::make_unique<WebhookConfiguration>();
  r.each(root, "webhooks", [&](const Node& n) {
    if (!r.requireMap(n)) return;
    Webhook w;
    w.span = r.span(n);
    w.name = r.strOr(n, "name");
    if (w.name.empty()) w.name.span = w.span;
    w.failure_policy = r.strOr(n, "failurePolicy");
    if (const Node* cc = r.map(n, "clientConfig")) {
      auto g = r.field("clientConfig");
      w.client_config.span = r.span(cc);
      w.client_config.url = r.str(*cc, "url");
      if (const Node* svc = r.map(*cc, "service")) {
        auto gs = r.field("service");
        WebhookServiceRef ref;
        ref.span = r.span(svc);
        ref.name = r.strOr(*svc, "name");
        ref.ns = r.strOr(*svc, "namespace");
        ref.path = r.strOr(*svc, "path");
        ref.port = r.port(*svc, "port");
        w.client_config.service = std::move(ref);
      }
    } else {
      w.client_config.span = w.span;
    }
    w.namespace_selector = readSelector(r, n, "namespaceSelector");
    w.object_selector = readSelector(r, n, "objectSelector");
    cfg->webhooks.push_back(std::move(w));
  });
  return cfg;
}

}  // namespace istio_lint::model::decode
