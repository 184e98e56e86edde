#pragma once

// Typed telemetry.istio.io Telemetry (v1 and v1alpha1 share one model).

#include <map>
#include <optional>
#include <vector>

#include "model/resources/policy.h"

namespace istio_lint::model {

struct TelemetryTracing {
  Str match_mode;  // CLIENT_AND_SERVER (default), CLIENT, SERVER
  std::vector<ProviderRef> providers;
  std::optional<double> random_sampling_percentage;
  std::optional<bool> disable_span_reporting;
  std::vector<std::string> custom_tags;  // tag names
  Span span;
};

struct TelemetryMetricsOverride {
  Str metric, custom_metric, mode;
  std::optional<bool> disabled;
  std::map<std::string, Str> tag_overrides;  // tag name -> operation (UPSERT when absent)
  Span span;
};

struct TelemetryMetrics {
  std::vector<ProviderRef> providers;
  std::vector<TelemetryMetricsOverride> overrides;
  Str reporting_interval;
  Span span;
};

struct TelemetryAccessLogging {
  Str match_mode;
  std::vector<ProviderRef> providers;
  std::optional<bool> disabled;
  Str filter_expression;
  Span span;
};

struct Telemetry : PolicyResource {
  std::vector<TelemetryTracing> tracing;
  std::vector<TelemetryMetrics> metrics;
  std::vector<TelemetryAccessLogging> access_logging;
};

}  // namespace istio_lint::model
