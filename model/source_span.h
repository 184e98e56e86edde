#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace istio_lint::model {

/// Where a value came from: an index into the FileTable plus a 1-based line and column.
/// A default-constructed span (line 0) means "no position known".
struct Span {
  uint32_t file = 0;
  uint32_t line = 0;
  uint32_t col = 0;

  bool known() const { return line != 0; }
  friend bool operator==(const Span&, const Span&) = default;
  friend auto operator<=>(const Span&, const Span&) = default;
};

/// A string value together with the span of the YAML scalar it was read from.
struct Str {
  std::string value;
  Span span;

  bool empty() const { return value.empty(); }
  const std::string& operator*() const { return value; }
};

/// Paths of every input, indexed by Span::file. Index 0 is reserved for "no file".
class FileTable {
 public:
  FileTable() { paths_.emplace_back(""); }
  uint32_t add(std::string path) {
    paths_.push_back(std::move(path));
    return static_cast<uint32_t>(paths_.size() - 1);
  }
  const std::string& path(uint32_t id) const { return paths_.at(id); }
  size_t size() const { return paths_.size(); }

 private:
  std::vector<std::string> paths_;
};

}  // namespace istio_lint::model
