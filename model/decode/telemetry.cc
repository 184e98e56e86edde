// Decoder for telemetry.istio.io Telemetry: tracing, metrics and access logging with their
// providers, and the checks Istio's validation makes on them.

#include "model/decode/decode.h"
#include "model/decode/policy.h"
#include "model/decode/reader.h"
#include "model/resources/telemetry.h"

namespace istio_lint::model::decode {
namespace {

Str readMode(Reader& r, const Node& n) {
  return r.enumeration(n, "mode", {"CLIENT_AND_SERVER", "CLIENT", "SERVER"}).value_or(Str{});
}

Str readMatchMode(Reader& r, const Node& n) {
  const Node* m = r.map(n, "match");
  if (m == nullptr) return {};
  auto g = r.field("match");
  r.known(*m, {"mode"});
  return readMode(r, *m);
}

TelemetryTracing readTracing(Reader& r, const Node& n) {
  TelemetryTracing t;
  t.span = r.span(n);
  r.known(n, {"match", "providers", "randomSamplingPercentage", "disableSpanReporting", "customTags",
              "useRequestIdForTraceSampling", "enableIstioTags"});
  t.match_mode = readMatchMode(r, n);
  t.providers = readProviderRefs(r, n, "providers");
  t.random_sampling_percentage = r.number(n, "randomSamplingPercentage");
  if (t.random_sampling_percentage && (*t.random_sampling_percentage < 0 || *t.random_sampling_percentage > 100)) {
    auto g = r.field("randomSamplingPercentage");
    r.issue(*n.get("randomSamplingPercentage"), "must be between 0 and 100");
  }
  t.disable_span_reporting = r.boolean(n, "disableSpanReporting");
  r.boolean(n, "useRequestIdForTraceSampling");
  r.entries(n, "customTags", [&](std::string_view name, const Node& tag) {
    t.custom_tags.emplace_back(name);
    if (!tag.isMap()) {
      r.issue(tag, "expected a mapping with literal, environment or header");
      return;
    }
    r.known(tag, {"literal", "environment", "header"});
    int kinds = 0;
    for (std::string_view k : {"literal", "environment", "header"}) {
      const Node* v = r.map(tag, k);
      if (v == nullptr) continue;
      ++kinds;
      auto g = r.field(k);
      if (k == "literal") {
        r.known(*v, {"value"});
        if (r.strOr(*v, "value").empty()) r.issue(*v, "value is required");
      } else {
        r.known(*v, {"name", "defaultValue"});
        if (r.strOr(*v, "name").empty()) r.issue(*v, "name is required");
        r.str(*v, "defaultValue");
      }
    }
    if (kinds != 1) r.issue(tag, "exactly one of literal, environment or header must be set");
  });
  return t;
}

TelemetryMetrics readMetrics(Reader& r, const Node& n) {
  TelemetryMetrics m;
  m.span = r.span(n);
  r.known(n, {"providers", "overrides", "reportingInterval"});
  m.providers = readProviderRefs(r, n, "providers");
  m.reporting_interval = r.strOr(n, "reportingInterval");
  r.each(n, "overrides", [&](const Node& o) {
    TelemetryMetricsOverride ov;
    ov.span = r.span(o);
    if (!r.requireMap(o)) return;
    r.known(o, {"match", "disabled", "tagOverrides"});
    if (const Node* match = r.map(o, "match")) {
      auto g = r.field("match");
      r.known(*match, {"metric", "customMetric", "mode"});
      ov.metric = r.enumeration(*match, "metric",
                                {"ALL_METRICS", "REQUEST_COUNT", "REQUEST_DURATION", "REQUEST_SIZE",
                                 "RESPONSE_SIZE", "TCP_OPENED_CONNECTIONS", "TCP_CLOSED_CONNECTIONS",
                                 "TCP_SENT_BYTES", "TCP_RECEIVED_BYTES", "GRPC_REQUEST_MESSAGES",
                                 "GRPC_RESPONSE_MESSAGES"})
                      .value_or(Str{});
      ov.custom_metric = r.strOr(*match, "customMetric");
      ov.mode = readMode(r, *match);
      if (!ov.metric.empty() && !ov.custom_metric.empty()) {
        r.issue(*match, "only one of metric or customMetric can be set");
      }
    }
    ov.disabled = r.boolean(o, "disabled");
    r.entries(o, "tagOverrides", [&](std::string_view tag, const Node& t) {
      if (tag.empty()) {
        r.issue(t, "tagOverrides.name may not be empty: a tag without a name is not added to any metric; "
                   "give the tag a name",
                true);
      }
      if (!t.isMap()) {
        r.issue(t, "expected a mapping with operation and value");
        return;
      }
      r.known(t, {"operation", "value"});
      auto op = r.enumeration(t, "operation", {"UPSERT", "REMOVE"});
      auto value = r.str(t, "value");
      bool op_given = t.get("operation") != nullptr && !t.get("operation")->isNull();
      if (op_given && !op) return;  // an invalid operation was reported already
      bool remove = op && op->value == "REMOVE";
      if (remove && value) r.issue(t, "value must not be set when operation is REMOVE");
      if (!remove && (!value || value->empty())) r.issue(t, "value must be set when operation is UPSERT");
      ov.tag_overrides.emplace(std::string(tag), op.value_or(Str{"UPSERT", r.span(t)}));
    });
    m.overrides.push_back(std::move(ov));
  });
  return m;
}

TelemetryAccessLogging readAccessLogging(Reader& r, const Node& n) {
  TelemetryAccessLogging a;
  a.span = r.span(n);
  r.known(n, {"match", "providers", "disabled", "filter"});
  a.match_mode = readMatchMode(r, n);
  a.providers = readProviderRefs(r, n, "providers");
  a.disabled = r.boolean(n, "disabled");
  if (const Node* f = r.map(n, "filter")) {
    auto g = r.field("filter");
    r.known(*f, {"expression"});
    a.filter_expression = r.strOr(*f, "expression");
  }
  return a;
}

template <typename T>
void readList(Reader& r, const Node& spec, std::string_view key, std::vector<T>& out,
              T (*read)(Reader&, const Node&)) {
  r.each(spec, key, [&](const Node& n) {
    if (!r.requireMap(n)) return;
    out.push_back(read(r, n));
  });
}

}  // namespace

ResourcePtr decodeTelemetry(Reader& r, const Node& spec) {
  auto t = std::make_unique<Telemetry>();
  r.known(spec, {"selector", "targetRef", "targetRefs", "tracing", "metrics", "accessLogging"});
  readPolicyTarget(r, spec, t->target, "Telemetry");
  readList(r, spec, "tracing", t->tracing, readTracing);
  if (t->tracing.size() > 1) {
    auto g = r.field("tracing");
    r.issue(*spec.get("tracing"), "multiple tracing is not currently supported: Istio does not promise to apply "
                                  "every entry; keep a single tracing entry",
            true);
  }
  if (const Node* tracing = spec.get("tracing"); tracing != nullptr && tracing->isSeq()) {
    auto g = r.field("tracing");
    for (uint32_t i = 0; i < tracing->size; ++i) {
      const Node* providers = tracing->at(i).isMap() ? tracing->at(i).get("providers") : nullptr;
      if (providers == nullptr || !providers->isSeq() || providers->size < 2) continue;
      auto gi = r.index(i);
      auto gp = r.field("providers");
      r.issue(*providers, "multiple providers is not currently supported: a tracing entry reports spans to "
                          "one provider; keep one provider",
              true);
    }
  }
  readList(r, spec, "metrics", t->metrics, readMetrics);
  readList(r, spec, "accessLogging", t->access_logging, readAccessLogging);
  return t;
}

}  // namespace istio_lint::model::decode
