#pragma once

// Reads manifests (files, directories, stdin) into typed resources. Files are independent and are
// parsed in parallel; results are merged in input order, so output never depends on scheduling.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/resources/resource.h"
#include "model/source_span.h"
#include "model/suppression_comments.h"
#include "model/yaml_tree.h"

namespace istio_lint::model {

class CredentialCache;  // model/credential_store.h

struct LoadProblem {
  enum class Type { Syntax, NotAResource, Limit, Unreadable };
  Type type;
  std::string message;
  Span span;  // file always set; line 0 when the problem concerns the whole file
};

struct LoadOptions {
  /// Namespace given to namespaced resources without metadata.namespace ("" keeps them empty).
  std::string default_namespace;
  /// When set, only these kinds are kept (the upstream harness loads an analyzer's inputs only).
  std::optional<std::set<Kind>> only_kinds;
  /// Drop resources in kube-system, kube-public, kube-node-lease and local-path-storage.
  bool drop_ignored_namespaces = true;
  yaml::ParseLimits limits;
  unsigned threads = 0;  // 0: one per core
  uint64_t max_file_bytes = uint64_t{1} << 30;
};

/// One input: a path (or "-") and, for tests and stdin, its bytes.
struct Source {
  std::string name;
  std::optional<std::string> bytes;
  /// Multi-cluster inputs: the cluster every resource read from this input belongs to ("": none).
  std::string cluster = {};
};

struct LoadResult {
  FileTable files;
  std::vector<ResourcePtr> resources;      // input order (file, then position)
  std::vector<LoadProblem> problems;
  std::map<std::string, size_t> skipped_kinds;  // "group/Kind" -> count of documents not read
  std::vector<SuppressionComment> suppression_comments;  // `# istio-lint: ignore=...`, input order
  size_t documents = 0;
  size_t files_read = 0;
  /// Credentials of the Secrets read, parsing in the background since each Secret was read
  /// (load() only; MeshGraph::build hands them to the graph's CertificateStore).
  std::shared_ptr<CredentialCache> credentials;
};

/// Expands directories (recursively, .yaml/.yml/.json, sorted, directory symlinks not followed)
/// and reads every file. A path that does not exist is a problem of type Unreadable.
LoadResult load(const std::vector<Source>& inputs, const LoadOptions& options);

/// Parses one in-memory file; used by load() and by tests.
void loadBytes(std::string_view bytes, uint32_t file, const LoadOptions& options, LoadResult& out);

}  // namespace istio_lint::model
