#pragma once

// A read-only YAML document tree, built from libyaml's event API by model/yaml_parser.cc. A
// document's nodes and scalar text live in one block, so a document is a single allocation however
// many nodes it has. Aliases share the anchored node (the tree is a DAG); every node records its
// expanded size, so a walk over an alias bomb is refused before it starts instead of running for
// ever.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/source_span.h"

namespace istio_lint::model::yaml {

enum class NodeType : uint8_t { Null, Scalar, Sequence, Mapping };
enum class ScalarStyle : uint8_t { Plain, Quoted, Literal };

struct Node {
  NodeType type = NodeType::Null;
  ScalarStyle style = ScalarStyle::Plain;
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t size = 0;              // item count, or pair count for a mapping
  std::string_view text;          // scalar value (owned by the document)
  const Node* items = nullptr;    // sequence items, or mapping key/value pairs interleaved
  uint64_t weight = 1;            // nodes in the expanded tree (saturating)

  bool isMap() const { return type == NodeType::Mapping; }
  bool isSeq() const { return type == NodeType::Sequence; }
  bool isScalar() const { return type == NodeType::Scalar; }
  /// Null node, or a plain scalar spelled as YAML null (`~`, `null`, empty).
  bool isNull() const;

  /// Mapping lookup. Also accepts the snake_case spelling of a camelCase key, as protobuf JSON does.
  const Node* get(std::string_view key) const;
  const Node& key(uint32_t i) const { return items[2 * i]; }
  const Node& value(uint32_t i) const { return items[2 * i + 1]; }
  const Node& at(uint32_t i) const { return items[i]; }

  /// Scalar conversions; nullopt when the node is not a scalar of that type.
  std::optional<int64_t> asInt() const;
  std::optional<bool> asBool() const;
  std::optional<double> asDouble() const;
  /// True for a scalar that YAML would resolve to a string (quoted, or plain but not a number,
  /// bool or null).
  bool isString() const;
  std::string str() const { return std::string(text); }
  Span span(uint32_t file) const { return Span{file, line, col}; }
};

/// One YAML document and the block that holds its nodes and text.
class Document {
 public:
  Document();
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const Node* root() const { return root_; }
  uint32_t file() const { return file_; }
  /// First line of the document that is content or a comment (istioctl's document line).
  uint32_t startLine() const { return start_line_; }

 private:
  friend class Parser;
  /// Gives the document its block of `bytes` (from a per-thread cache, see yaml_tree.cc).
  char* allocate(size_t bytes);

  char* storage_ = nullptr;     // nodes, then scalar text
  uint8_t storage_class_ = 0;   // size class of storage_ (see yaml_tree.cc)
  const Node* root_ = nullptr;
  uint32_t file_ = 0;
  uint32_t start_line_ = 0;
};
using DocumentPtr = std::shared_ptr<const Document>;

/// A problem found while reading the stream: a syntax error or an exceeded limit.
struct ParseProblem {
  enum class Type { Syntax, Limit };
  Type type;
  std::string message;
  Span span;
};

struct ParseLimits {
  uint32_t max_depth = 256;              // nesting deeper than this is refused
  uint64_t max_expanded_nodes = 4000000; // alias expansion budget per document
};

struct ParseResult {
  std::vector<DocumentPtr> documents;
  std::vector<ParseProblem> problems;
};

/// Parses a multi-document stream. After a syntax error, parsing resumes at the next `---`
/// line, so one broken document does not hide the rest of the file.
ParseResult parse(std::string_view bytes, uint32_t file, const ParseLimits& limits = {});

using DocumentFn = std::function<void(DocumentPtr)>;
/// Like parse(), but hands each document to `each` as soon as it is complete, in stream order,
/// instead of collecting them; returns the problems. A document the callback does not keep is
/// freed before the next one is built, so a file's documents do not all live at once.
std::vector<ParseProblem> parseEach(std::string_view bytes, uint32_t file, const ParseLimits& limits,
                                    const DocumentFn& each);

}  // namespace istio_lint::model::yaml
