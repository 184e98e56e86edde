// `istio-lint replay PATHS --traffic FILE`: decides many requests through the compiled routing
// model and summarizes where they went; checks the expectations they carry (traffic lines, or a
// YAML file of tests), compares them with what an access log recorded, reports route coverage,
// and with --diff OLD lists the requests whose outcome changes. See docs/replay.md.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <set>

#include "cli/commands.h"
#include "cli/json_text.h"
#include "cli/parse_args.h"
#include "cli/prompt_models.h"
#include "cli/replay.h"
#include "cli/replay_coverage.h"
#include "cli/traffic_tests.h"
#include "cli/simulate_inputs.h"
#include "cli/simulate_output.h"

namespace istio_lint::cli {
namespace {

/// Lines of at most kMaxLineBytes from a FILE, read in blocks; a longer line is cut there and its
/// rest skipped, so memory stays bounded whatever the input.
class LineReader {
 public:
  explicit LineReader(FILE* f) : f_(f) {}
  /// The next line without its '\n'; false at the end. `too_long` tells that it was cut.
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !fill()) return any;
      any = true;
      const char* start = buf_ + pos_;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      const size_t n = nl != nullptr ? static_cast<size_t>(nl - start) : end_ - pos_;
      const size_t room = kMaxLineBytes - std::min(line.size(), kMaxLineBytes);
      line.append(start, std::min(n, room));
      too_long = too_long || n > room;
      pos_ += n;
      if (nl != nullptr) {
        ++pos_;
        return true;
      }
    }
  }

 private:
  bool fill() {
    pos_ = 0;
    end_ = std::fread(buf_, 1, sizeof buf_, f_);
    return end_ != 0;
  }
  FILE* f_;
  char buf_[65536];
  size_t pos_ = 0, end_ = 0;
};

/// A YAML file of tests is read whole: at most this many bytes.
constexpr size_t kMaxTestFileBytes = size_t{64} << 20;

/// Whether --traffic names a YAML file of tests (by its extension; stdin is read as lines).
bool yamlTests(const std::string& path) { return path.ends_with(".yaml") || path.ends_with(".yml"); }

/// The whole of `f`, unless it is larger than kMaxTestFileBytes.
bool readBounded(FILE* f, std::string& out) {
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out.size() + n > kMaxTestFileBytes) return false;
    out.append(buf, n);
  }
  return true;
}

struct ReplayOptions {
  std::vector<std::string> paths, old_paths;
  std::string traffic, gateway, from, output = "text", mesh_config_file, format = "auto";
  std::optional<uint64_t> random_value;
  bool coverage = false;
  std::optional<double> fail_under;
};

/// The routing models of one configuration, compiled on demand for the proxies the traffic enters.
struct Config {
  model::MeshGraph graph;
  std::unique_ptr<PromptModels> models;
  Config(const std::vector<std::string>& paths, const std::string& mesh_config_file)
      : graph(loadRoutingInputs(paths, mesh_config_file, std::cerr)),
        models(std::make_unique<PromptModels>(graph, std::nullopt)) {}
};

/// Follows `spec` through `config`; nullopt with `error` set when it names a proxy there is none of.
/// `entered` (optional) receives the proxy the request entered.
std::optional<simulate::Trace> follow(Config& config, const RequestSpec& spec, std::string& error,
                                      const simulate::Proxy** entered = nullptr) {
  PromptModels::Entry e = config.models->enter(spec.entry, error, spec.deliver_to);
  if (e.proxy == nullptr || (spec.deliver_to && e.deliver_to == nullptr)) return std::nullopt;
  if (entered != nullptr) *entered = e.proxy;
  std::vector<simulate::Header> headers;
  const simulate::Request req = toRequest(spec, headers);
  return simulate::traceRequest(*e.model, *e.proxy, req, 4, e.deliver_to, simulate::TraceDetail::Outcome);
}

/// At most this many unusable lines are described on stderr; the summary counts all of them.
constexpr size_t kMaxProblemsShown = 20;

/// Decides the requests one at a time and keeps what the output needs.
class Replayer {
 public:
  Replayer(Config& config, Config* old, bool coverage, std::string traffic_name)
      : config_(config), old_(old), coverage_(coverage), traffic_name_(std::move(traffic_name)) {}

  /// -o jsonl: each decided request as one JSON object on `out`, instead of the summary.
  void perRequest(std::ostream* out) { per_request_ = out; }

  /// One traffic entry (a line, or a YAML test) at `line` of the traffic.
  void take(size_t line, const TrafficLine& t) {
    if (t.kind == TrafficLine::Kind::Blank) return;
    if (t.kind == TrafficLine::Kind::Ignored) return summary_.ignored();
    if (t.kind == TrafficLine::Kind::Error) return problem(line, t.error.column, t.error.message);
    std::string error;
    const simulate::Proxy* entered = nullptr;
    std::optional<simulate::Trace> trace = follow(config_, t.request, error, &entered);
    if (!trace) return problem(line, 0, error);
    const ReplayOutcome outcome = outcomeOf(*trace, config_.graph.files());
    summary_.add(line, t.request, outcome);
    nlohmann::json record;
    if (per_request_ != nullptr) {
      record = outcomeJson(line, t.request, outcome);
      if (!t.name.empty()) record["name"] = t.name;
      if (t.recorded) record["logged_cluster"] = t.recorded->cluster;
    }
    if (coverage_ && entered != nullptr && !trace->hops.empty()) {
      coverage_routes_.enter(*entered, config_.graph.files());
      coverage_routes_.hit(trace->hops.front());
    }
    if (t.recorded) summary_.compareRecorded(line, t.request, *t.recorded, outcome);
    if (t.expect) {
      std::vector<std::string> failures = checkExpectation(*t.expect, outcome);
      if (per_request_ != nullptr) record["expectation_failures"] = failures;
      summary_.expectation(line, t.request, failures, t.name);
    }
    if (old_ != nullptr) {
      std::string old_error;
      std::optional<simulate::Trace> before = follow(*old_, t.request, old_error);
      ReplayOutcome old_outcome;
      if (before) {
        old_outcome = outcomeOf(*before, old_->graph.files());
      } else {
        old_outcome.result = "no such proxy (" + old_error + ")";
        old_outcome.exit = "none";
      }
      summary_.compareOld(line, t.request, old_outcome, outcome);
      if (per_request_ != nullptr) record["before"] = old_outcome.describe();
    }
    if (per_request_ != nullptr) *per_request_ << jsonText(record) << "\n";
    if (t.request.entry.kind == EntryPoint::Kind::Gateway && !trace->hops.empty() &&
        trace->hops.front().error_code == "ErrNoListener") {
      portHint(t.request);
    }
  }

  void problem(size_t line, size_t column, const std::string& message) {
    summary_.skipped();
    if (summary_.skippedLines() <= kMaxProblemsShown) {
      std::cerr << traffic_name_ << ":" << line << (column != 0 ? ":" + std::to_string(column) : "") << ": " << message
                << "\n";
    }
  }

  /// Writes the summary; the exit code.
  int finish(bool json) {
    const uint64_t problems = summary_.skippedLines();
    if (problems > kMaxProblemsShown) {
      std::cerr << traffic_name_ << ": " << problems - kMaxProblemsShown << " more unusable lines not shown\n";
    }
    // With -o jsonl the requests were printed as they were decided, and there is no summary.
    if (per_request_ == nullptr && json) {
      nlohmann::json j = summary_.toJson();
      if (coverage_) j["coverage"] = coverage_routes_.toJson();
      std::cout << jsonText(j, 2) << "\n";
    } else if (per_request_ == nullptr) {
      summary_.printText(std::cout, traffic_name_);
      if (coverage_) coverage_routes_.printText(std::cout);
    }
    const bool failed = summary_.expectationsFailed() != 0 || summary_.changed() != 0 || problems != 0;
    return failed ? kExitFindings : kExitOk;
  }

  const RouteCoverage& coverage() const { return coverage_routes_; }

 private:
  /// A gateway without a listener on the port, whose Service maps that port to one: said once per
  /// gateway and port.
  void portHint(const RequestSpec& spec) {
    if (!hinted_.emplace(spec.entry.text(), spec.port).second || hinted_.size() > kMaxProblemsShown) return;
    std::string ignored;
    const simulate::Proxy* gw = entryProxy(config_.models->base(), spec.entry, ignored);
    if (gw == nullptr) return;
    if (std::optional<PortHint> hint = gatewayPortHint(config_.graph, *gw, spec.port)) {
      std::cerr << "hint: " << spec.entry.text() << " has no listener on port " << spec.port << "; " << hint->reason
                << ": give port " << hint->listen_port << " (the proxy's port)\n";
    }
  }

  Config& config_;
  Config* old_;
  bool coverage_;
  std::string traffic_name_;
  ReplaySummary summary_;
  RouteCoverage coverage_routes_;
  std::set<std::pair<std::string, uint32_t>> hinted_;
  std::ostream* per_request_ = nullptr;
};

}  // namespace

int runReplay(const Args& args) {
  ReplayOptions o;
  uint64_t random_value = 0;
  CLI::App app{"Decide many requests through the mesh and summarize where they went: by result, entry proxy, route,\n"
               "cluster and exit. Each traffic line is a request line as `simulate -i` reads it, a JSON object with\n"
               "simulate's fields (and an optional \"expect\"), or an Envoy access log entry (Istio's default text format\n"
               "or its JSON encoding; --gateway or --from names the proxy that wrote it).\n\n"
               "Examples:\n"
               "  istio-lint replay ./manifests --traffic requests.jsonl\n"
               "  istio-lint replay ./manifests --traffic routing-tests.yaml --fail-under 100\n"
               "  istio-lint replay ./manifests --traffic access.log --gateway istio-system/ingressgateway\n"
               "  istio-lint replay ./manifests --traffic access.log --gateway istio-system/ingressgateway --diff ./manifests-old\n"
               "  kubectl logs deploy/istio-ingressgateway -n istio-system | istio-lint replay ./manifests --traffic - \\\n"
               "      --format log --gateway istio-system/istio-ingressgateway",
               "istio-lint replay"};
  app.add_option("paths", o.paths, "Files or directories (recursive: .yaml .yml .json)");
  app.add_option("--traffic", o.traffic,
                 "The requests, one per line (- for stdin), or a YAML file of tests (.yaml, .yml): tests: [{name, input, expect}]")
      ->required();
  app.add_option("--diff", o.old_paths, "The older configuration (files or directories): list the requests whose "
                                        "outcome differs between it and PATHS")
      ->expected(1, -1);
  app.add_option("--gateway", o.gateway, "Entry for lines that name none, and the proxy an access log is from (NS/NAME)");
  app.add_option("--from", o.from, "The same, entering at this workload's sidecar (NS/NAME)");
  auto* rv = app.add_option("--random-value", random_value,
                            "Pick one cluster of each weighted split (Envoy: value % total weight) unless a line says");
  app.add_flag("--coverage", o.coverage,
               "Route coverage: the VirtualService routes of the proxies entered that no request took");
  double fail_under = 0;
  auto* fu = app.add_option("--fail-under", fail_under, "Exit 1 when route coverage is under this percent (implies --coverage)")
                 ->check(CLI::Range(0.0, 100.0));
  app.add_option("--format", o.format,
                 "auto: each line as what it is; log: a proxy's log (kubectl logs), where lines that are not access "
                 "log entries are ignored")
      ->check(CLI::IsMember({"auto", "log"}));
  app.add_option("-o,--output", o.output, "text or json (the summary), or jsonl: each request's outcome as one JSON line")
      ->check(CLI::IsMember({"text", "json", "jsonl"}));
  app.add_option("--meshConfigFile", o.mesh_config_file, "MeshConfig file overriding the one found in the inputs");
  if (std::optional<int> stop = parseArgs(app, args, "replay")) return *stop;
  if (rv->count() > 0) o.random_value = random_value;
  if (fu->count() > 0) o.fail_under = fail_under;
  if (o.paths.empty()) {
    std::cerr << "istio-lint replay: no input; give the manifests as files or directories"
              << (o.old_paths.empty() ? "" : " (--diff takes every path after it: put the manifests before --diff)")
              << "\n";
    return kExitUsage;
  }
  if (!o.gateway.empty() && !o.from.empty()) {
    std::cerr << "istio-lint replay: give one of --gateway NS/NAME and --from NS/WORKLOAD\n";
    return kExitUsage;
  }
  for (const std::vector<std::string>* paths : {&o.paths, &o.old_paths}) {
    if (o.traffic == "-" && std::find(paths->begin(), paths->end(), "-") != paths->end()) {
      std::cerr << "istio-lint replay: --traffic - reads stdin; give the manifests as files or directories\n";
      return kExitUsage;
    }
  }
  RequestFields defaults;
  const std::string& who = !o.gateway.empty() ? o.gateway : o.from;
  if (!who.empty()) {
    LexError e;
    defaults.entry = parseEntryPoint(who, !o.gateway.empty() ? EntryPoint::Kind::Gateway : EntryPoint::Kind::Sidecar, e);
    if (!defaults.entry) {
      std::cerr << "istio-lint replay: " << who << ": " << e.message << "\n";
      return kExitUsage;
    }
  }
  defaults.random = o.random_value;

  FILE* in = o.traffic == "-" ? stdin : std::fopen(o.traffic.c_str(), "rb");
  if (in == nullptr) {
    std::cerr << "istio-lint replay: cannot read " << o.traffic << ": " << std::strerror(errno) << "\n";
    return kExitUsage;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> closer(in == stdin ? nullptr : in, &std::fclose);
  const std::string traffic_name = o.traffic == "-" ? "stdin" : o.traffic;

  Config config(o.paths, o.mesh_config_file);
  std::unique_ptr<Config> old;
  if (!o.old_paths.empty()) old = std::make_unique<Config>(o.old_paths, o.mesh_config_file);

  if (defaults.entry) {
    // Every line without an entry point of its own enters here: a wrong name is a usage error,
    // not one skipped line per request.
    std::string error;
    if (config.models->enter(*defaults.entry, error).proxy == nullptr) {
      std::cerr << "istio-lint replay: " << (o.gateway.empty() ? "--from" : "--gateway") << ": " << error << "\n";
      return kExitUsage;
    }
  }
  const TrafficFormat format = o.format == "log" ? TrafficFormat::AccessLog : TrafficFormat::Auto;
  if (format == TrafficFormat::AccessLog && yamlTests(o.traffic)) {
    std::cerr << "istio-lint replay: --format log reads a proxy's log, not a YAML file of tests\n";
    return kExitUsage;
  }
  Replayer replayer(config, old.get(), o.coverage || o.fail_under.has_value(), traffic_name);
  if (o.output == "jsonl") replayer.perRequest(&std::cout);
  if (yamlTests(o.traffic)) {
    // A file of tests: read whole (bounded), each test at its line.
    std::string bytes;
    if (!readBounded(in, bytes)) {
      std::cerr << "istio-lint replay: " << traffic_name << " is larger than " << (kMaxTestFileBytes >> 20) << " MiB\n";
      return kExitUsage;
    }
    for (const auto& [line, t] : parseTrafficTests(bytes, defaults)) replayer.take(line, t);
  } else {
    LineReader reader(in);
    std::string text;
    bool too_long = false;
    for (size_t line_no = 1; reader.next(text, too_long); ++line_no) {
      if (too_long) {
        replayer.problem(line_no, 0, "line longer than " + std::to_string(kMaxLineBytes) + " bytes; skipped");
        continue;
      }
      replayer.take(line_no, parseTrafficLine(text, defaults, format));
    }
  }
  if (std::ferror(in)) {
    std::cerr << "istio-lint replay: reading " << traffic_name << " failed\n";
    return kExitUsage;
  }
  int code = replayer.finish(o.output == "json");
  if (o.fail_under.has_value() && replayer.coverage().percent() < *o.fail_under) {
    std::fprintf(stderr, "istio-lint replay: route coverage %.1f%% is under --fail-under %.1f%%\n",
                 replayer.coverage().percent(), *o.fail_under);
    code = kExitFindings;
  }
  return code;
}

}  // namespace istio_lint::cli
