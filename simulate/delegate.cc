#include "simulate/delegate.h"

#include <algorithm>

namespace istio_lint::simulate {
namespace {

using Type = model::StringMatch::Type;

/// istiod stringMatchConflict: no conflict when either side is unset; a regex on one side allows
/// nothing but "unset" on the other; an exact root needs the same exact leaf; a prefix root needs
/// a leaf prefix or exact value that starts with it.
bool stringConflict(const model::StringMatch* root, const model::StringMatch* leaf) {
  if (root == nullptr || leaf == nullptr || root->type == Type::Any || leaf->type == Type::Any) return false;
  if (root->type == Type::Regex || leaf->type == Type::Regex) return true;
  if (root->type == Type::Exact) return leaf->type != Type::Exact || leaf->value != root->value;
  // root is a prefix
  return !leaf->value.starts_with(root->value);
}

const model::StringMatch* lookup(const std::map<std::string, model::StringMatch>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

std::string joinNames(const std::string& root, const std::string& leaf) {
  if (leaf.empty()) return root;
  if (root.empty()) return leaf;
  return root + "-" + leaf;
}

model::HttpMatch merge(const model::HttpMatch& root, const model::HttpMatch& leaf) {
  model::HttpMatch out = leaf;
  out.name.value = joinNames(root.name.value, leaf.name.value);
  for (auto [field, from] : {std::pair{&out.uri, &root.uri}, std::pair{&out.scheme, &root.scheme},
                             std::pair{&out.method, &root.method}, std::pair{&out.authority, &root.authority}}) {
    if (field->type == Type::Any) *field = *from;
  }
  // Root conditions first, the delegate's win on the same key.
  auto unite = [](std::map<std::string, model::StringMatch>& into, const std::map<std::string, model::StringMatch>& root_side) {
    for (const auto& [k, v] : root_side) into.emplace(k, v);
  };
  unite(out.headers, root.headers);
  unite(out.without_headers, root.without_headers);
  unite(out.query_params, root.query_params);
  for (const auto& [k, v] : root.source_labels) out.source_labels.emplace(k, v);
  if (!out.port) out.port = root.port;
  if (out.source_namespace.empty()) out.source_namespace = root.source_namespace;
  if (out.gateways.empty()) out.gateways = root.gateways;
  if (out.stat_prefix.empty()) out.stat_prefix = root.stat_prefix;
  return out;
}

}  // namespace

bool delegateMatchConflicts(const model::HttpMatch& root, const model::HttpMatch& leaf) {
  if (stringConflict(&root.uri, &leaf.uri) || stringConflict(&root.scheme, &leaf.scheme) ||
      stringConflict(&root.method, &leaf.method) || stringConflict(&root.authority, &leaf.authority)) {
    return true;
  }
  for (const auto& [k, v] : leaf.headers) {
    if (stringConflict(lookup(root.headers, k), &v)) return true;
  }
  for (const auto& [k, v] : leaf.without_headers) {
    if (stringConflict(lookup(root.without_headers, k), &v)) return true;
  }
  for (const auto& [k, v] : leaf.query_params) {
    if (stringConflict(lookup(root.query_params, k), &v)) return true;
  }
  if (root.ignore_uri_case != leaf.ignore_uri_case) return true;
  if (root.port && leaf.port && *root.port != *leaf.port) return true;
  if (!root.source_namespace.empty() && leaf.source_namespace.value != root.source_namespace.value) return true;
  for (const auto& [k, v] : leaf.source_labels) {
    auto it = root.source_labels.find(k);
    if (it != root.source_labels.end() && it->second != v) return true;
  }
  // The root's gateways must be a superset of the delegate's.
  if (!root.gateways.empty() && !leaf.gateways.empty()) {
    if (root.gateways.size() < leaf.gateways.size()) return true;
    for (const model::Str& g : leaf.gateways) {
      bool found = std::any_of(root.gateways.begin(), root.gateways.end(),
                               [&](const model::Str& r) { return r.value == g.value; });
      if (!found) return true;
    }
  }
  return false;
}

std::optional<std::vector<model::HttpMatch>> mergeDelegateMatches(const std::vector<model::HttpMatch>& root,
                                                                  const std::vector<model::HttpMatch>& delegate) {
  if (root.empty()) return delegate;
  if (delegate.empty()) return root;
  std::vector<model::HttpMatch> out;
  for (const model::HttpMatch& leaf : delegate) {
    bool found = false;
    for (const model::HttpMatch& r : root) {
      if (delegateMatchConflicts(r, leaf)) continue;
      out.push_back(merge(r, leaf));
      found = true;
    }
    if (!found) return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace istio_lint::simulate
