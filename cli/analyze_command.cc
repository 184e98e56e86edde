// `istio-lint [analyze] PATHS`: load, build the graph, run analyzers, filter, report, exit.

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "analyzers/driver.h"
#include "cli/allocator.h"
#include "cli/baseline.h"
#include "cli/checked_subjects.h"
#include "cli/commands.h"
#include "cli/glob.h"
#include "cli/memory_usage.h"
#include "cli/parse_args.h"
#include "cli/report/outputs.h"
#include "cli/report/reporter.h"
#include "cli/report_files.h"
#include "model/config/lint_config.h"

namespace istio_lint::cli {
namespace {

/// Keeps `value` alive, undestroyed, until the process ends. The analyze command returns straight
/// to main(); freeing a large mesh graph object by object would only delay the exit (the kernel
/// reclaims the pages at once). Reachable from a static, so leak checkers stay quiet.
template <typename T>
void keepUntilExit(T&& value) {
  static auto* kept = new std::vector<std::unique_ptr<T>>();
  kept->push_back(std::make_unique<T>(std::move(value)));
}

struct AnalyzeOptions {
  std::vector<std::string> paths;
  std::vector<std::string> clusters;  // NAME=PATH
  bool all_namespaces = false;
  std::string ns;
  std::vector<std::string> outputs;  // FORMAT or FORMAT=PATH
  std::string baseline;
  std::string write_baseline;
  std::vector<std::string> report_files;
  std::string failure_threshold = "Error";
  std::string output_threshold = "Info";
  std::vector<std::string> suppress;
  std::vector<std::string> analyzers;
  std::string mesh_config_file;
  std::string mesh_networks_file;
  std::string config_file;
  std::string color = "auto";
  bool verbose = false;
  bool list = false;
  bool timing = false;
  bool no_default_ingress = false;
  bool harness = false;
  bool recursive = false;
};

struct Suppression {
  rules::Code code;
  std::string pattern;  // glob over "Kind ns/name"
};

using Clock = std::chrono::steady_clock;

double ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

int listAnalyzers() {
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    std::cout << "* " << a->metadata().name << ":\n    " << a->metadata().description
              << (a->metadata().default_enabled ? "" : " (not run by default; select it with -a)") << "\n";
  }
  return kExitOk;
}

/// Resolves -a names; unknown names are an error with a suggestion (istioctl silently runs all).
bool selectAnalyzers(const AnalyzeOptions& o, std::vector<const analyzers::Analyzer*>& out) {
  for (const std::string& n : o.analyzers) {
    const analyzers::Analyzer* a = analyzers::findAnalyzer(n);
    if (a == nullptr) {
      std::vector<std::string> names;
      for (const analyzers::AnalyzerPtr& known : analyzers::allAnalyzers()) names.push_back(known->metadata().name);
      std::cerr << "istio-lint: unknown analyzer \"" << n << "\"";
      auto s = suggest(n, names);
      if (!s.empty()) std::cerr << "; did you mean \"" << s.front() << "\"?";
      std::cerr << " (see --list-analyzers)\n";
      return false;
    }
    out.push_back(a);
  }
  if (!out.empty() && !o.harness) {
    // Problems reading the input are always reported, whatever analyzers were picked.
    const analyzers::Analyzer* load = analyzers::findAnalyzer("input.LoadAnalyzer");
    if (std::find(out.begin(), out.end(), load) == out.end()) out.insert(out.begin(), load);
  }
  return true;
}

bool parseSuppressions(const std::vector<std::string>& raw, std::vector<Suppression>& out) {
  for (const std::string& s : raw) {
    size_t eq = s.find('=');
    if (eq == std::string::npos || s.find('=', eq + 1) != std::string::npos) {
      std::cerr << "istio-lint: --suppress \"" << s << "\" must be CODE=RESOURCE, for example "
                   "\"IST0102=Namespace frod\" or \"IST0107=Pod ns/*\"\n";
      return false;
    }
    std::string code = s.substr(0, eq);
    auto c = rules::codeFromString(code);
    if (!c) {
      std::cerr << "istio-lint: warning: --suppress code \"" << code << "\" is not a known code and has no effect\n";
      continue;
    }
    out.push_back({*c, s.substr(eq + 1)});
  }
  return true;
}

/// Reads `--config FILE`, else ./.istio-lint.yaml when it exists. Problems are printed with
/// file:line:col and stop the run.
bool loadConfig(const std::string& flag, model::config::ParsedConfig& out) {
  std::string path = flag;
  if (path.empty()) {
    std::string local(model::config::kDefaultFileName);
    if (::access(local.c_str(), F_OK) != 0) return true;
    path = local;
  }
  out = model::config::load(path);
  if (out.errors.empty()) return true;
  std::cerr << out.describeErrors();
  std::cerr << "istio-lint: " << path << ": " << out.errors.size() << " problem(s) in the configuration file (see docs/config.md)\n";
  return false;
}

bool useColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr && !(term && std::string(term) == "dumb");
}

}  // namespace

int runAnalyze(const Args& args) {
  AnalyzeOptions o;
  CLI::App app{"Analyze Istio configuration and report findings.\n\n"
               "Examples:\n"
               "  istio-lint -A ./manifests\n"
               "  istio-lint -n shop shop.yaml gateways.yaml\n"
               "  kubectl get vs,gw,dr,se,svc -A -o yaml | istio-lint -A -\n"
               "  istio-lint -A ./manifests -o json --failure-threshold Warning\n"
               "  istio-lint -A ./manifests -S \"IST0102=Namespace *\" -a virtualservice.GatewayAnalyzer",
               "istio-lint analyze"};
  app.add_option("paths", o.paths, "Files or directories (recursive: .yaml .yml .json); - for stdin");
  app.add_option("--cluster", o.clusters,
                 "Multi-cluster inputs: NAME=PATH, the files under PATH belong to cluster NAME (repeatable)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_flag("-A,--all-namespaces", o.all_namespaces, "Analyze all namespaces (resources without a namespace keep none)");
  app.add_option("-n,--namespace", o.ns, "Namespace for resources that declare none, and the only one reported (default: default)");
  app.add_option("-o,--output", o.outputs,
                 "Output format: text, json, yaml, sarif or junit; FORMAT=PATH writes a file (repeatable, "
                 "at most one to stdout): -o text -o sarif=out.sarif")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--failure-threshold", o.failure_threshold, "Lowest level that makes the exit code 1: Info, Warning, Error");
  app.add_option("--output-threshold", o.output_threshold, "Lowest level that is printed: Info, Warning, Error");
  app.add_option("-S,--suppress", o.suppress, "Suppress CODE=RESOURCE, RESOURCE a glob over \"Kind ns/name\" (repeatable)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("-a,--analyzer", o.analyzers, "Run only this analyzer (repeatable; see --list-analyzers)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--baseline", o.baseline, "Report and fail only on findings not recorded in this baseline file");
  app.add_option("--write-baseline", o.write_baseline, "Record the current findings in this baseline file");
  app.add_option("--report-files", o.report_files,
                 "Analyze all inputs but report only findings in these files (pre-commit); give it last")
      ->expected(1, -1);
  app.add_option("--meshConfigFile", o.mesh_config_file, "MeshConfig file overriding the one found in the inputs");
  app.add_option("--meshNetworksFile", o.mesh_networks_file, "MeshNetworks file (multi-network meshes)");
  app.add_option("--config", o.config_file,
                 "Settings file (default: ./.istio-lint.yaml when it exists; see docs/config.md)");
  app.add_option("--color", o.color, "Colour and source excerpts: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-v,--verbose", o.verbose, "Print what was read and which analyzers ran");
  app.add_flag("-L,--list-analyzers", o.list, "List every analyzer and exit");
  app.add_flag("--timing", o.timing, "Print how long each phase and the five slowest analyzers took, and the memory used (stderr)");
  app.add_flag("--no-default-ingress", o.no_default_ingress,
               "Do not assume Istio's default istio-system/istio-ingressgateway Pod and Service");
  app.add_flag("--harness", o.harness,
               "Run as istio's analyzer test harness: with -a, load only the analyzers' input kinds, "
               "no default namespace, the default ingress Pod and Service always added");
  app.add_flag("-R,--recursive", o.recursive, "Accepted for istioctl compatibility; directories are always walked");
  if (std::optional<int> stop = parseArgs(app, args, "analyze")) return *stop;
  if (o.list) return listAnalyzers();
  model::config::ParsedConfig cfg;
  if (!loadConfig(o.config_file, cfg)) return kExitUsage;
  if (app.count("--failure-threshold") == 0 && cfg.config.failure_threshold) {
    o.failure_threshold = std::string(rules::levelName(*cfg.config.failure_threshold));
  }
  if (app.count("--output-threshold") == 0 && cfg.config.output_threshold) {
    o.output_threshold = std::string(rules::levelName(*cfg.config.output_threshold));
  }
  if (app.count("--no-default-ingress") == 0 && cfg.config.assume_default_ingress) {
    o.no_default_ingress = !*cfg.config.assume_default_ingress;
  }
  auto failure = rules::parseLevel(o.failure_threshold);
  auto shown = rules::parseLevel(o.output_threshold);
  if (!failure || !shown) {
    std::cerr << "istio-lint: thresholds take Info, Warning or Error\n";
    return kExitUsage;
  }
  std::string output_error;
  auto outputs = parseOutputs(o.outputs, output_error);
  if (!outputs) {
    std::cerr << "istio-lint: " << output_error << "\n";
    return kExitUsage;
  }
  if (o.paths.empty()) o.paths = o.report_files;  // `istio-lint --report-files a.yaml b.yaml`
  std::optional<ReportFiles> report_files;
  if (!o.report_files.empty()) {
    std::string error;
    report_files = ReportFiles::make(o.report_files, error);
    if (!report_files) {
      std::cerr << "istio-lint: " << error << "\n";
      return kExitUsage;
    }
  }
  std::optional<Baseline> baseline;
  if (!o.baseline.empty()) {
    std::string error;
    baseline = readBaseline(o.baseline, error);
    if (!baseline) {
      std::cerr << "istio-lint: " << error << "\n";
      return kExitUsage;
    }
  }
  std::vector<model::Source> sources;
  for (const std::string& p : o.paths) sources.push_back({p, std::nullopt});
  for (const std::string& spec : o.clusters) {
    size_t eq = spec.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == spec.size()) {
      std::cerr << "istio-lint: --cluster takes NAME=PATH, got \"" << spec << "\"\n";
      return kExitUsage;
    }
    sources.push_back({spec.substr(eq + 1), std::nullopt, spec.substr(0, eq)});
  }
  if (sources.empty()) {
    std::cerr << "istio-lint: no input; give files, directories or - for stdin\n";
    return kExitUsage;
  }
  std::vector<const analyzers::Analyzer*> selected;
  std::vector<Suppression> suppressions;
  if (!selectAnalyzers(o, selected) || !parseSuppressions(o.suppress, suppressions)) return kExitUsage;
  std::vector<std::string> must_exist;
  for (const model::Source& s : sources) must_exist.push_back(s.name);
  for (const std::string* f : {&o.mesh_config_file, &o.mesh_networks_file}) {
    if (!f->empty()) must_exist.push_back(*f);
  }
  for (const std::string& p : must_exist) {
    if (p != "-" && ::access(p.c_str(), R_OK) != 0) {
      std::cerr << "istio-lint: " << p << ": " << std::strerror(errno) << "\n";
      return kExitUsage;
    }
  }

  auto t0 = Clock::now();
  model::LoadOptions lo;
  std::string selected_ns = o.all_namespaces ? "" : (o.ns.empty() ? "default" : o.ns);
  lo.default_namespace = o.harness ? "" : (o.all_namespaces && o.ns.empty() ? "" : (o.ns.empty() ? "default" : o.ns));
  model::GraphOptions go;
  go.default_ingress = o.no_default_ingress ? model::DefaultIngress::Off : model::DefaultIngress::IfMissing;
  if (o.harness) {
    go.default_ingress = model::DefaultIngress::Overwrite;
    selected_ns.clear();
    if (!selected.empty()) {
      std::set<model::Kind> kinds;
      for (const analyzers::Analyzer* a : selected) kinds.insert(a->metadata().inputs.begin(), a->metadata().inputs.end());
      lo.only_kinds = kinds;
      go.only_kinds = kinds;
    }
  }
  go.certificates.expiry_window_days = static_cast<int>(cfg.config.certificate_expiry_days);
  if (!o.mesh_config_file.empty()) go.mesh_config_file = o.mesh_config_file;
  if (!o.mesh_networks_file.empty()) go.mesh_networks_file = o.mesh_networks_file;
  model::LoadResult loaded = model::load(sources, lo);
  size_t files_read = loaded.files_read, documents = loaded.documents;
  std::map<std::string, size_t> skipped = loaded.skipped_kinds;
  auto t1 = Clock::now();
  model::MeshGraph graph = model::MeshGraph::build(std::move(loaded), go);
  auto t2 = Clock::now();
  std::vector<size_t> suppression_hits;
  std::vector<analyzers::AnalyzerTime> analyzer_times;
  std::vector<rules::Finding> findings =
      analyzers::run(graph, {selected, &cfg.config, &suppression_hits, o.timing ? &analyzer_times : nullptr});
  auto t3 = Clock::now();

  // Namespace filter (without -A only the selected namespace is reported), then -S suppressions.
  std::vector<rules::Finding> kept;
  for (rules::Finding& f : findings) {
    if (!selected_ns.empty() && !f.origin.empty() && !f.origin.ns.empty() && f.origin.ns != selected_ns) continue;
    bool suppressed = false;
    for (const Suppression& s : suppressions) {
      if (s.code == f.code && !f.origin.empty() && globMatch(s.pattern, f.origin.str())) suppressed = true;
    }
    if (!suppressed) kept.push_back(std::move(f));
  }
  // Pre-commit mode: only findings located in the listed files.
  if (report_files) {
    std::erase_if(kept, [&](const rules::Finding& f) { return !report_files->contains(graph.files(), f.span.file); });
  }
  if (!o.write_baseline.empty()) {
    std::string error;
    if (!writeBaseline(o.write_baseline, kept, graph.files(), error)) {
      std::cerr << "istio-lint: " << error << "\n";
      return kExitUsage;
    }
  }
  size_t baselined = baseline ? applyBaseline(kept, *baseline, graph.files()) : 0;
  bool failed = std::any_of(kept.begin(), kept.end(), [&](const rules::Finding& f) { return f.level >= *failure; });
  std::vector<rules::Finding> printed;
  for (const rules::Finding& f : kept) {
    if (f.level >= *shown) printed.push_back(f);
  }

  ReportOptions ro;
  ro.files = &graph.files();
  std::vector<CheckedSubject> checked;
  if (std::any_of(outputs->begin(), outputs->end(), [](const OutputSpec& s) { return s.format == OutputFormat::JUnit; })) {
    checked = checkedSubjects(
        graph, analyzersThatRun(selected),
        [&](const model::Resource& r) {
          return (selected_ns.empty() || r.ns().empty() || r.ns() == selected_ns) &&
                 (!report_files || report_files->contains(graph.files(), r.span.file));
        },
        [&](uint32_t id) { return !report_files || report_files->contains(graph.files(), id); });
    ro.checked = &checked;
  }
  for (const OutputSpec& spec : *outputs) {
    if (spec.path.empty()) {
      ReportOptions tty = ro;
      tty.color = spec.format == OutputFormat::Text && useColor(o.color);
      tty.source_excerpts = tty.color;
      writeReport(std::cout, spec.format, printed, tty);
      std::cout.flush();
      continue;
    }
    std::ofstream file(spec.path, std::ios::binary | std::ios::trunc);
    if (file) writeReport(file, spec.format, printed, ro);
    file.close();
    if (!file) {
      std::cerr << "istio-lint: cannot write " << spec.path << ": " << std::strerror(errno) << "\n";
      return kExitUsage;
    }
  }

  size_t counts[3] = {0, 0, 0};
  for (const rules::Finding& f : printed) ++counts[static_cast<size_t>(f.level)];
  size_t skipped_docs = 0;
  for (const auto& [k, n] : skipped) skipped_docs += n;
  std::cerr << (printed.empty() ? "✔ No validation issues found" : "Found " + std::to_string(counts[2]) + " error(s), " +
                                                                   std::to_string(counts[1]) + " warning(s), " +
                                                                   std::to_string(counts[0]) + " info(s)")
            << " in " << graph.declaredCount() << " resource(s) from " << files_read << " file(s)";
  if (skipped_docs) std::cerr << "; " << skipped_docs << " document(s) of other kinds skipped";
  std::cerr << (o.all_namespaces || o.harness ? " (all namespaces)" : " (namespace " + selected_ns + ")");
  if (report_files) std::cerr << "; reported for " << o.report_files.size() << " listed file(s)";
  if (baseline) std::cerr << "; " << baselined << " finding(s) in the baseline not reported";
  if (!o.write_baseline.empty()) std::cerr << "; baseline written to " << o.write_baseline;
  std::cerr << ".\n";
  for (size_t i = 0; i < suppression_hits.size(); ++i) {
    if (suppression_hits[i] != 0) continue;
    const model::config::Suppression& s = cfg.config.suppressions[i];
    std::cerr << "istio-lint: warning: " << cfg.config.where(s.at) << ": the suppression of "
              << rules::messageType(s.code).code << " matched no finding; remove it if it is no longer needed\n";
  }
  if (o.verbose) {
    std::cerr << "config: " << (cfg.config.path.empty() ? "none (defaults)" : cfg.config.path) << "\n";
    std::cerr << "documents: " << documents << "\n";
    for (const auto& [k, n] : skipped) std::cerr << "skipped kind " << k << ": " << n << "\n";
    std::cerr << "mesh config: " << graph.meshConfig().source << "\n";
  }
  if (o.timing) {
    std::cerr << "timing: load " << ms(t0, t1) << " ms, graph " << ms(t1, t2) << " ms, analyze " << ms(t2, t3)
              << " ms, report " << ms(t3, Clock::now()) << " ms\n";
    std::cerr << "slowest analyzers:";
    for (size_t i = 0; i < std::min<size_t>(5, analyzer_times.size()); ++i) {
      std::cerr << (i ? ", " : " ") << analyzer_times[i].name << " " << analyzer_times[i].ms << " ms";
    }
    std::cerr << "\nallocator: " << allocatorName() << "\n";
    if (const std::optional<MemoryUsage> m = memoryUsage()) {
      auto mib = [](uint64_t b) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f", static_cast<double>(b) / (1 << 20));
        return std::string(text);
      };
      std::cerr << "memory: peak resident " << mib(m->peak_resident) << " MiB, private " << mib(m->private_resident)
                << " MiB (at exit)\n";
    }
  }
  keepUntilExit(std::move(graph));
  return failed ? kExitFindings : kExitOk;
}

}  // namespace istio_lint::cli
