#pragma once

// `.istio-lint.yaml`: the project's own settings for a run. Thresholds, suppressions (each with a
// reason), per-code severity overrides and `off`, the hosts that count as internal, the
// certificate expiry window, gateway inventory assumptions and the egress intent. Every value keeps
// the line it was written on, so problems with the file point at it (docs/config.md).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/source_span.h"
#include "rules/catalog.h"

namespace istio_lint::model::config {

/// The file name looked up in the current directory when `--config` is not given.
inline constexpr std::string_view kDefaultFileName = ".istio-lint.yaml";
/// Days before a gateway certificate's notAfter at which it counts as expiring soon.
inline constexpr int64_t kDefaultCertificateExpiryDays = 30;

/// A position in the configuration file (the file is not one of the analyzed inputs, so its
/// spans carry no FileTable index: LintConfig::where() names the file).
struct Pos {
  uint32_t line = 0;
  uint32_t col = 0;
};

/// `suppressions[]`: hide findings of one code on matching resources, with the reason why.
struct Suppression {
  rules::Code code{};
  std::string resource;  // glob over "Kind ns/name" (as -S takes it); "*" for every resource
  std::string file;      // optional glob over the finding's file path; empty: any file
  std::string reason;
  Pos at;                // the list item
};

/// `severity:` one code's level, or off (the code is not reported at all).
struct SeverityOverride {
  std::optional<rules::Level> level;  // nullopt: off
  Pos at;
};

/// `egress[]`: the external hosts a set of workloads must reach through one egress gateway.
struct EgressIntent {
  struct Item {
    std::string value;
    Pos at;
  };
  std::vector<Item> hosts;  // external hosts; a leading `*.` is a wildcard
  Item via;                 // the egress Gateway resource, "namespace/name"
  std::string via_namespace, via_name;
  /// Source workloads, "namespace/workload" where either part may be a glob ("payments/*").
  std::vector<Item> from;
  Pos at;

  /// Whether a workload `ns/name` is one of `from` (every workload when `from` is empty).
  bool covers(std::string_view ns, std::string_view workload) const;
};

struct LintConfig {
  std::string path;  // the file read; empty for the defaults

  std::optional<rules::Level> failure_threshold, output_threshold;
  std::map<rules::Code, SeverityOverride> severity;
  std::vector<Suppression> suppressions;

  /// Host suffixes that count as internal besides the built-in ones (`.internal`, `.local`,
  /// `.cluster.local`, a `corp` label), stored without a leading `*.` or `.`.
  std::vector<std::string> internal_host_suffixes;
  /// certificates.expiryWarningDays: a certificate that expires within this many days is
  /// reported as expiring soon.
  int64_t certificate_expiry_days = kDefaultCertificateExpiryDays;
  /// gateways.assumeDefaultIngress: whether Istio's default ingress gateway is assumed when the
  /// inputs do not declare it (nullopt: the command-line default).
  std::optional<bool> assume_default_ingress;

  std::vector<EgressIntent> egress;

  /// "path:line:col" of a position in this file.
  std::string where(Pos p) const;
  /// The level a finding of `code` is reported at, or nullopt when the code is off.
  std::optional<rules::Level> levelOf(rules::Code code) const;
  /// Whether `host` looks internal: a built-in internal pattern or one of internal_host_suffixes.
  bool isInternalHost(std::string_view host) const;
};

/// The defaults, for runs without a configuration file.
const LintConfig& defaults();

/// One problem with the configuration file; formatted as "path:line:col: message".
struct ConfigError {
  std::string message;
  Pos at;
};

struct ParsedConfig {
  LintConfig config;
  std::vector<ConfigError> errors;  // in file order; the run must not start when not empty
  /// Every error as "path:line:col: message", one per line.
  std::string describeErrors() const;
};

/// Parses the text of a configuration file. `path` only names the file in messages.
ParsedConfig parse(std::string_view bytes, const std::string& path);
/// Reads and parses a file; an unreadable file is one error at line 0.
ParsedConfig load(const std::string& path);

/// Whether a built-in pattern makes `host` look internal: a `.internal`, `.local` or
/// `.cluster.local` suffix, or a `corp` label before the last one (`*.corp.example.com`).
bool looksInternalBuiltin(std::string_view host);

}  // namespace istio_lint::model::config
