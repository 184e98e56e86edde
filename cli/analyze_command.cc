// `istio-lint [analyze] PATHS`: load, build the graph, run analyzers, filter, report, exit.

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "analyzers/driver.h"
#include "cli/commands.h"
#include "cli/glob.h"
#include "cli/report/reporter.h"

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
  bool all_namespaces = false;
  std::string ns;
  std::string output = "text";
  std::string failure_threshold = "Error";
  std::string output_threshold = "Info";
  std::vector<std::string> suppress;
  std::vector<std::string> analyzers;
  std::string mesh_config_file;
  std::string mesh_networks_file;
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
  std::vector<std::string> names;
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) names.push_back(a->metadata().name);
  for (const std::string& n : o.analyzers) {
    const analyzers::Analyzer* a = analyzers::findAnalyzer(n);
    if (a == nullptr) {
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
  app.add_flag("-A,--all-namespaces", o.all_namespaces, "Analyze all namespaces (resources without a namespace keep none)");
  app.add_option("-n,--namespace", o.ns, "Namespace for resources that declare none, and the only one reported (default: default)");
  app.add_option("-o,--output", o.output, "Output format: text, json or yaml")
      ->check(CLI::IsMember({"text", "log", "json", "yaml"}, CLI::ignore_case));
  app.add_option("--failure-threshold", o.failure_threshold, "Lowest level that makes the exit code 1: Info, Warning, Error");
  app.add_option("--output-threshold", o.output_threshold, "Lowest level that is printed: Info, Warning, Error");
  app.add_option("-S,--suppress", o.suppress, "Suppress CODE=RESOURCE, RESOURCE a glob over \"Kind ns/name\" (repeatable)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("-a,--analyzer", o.analyzers, "Run only this analyzer (repeatable; see --list-analyzers)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--meshConfigFile", o.mesh_config_file, "MeshConfig file overriding the one found in the inputs");
  app.add_option("--meshNetworksFile", o.mesh_networks_file, "MeshNetworks file (multi-network meshes)");
  app.add_option("--color", o.color, "Colour and source excerpts: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-v,--verbose", o.verbose, "Print what was read and which analyzers ran");
  app.add_flag("-L,--list-analyzers", o.list, "List every analyzer and exit");
  app.add_flag("--timing", o.timing, "Print how long each phase took (stderr)");
  app.add_flag("--no-default-ingress", o.no_default_ingress,
               "Do not assume Istio's default istio-system/istio-ingressgateway Pod and Service");
  app.add_flag("--harness", o.harness,
               "Run as istio's analyzer test harness: with -a, load only the analyzers' input kinds, "
               "no default namespace, the default ingress Pod and Service always added");
  app.add_flag("-R,--recursive", o.recursive, "Accepted for istioctl compatibility; directories are always walked");
  try {
    Args rev(args.rbegin(), args.rend());
    app.parse(rev);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::cerr << "istio-lint: " << e.what() << "\nRun `istio-lint analyze --help` for usage.\n";
    return kExitUsage;
  }
  if (o.list) return listAnalyzers();
  auto failure = rules::parseLevel(o.failure_threshold);
  auto shown = rules::parseLevel(o.output_threshold);
  if (!failure || !shown) {
    std::cerr << "istio-lint: thresholds take Info, Warning or Error\n";
    return kExitUsage;
  }
  if (o.paths.empty()) {
    std::cerr << "istio-lint: no input; give files, directories or - for stdin\n";
    return kExitUsage;
  }
  std::vector<const analyzers::Analyzer*> selected;
  std::vector<Suppression> suppressions;
  if (!selectAnalyzers(o, selected) || !parseSuppressions(o.suppress, suppressions)) return kExitUsage;
  std::vector<std::string> must_exist = o.paths;
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
  if (!o.mesh_config_file.empty()) go.mesh_config_file = o.mesh_config_file;
  if (!o.mesh_networks_file.empty()) go.mesh_networks_file = o.mesh_networks_file;
  std::vector<model::Source> sources;
  for (const std::string& p : o.paths) sources.push_back({p, std::nullopt});
  model::LoadResult loaded = model::load(sources, lo);
  size_t files_read = loaded.files_read, documents = loaded.documents;
  std::map<std::string, size_t> skipped = loaded.skipped_kinds;
  auto t1 = Clock::now();
  model::MeshGraph graph = model::MeshGraph::build(std::move(loaded), go);
  auto t2 = Clock::now();
  std::vector<rules::Finding> findings = analyzers::run(graph, {selected});
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
  bool failed = std::any_of(kept.begin(), kept.end(), [&](const rules::Finding& f) { return f.level >= *failure; });
  std::vector<rules::Finding> printed;
  for (const rules::Finding& f : kept) {
    if (f.level >= *shown) printed.push_back(f);
  }

  ReportOptions ro;
  ro.files = &graph.files();
  std::string fmt = o.output;
  std::transform(fmt.begin(), fmt.end(), fmt.begin(), ::tolower);
  if (fmt == "json") {
    writeJson(std::cout, printed, ro);
  } else if (fmt == "yaml") {
    writeYaml(std::cout, printed, ro);
  } else {
    ro.color = useColor(o.color);
    ro.source_excerpts = ro.color;
    writeText(std::cout, printed, ro);
  }
  std::cout.flush();

  size_t counts[3] = {0, 0, 0};
  for (const rules::Finding& f : printed) ++counts[static_cast<size_t>(f.level)];
  size_t skipped_docs = 0;
  for (const auto& [k, n] : skipped) skipped_docs += n;
  std::cerr << (printed.empty() ? "✔ No validation issues found" : "Found " + std::to_string(counts[2]) + " error(s), " +
                                                                   std::to_string(counts[1]) + " warning(s), " +
                                                                   std::to_string(counts[0]) + " info(s)")
            << " in " << graph.declaredCount() << " resource(s) from " << files_read << " file(s)";
  if (skipped_docs) std::cerr << "; " << skipped_docs << " document(s) of other kinds skipped";
  std::cerr << (o.all_namespaces || o.harness ? " (all namespaces)" : " (namespace " + selected_ns + ")") << ".\n";
  if (o.verbose) {
    std::cerr << "documents: " << documents << "\n";
    for (const auto& [k, n] : skipped) std::cerr << "skipped kind " << k << ": " << n << "\n";
    std::cerr << "mesh config: " << graph.meshConfig().source << "\n";
  }
  if (o.timing) {
    std::cerr << "timing: load " << ms(t0, t1) << " ms, graph " << ms(t1, t2) << " ms, analyze " << ms(t2, t3)
              << " ms, report " << ms(t3, Clock::now()) << " ms\n";
  }
  keepUntilExit(std::move(graph));
  return failed ? kExitFindings : kExitOk;
}

}  // namespace istio_lint::cli
