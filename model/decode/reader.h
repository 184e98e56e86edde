#pragma once

// Typed reads from the YAML tree. A value of the wrong type is not an exception: it becomes a
// SchemaIssue at the value's position, naming the field path, and the field is left unset.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/resources/resource.h"
#include "model/yaml_tree.h"

namespace istio_lint::model::decode {

using yaml::Node;

class Reader {
 public:
  Reader(uint32_t file, std::vector<SchemaIssue>& issues) : file_(file), issues_(issues) {}

  Span span(const Node& n) const { return n.span(file_); }
  Span span(const Node* n) const { return n ? n->span(file_) : Span{}; }

  /// Field path guards: `auto g = r.field("spec")` while reading under spec. A key is viewed, not
  /// copied: it must outlive the guard (a literal, or a key of the document being read).
  class Guard {
   public:
    Guard(Reader& r, std::string_view key, int64_t index) : r_(r) { r_.path_.push_back({key, index}); }
    ~Guard() { r_.path_.pop_back(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    Reader& r_;
  };
  Guard field(std::string_view key) { return Guard(*this, key, -1); }
  Guard index(size_t i) { return Guard(*this, {}, static_cast<int64_t>(i)); }

  /// "spec.servers[0].port"; a key that is not a plain word (annotation names, "a.b") is written
  /// ["sidecar.istio.io/inject"], so the path stays unambiguous.
  std::string path() const;
  void issue(const Node& at, std::string message, bool warning = false);
  /// True when `n` is a mapping; otherwise an issue ("expected a mapping") at it, and false.
  bool requireMap(const Node& n) {
    if (n.isMap()) return true;
    issue(n, "expected a mapping");
    return false;
  }

  /// The mapping under `key`; null (and an issue) when present but not a mapping.
  const Node* map(const Node& parent, std::string_view key);
  /// Calls fn(const Node&) for each item of the sequence under `key` (an issue when not a
  /// sequence).
  template <class Fn>
  void each(const Node& parent, std::string_view key, Fn&& fn) {
    eachItem(parent.get(key), key, fn);
  }
  /// Like each(), for a callback that appends to `out`: room for every item is reserved first
  /// (route, match and server structs are large, and regrowing moves every one).
  template <class T, class Fn>
  void each(const Node& parent, std::string_view key, std::vector<T>& out, Fn&& fn) {
    const Node* n = parent.get(key);
    if (n != nullptr && n->isSeq()) out.reserve(out.size() + n->size);
    eachItem(n, key, fn);
  }
  /// Appends read(item) to `out` for each item of the sequence under `key`.
  template <class T, class Fn>
  void list(const Node& parent, std::string_view key, std::vector<T>& out, Fn&& read) {
    each(parent, key, out, [&](const Node& item) { out.push_back(read(item)); });
  }
  /// Calls fn(std::string_view key, const Node& value) for each entry of the mapping under `key`.
  template <class Fn>
  void entries(const Node& parent, std::string_view key, Fn&& fn) {
    const Node* n = map(parent, key);
    if (n == nullptr) return;
    auto g = field(key);
    for (uint32_t i = 0; i < n->size; ++i) {
      auto gk = field(n->key(i).text);
      fn(n->key(i).text, n->value(i));
    }
  }

  std::optional<Str> str(const Node& parent, std::string_view key);
  Str strOr(const Node& parent, std::string_view key) { return str(parent, key).value_or(Str{}); }
  /// A string or a number written as a plain scalar (Kubernetes targetPort, env values).
  std::optional<Str> scalarText(const Node& parent, std::string_view key);
  std::optional<int64_t> integer(const Node& parent, std::string_view key);
  std::optional<uint32_t> port(const Node& parent, std::string_view key);
  std::optional<double> number(const Node& parent, std::string_view key);
  std::optional<bool> boolean(const Node& parent, std::string_view key);
  std::vector<Str> strList(const Node& parent, std::string_view key);
  /// A string that must be one of `allowed` (a protobuf enum); an issue lists the valid values.
  std::optional<Str> enumeration(const Node& parent, std::string_view key,
                                 std::initializer_list<std::string_view> allowed);
  /// Reports every key of the mapping `n` that is not one of `keys` (protobuf JSON also accepts
  /// the snake_case spelling), suggesting the nearest known key.
  void known(const Node& n, std::initializer_list<std::string_view> keys);
  /// A map of string to string (labels, selectors); nullopt when absent.
  std::optional<Labels> labels(const Node& parent, std::string_view key, Span* where = nullptr);

  uint32_t file() const { return file_; }
  /// The resource's metadata.namespace when the manifest gives it, else "" (checks that resolve
  /// "." in host names need it while the spec is read).
  const std::string& ns() const { return ns_; }
  void setNamespace(std::string ns) { ns_ = std::move(ns); }

 private:
  template <class Fn>
  void eachItem(const Node* n, std::string_view key, Fn& fn) {
    if (n == nullptr || n->isNull()) return;
    auto g = field(key);
    if (!n->isSeq()) {
      notAList(*n);
      return;
    }
    for (uint32_t i = 0; i < n->size; ++i) {
      auto gi = index(i);
      fn(n->at(i));
    }
  }

  static const char* typeName(const Node& n);
  void notAList(const Node& n);
  uint32_t file_;
  std::vector<SchemaIssue>& issues_;
  struct Segment {
    std::string_view key;
    int64_t index = -1;  // >= 0: a list index, not a key
  };
  std::vector<Segment> path_;
  std::string ns_;
};

}  // namespace istio_lint::model::decode
