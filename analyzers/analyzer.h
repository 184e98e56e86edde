#pragma once

// The analyzer interface: metadata (name, description, input kinds, codes) and analyze().
// Analyzers read the mesh graph through the context and report through it; they never see YAML.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/config/lint_config.h"
#include "model/mesh_graph.h"
#include "rules/finding.h"

namespace istio_lint::analyzers {

using model::Kind;
using rules::Code;

struct AnalyzerMetadata {
  std::string name;         // upstream style "<pkg>.<Type>", as `-a` takes it
  std::string description;  // one line, shown by --list-analyzers
  std::vector<Kind> inputs;
  std::vector<Code> codes;
  /// Runs when no analyzer is selected with -a (false, as upstream keeps it out of All()).
  bool default_enabled = true;
};

class Context {
 public:
  Context(const model::MeshGraph& graph, std::string analyzer, std::vector<rules::Finding>& out,
          const model::config::LintConfig* config = nullptr)
      : graph_(graph), analyzer_(std::move(analyzer)), out_(out), config_(config) {}

  const model::MeshGraph& graph() const { return graph_; }
  /// The run's `.istio-lint.yaml` settings (the defaults when there is no file).
  const model::config::LintConfig& config() const { return config_ ? *config_ : model::config::defaults(); }

  /// Reports a finding about `res` at `at` (the resource's own span when `at` is unknown).
  template <typename... Args>
  rules::Finding& report(Code code, const model::Resource& res, model::Span at, Args&&... args) {
    rules::Finding& f = add(code, origin(res), at.known() ? at : res.span,
                            rules::render(code, std::forward<Args>(args)...));
    f.resource = &res;
    return f;
  }
  /// Reports a finding that belongs to no resource (a file problem).
  template <typename... Args>
  rules::Finding& reportAt(Code code, model::Span at, Args&&... args) {
    return add(code, rules::Origin{}, at, rules::render(code, std::forward<Args>(args)...));
  }
  static rules::Origin origin(const model::Resource& res) {
    return {std::string(model::kindName(res.kind)), res.ns(), res.name()};
  }

 private:
  rules::Finding& add(Code code, rules::Origin origin, model::Span at, std::string message);
  const model::MeshGraph& graph_;
  std::string analyzer_;
  std::vector<rules::Finding>& out_;
  const model::config::LintConfig* config_;
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  virtual const AnalyzerMetadata& metadata() const = 0;
  virtual void analyze(Context& ctx) const = 0;
};
using AnalyzerPtr = std::unique_ptr<Analyzer>;

/// Every analyzer, sorted by name (analyzers/registry.cc).
const std::vector<AnalyzerPtr>& allAnalyzers();
const Analyzer* findAnalyzer(std::string_view name);

}  // namespace istio_lint::analyzers
