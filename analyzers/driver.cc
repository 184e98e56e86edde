#include "analyzers/driver.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <iterator>
#include <mutex>

#include "analyzers/config_filter.h"
#include "analyzers/inline_suppression.h"
#include "model/parallel.h"

namespace istio_lint::analyzers {
namespace {

bool suppressedByAnnotation(const rules::Finding& f) {
  if (f.resource == nullptr) return false;
  const model::Str* a = f.resource->annotation(std::string(kSuppressAnnotation));
  if (a == nullptr) return false;
  std::string_view v = a->value;
  // Comma-separated, not trimmed (as upstream): "IST0101,IST0132" or "*".
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string_view item = v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
    if (item == "*" || item == f.type().code) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

std::vector<rules::Finding> run(const model::MeshGraph& graph, const RunOptions& options) {
  std::vector<const Analyzer*> selected = options.analyzers;
  if (selected.empty()) {
    for (const AnalyzerPtr& a : allAnalyzers()) {
      if (a->metadata().default_enabled) selected.push_back(a.get());
    }
  }
  // Analyzers only read the graph, so they run on every core, each into its own list; the lists
  // are joined in the analyzers' order, so the result does not depend on the scheduling.
  std::vector<std::vector<rules::Finding>> per(selected.size());
  std::vector<double> ms(options.times != nullptr ? selected.size() : 0);
  std::atomic<size_t> next{0};
  std::mutex failure_mu;
  std::exception_ptr failure;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < selected.size();) {
      try {
        Context ctx(graph, selected[i]->metadata().name, per[i], options.config);
        const auto start = std::chrono::steady_clock::now();
        selected[i]->analyze(ctx);
        if (!ms.empty()) ms[i] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mu);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  const size_t threads = std::clamp<size_t>(selected.size(), 1, model::parallel::cores());
  model::parallel::onEveryCore(work, static_cast<unsigned>(threads));
  if (failure) std::rethrow_exception(failure);
  if (options.times != nullptr) {
    options.times->clear();
    for (size_t i = 0; i < selected.size(); ++i) options.times->push_back({selected[i]->metadata().name, ms[i]});
    std::stable_sort(options.times->begin(), options.times->end(),
                     [](const AnalyzerTime& a, const AnalyzerTime& b) { return a.ms > b.ms; });
  }
  size_t total = 0;
  for (const auto& list : per) total += list.size();
  std::vector<rules::Finding> findings;
  findings.reserve(total);
  for (auto& list : per) std::move(list.begin(), list.end(), std::back_inserter(findings));
  findings.erase(std::remove_if(findings.begin(), findings.end(), suppressedByAnnotation), findings.end());
  removeInlineSuppressed(findings, graph);
  if (options.config != nullptr) {
    std::vector<size_t> hits = applyConfig(findings, *options.config, graph.files());
    if (options.suppression_hits != nullptr) *options.suppression_hits = std::move(hits);
  }
  sortAndDedupe(findings, graph.files());
  return findings;
}

void sortAndDedupe(std::vector<rules::Finding>& findings, const model::FileTable& files) {
  auto key = [&](const rules::Finding& f) {
    return std::tie(files.path(f.span.file), f.span.line, f.span.col, f.type().code, f.message);
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const rules::Finding& a, const rules::Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const rules::Finding& a, const rules::Finding& b) {
                               return key(a) == key(b) && a.origin.str() == b.origin.str();
                             }),
                 findings.end());
}

}  // namespace istio_lint::analyzers
