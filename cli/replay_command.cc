// `istio-lint replay PATHS --traffic FILE`: decides many requests through the compiled routing
// model and summarizes where they went; checks the expectations they carry, compares them with
// what an access log recorded, and with --diff OLD lists the requests whose outcome changes.
// See docs/replay.md.

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
#include "cli/simulate_inputs.h"
#include "cli/simulate_output.h"

namespace istio_lint::cli {
namespace {

/// Lines of at most kMaxLineBytes from a FILE; a longer line is cut there and its rest skipped,
/// so memory stays bounded whatever the input.
class LineReader {
 public:
  explicit LineReader(FILE* f) : f_(f) {}
  /// The next line without its '\n'; false at the end. `too_long` tells that it was cut.
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    int c;
    bool any = false;
    while ((c = std::getc(f_)) != EOF) {
      any = true;
      if (c == '\n') return true;
      if (line.size() < kMaxLineBytes) {
        line.push_back(static_cast<char>(c));
      } else {
        too_long = true;
      }
    }
    return any;
  }

 private:
  FILE* f_;
};

struct ReplayOptions {
  std::vector<std::string> paths, old_paths;
  std::string traffic, gateway, from, output = "text", mesh_config_file;
  std::optional<uint64_t> random_value;
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
std::optional<simulate::Trace> follow(Config& config, const RequestSpec& spec, std::string& error) {
  PromptModels::Entry e = config.models->enter(spec.entry, error, spec.deliver_to);
  if (e.proxy == nullptr || (spec.deliver_to && e.deliver_to == nullptr)) return std::nullopt;
  std::vector<simulate::Header> headers;
  const simulate::Request req = toRequest(spec, headers);
  return simulate::traceRequest(*e.model, *e.proxy, req, 4, e.deliver_to);
}

/// At most this many unusable lines are described on stderr; the summary counts all of them.
constexpr size_t kMaxProblemsShown = 20;

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
               "  istio-lint replay ./manifests --traffic access.log --gateway istio-system/ingressgateway\n"
               "  istio-lint replay ./manifests --traffic access.log --gateway istio-system/ingressgateway --diff ./manifests-old\n"
               "  kubectl logs deploy/istio-ingressgateway -n istio-system | istio-lint replay ./manifests --traffic - \\\n"
               "      --gateway istio-system/istio-ingressgateway",
               "istio-lint replay"};
  app.add_option("paths", o.paths, "Files or directories (recursive: .yaml .yml .json)");
  app.add_option("--traffic", o.traffic, "The requests, one per line; - for stdin")->required();
  app.add_option("--diff", o.old_paths, "The older configuration (files or directories): list the requests whose "
                                        "outcome differs between it and PATHS")
      ->expected(1, -1);
  app.add_option("--gateway", o.gateway, "Entry for lines that name none, and the proxy an access log is from (NS/NAME)");
  app.add_option("--from", o.from, "The same, entering at this workload's sidecar (NS/NAME)");
  auto* rv = app.add_option("--random-value", random_value,
                            "Pick one cluster of each weighted split (Envoy: value % total weight) unless a line says");
  app.add_option("-o,--output", o.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--meshConfigFile", o.mesh_config_file, "MeshConfig file overriding the one found in the inputs");
  if (std::optional<int> stop = parseArgs(app, args, "replay")) return *stop;
  if (rv->count() > 0) o.random_value = random_value;
  if (o.paths.empty()) {
    std::cerr << "istio-lint replay: no input; give the manifests as files or directories\n";
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
    const size_t slash = who.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == who.size()) {
      std::cerr << "istio-lint replay: " << who << ": expected NS/NAME\n";
      return kExitUsage;
    }
    defaults.entry = EntryPoint{!o.gateway.empty() ? EntryPoint::Kind::Gateway : EntryPoint::Kind::Sidecar,
                                who.substr(0, slash), who.substr(slash + 1)};
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

  ReplaySummary summary;
  size_t problems = 0;
  auto problem = [&](size_t line, size_t column, const std::string& message) {
    summary.skipped();
    if (++problems <= kMaxProblemsShown) {
      std::cerr << traffic_name << ":" << line << (column != 0 ? ":" + std::to_string(column) : "") << ": " << message
                << "\n";
    }
  };
  std::set<std::pair<std::string, uint32_t>> hinted;  // (gateway, port) told about once
  LineReader reader(in);
  std::string text;
  bool too_long = false;
  for (size_t line_no = 1; reader.next(text, too_long); ++line_no) {
    if (too_long) {
      problem(line_no, 0, "line longer than " + std::to_string(kMaxLineBytes) + " bytes; skipped");
      continue;
    }
    TrafficLine t = parseTrafficLine(text, defaults);
    if (t.kind == TrafficLine::Kind::Blank) continue;
    if (t.kind == TrafficLine::Kind::Error) {
      problem(line_no, t.error.column, t.error.message);
      continue;
    }
    std::string error;
    std::optional<simulate::Trace> trace = follow(config, t.request, error);
    if (!trace) {
      problem(line_no, 0, error);
      continue;
    }
    const ReplayOutcome outcome = outcomeOf(*trace, config.graph.files());
    summary.add(line_no, t.request, outcome);
    if (t.recorded) summary.compareRecorded(line_no, t.request, *t.recorded, outcome);
    if (t.expect) summary.expectation(line_no, t.request, checkExpectation(*t.expect, outcome));
    if (old) {
      std::string old_error;
      std::optional<simulate::Trace> before = follow(*old, t.request, old_error);
      ReplayOutcome old_outcome;
      if (before) {
        old_outcome = outcomeOf(*before, old->graph.files());
      } else {
        old_outcome.result = "no such proxy (" + old_error + ")";
        old_outcome.exit = "none";
      }
      summary.compareOld(line_no, t.request, old_outcome, outcome);
    }
    if (t.request.entry.kind == EntryPoint::Kind::Gateway && !trace->hops.empty() &&
        trace->hops.front().error_code == "ErrNoListener" &&
        hinted.emplace(t.request.entry.text(), t.request.port).second && hinted.size() <= kMaxProblemsShown) {
      std::string ignored;
      if (const simulate::Proxy* gw = entryProxy(config.models->base(), t.request.entry, ignored)) {
        if (std::optional<PortHint> hint = gatewayPortHint(config.graph, *gw, t.request.port)) {
          std::cerr << "hint: " << t.request.entry.text() << " has no listener on port " << t.request.port << "; "
                    << hint->reason << ": give port " << hint->listen_port << " (the proxy's port)\n";
        }
      }
    }
  }
  if (std::ferror(in)) {
    std::cerr << "istio-lint replay: reading " << traffic_name << " failed\n";
    return kExitUsage;
  }
  if (problems > kMaxProblemsShown) {
    std::cerr << traffic_name << ": " << problems - kMaxProblemsShown << " more unusable lines not shown\n";
  }
  if (o.output == "json") {
    std::cout << jsonText(summary.toJson(), 2) << "\n";
  } else {
    summary.printText(std::cout, traffic_name);
  }
  const bool failed = summary.expectationsFailed() != 0 || summary.changed() != 0 || problems != 0;
  return failed ? kExitFindings : kExitOk;
}

}  // namespace istio_lint::cli
