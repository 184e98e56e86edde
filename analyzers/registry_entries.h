#pragma once

// Factories of every analyzer; analyzers/registry.cc lists them, sorted by name.

#include "analyzers/analyzer.h"

namespace istio_lint::analyzers {

AnalyzerPtr makeInputLoadAnalyzer();
AnalyzerPtr makeSchemaValidationAnalyzer(model::Kind kind);
AnalyzerPtr makeVirtualServiceDestinationHostAnalyzer();
AnalyzerPtr makeVirtualServiceDestinationRuleAnalyzer();
AnalyzerPtr makeVirtualServiceGatewayAnalyzer();

}  // namespace istio_lint::analyzers
