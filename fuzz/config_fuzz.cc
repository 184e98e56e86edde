// `.istio-lint.yaml` bytes through the configuration reader: whatever the bytes, it returns a
// configuration or errors that point into the input, and never crashes.
#include <string>

#include "fuzz/harness.h"
#include "model/config/lint_config.h"

ISTIO_LINT_FUZZ_TARGET(bytes) {
  using istio_lint::fuzz::require;
  namespace config = istio_lint::model::config;
  config::ParsedConfig parsed = config::parse(bytes, "fuzz.istio-lint.yaml");
  // Lines as YAML counts them: LF, CR LF and a lone CR each end one.
  size_t lines = 1;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n'))) ++lines;
  }
  for (const config::ConfigError& e : parsed.errors) {
    require(!e.message.empty(), "a configuration error without a message");
    require(e.at.line <= lines, "a configuration error's line is past the end of the input");
  }
  const std::string described = parsed.describeErrors();
  require(parsed.errors.empty() == described.empty(), "describeErrors() disagrees with errors");
  if (parsed.errors.empty()) {
    const config::LintConfig& c = parsed.config;
    require(c.certificate_expiry_days >= 0, "a negative certificate expiry window was accepted");
    (void)c.isInternalHost("api.corp.example.com");
    for (const config::EgressIntent& intent : c.egress) (void)intent.covers("payments", "payments");
  }
}
