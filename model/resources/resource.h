#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/kind.h"
#include "model/source_span.h"
#include "model/yaml_tree.h"

namespace istio_lint::model {

using Labels = std::map<std::string, std::string>;

/// Every label of `selector` is on `labels` with the same value (a matchLabels selector; an empty
/// selector selects everything).
inline bool labelsSubset(const Labels& selector, const Labels& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

/// A problem the decoder found in a resource's fields (reported by schema.ValidationAnalyzer).
struct SchemaIssue {
  bool warning = false;  // IST0133 instead of IST0106
  std::string message;
  Span span;
};

struct ObjectMeta {
  Str name;
  Str ns;                 // after defaulting; empty when the input gave none and no default applies
  bool ns_given = false;  // metadata.namespace was present in the input
  Labels labels;
  std::map<std::string, Str> annotations;
  Span labels_span;
  std::string creation_timestamp;  // metadata.creationTimestamp as written (RFC 3339), else empty
};

/// One entry of `status.conditions` (for Gateway API routes, also of `status.parents[].conditions`),
/// as the controller wrote it. Values are kept as written ("True", "False", "Unknown").
struct Condition {
  Str type, status, reason, message;
  std::string parent;  // routes: the parentRef the condition belongs to ("ns/name"), else empty
  Span span;           // the condition's list item
};

/// Fields every resource has. Typed resources derive from it; kinds without a typed model are
/// kept as GenericResource with their document.
struct Resource {
  Kind kind = Kind::Count_;
  std::string api_version;
  ObjectMeta meta;
  Span span;                  // the resource's first line
  std::string cluster;        // multi-cluster inputs: which cluster the file belongs to
  bool synthetic = false;     // assumed by istio-lint (default ingress gateway), not in the input
  std::vector<SchemaIssue> schema_issues;
  std::vector<Condition> conditions;  // status.conditions, then status.parents[].conditions

  virtual ~Resource() = default;
  const std::string& name() const { return meta.name.value; }
  const std::string& ns() const { return meta.ns.value; }
  /// "Kind ns/name", or "Kind name" without a namespace (istioctl's origin).
  std::string origin() const;
  /// "ns/name", or "name" without a namespace.
  std::string qualifiedName() const;
  const Str* annotation(const std::string& key) const {
    auto it = meta.annotations.find(key);
    return it == meta.annotations.end() ? nullptr : &it->second;
  }
};
using ResourcePtr = std::unique_ptr<Resource>;

struct GenericResource : Resource {
  yaml::DocumentPtr doc;
  const yaml::Node* root = nullptr;  // the resource's mapping inside doc
};

}  // namespace istio_lint::model
