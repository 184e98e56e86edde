// Builds the document trees of model/yaml_tree.h from libyaml's event API.

#include "model/yaml_tree.h"

#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/yaml_stream.h"

namespace istio_lint::model::yaml {

// ---------------------------------------------------------------------------------------------
// Parser
//
// A document is built in per-thread scratch buffers that keep their capacity from one document
// (and one file) to the next: finished child arrays go to `nodes`, scalar bytes to `text`, and a
// node under construction refers to both by offset. When the document ends it is copied, offsets
// turned into pointers, into one allocation of exactly its size. Reading many small files thus
// costs one allocation per document instead of a growing set of arena blocks.

namespace {

/// A node under construction. Scalars: [off, off + len) of the text scratch. Collections:
/// `size` items (2 * size for a mapping) at nodes[off].
struct Built {
  NodeType type = NodeType::Null;
  ScalarStyle style = ScalarStyle::Plain;
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t size = 0;
  uint32_t off = 0;
  uint32_t len = 0;
  uint64_t weight = 1;

  bool isMap() const { return type == NodeType::Mapping; }
  bool isSeq() const { return type == NodeType::Sequence; }
};

struct Frame {
  NodeType type;
  bool flow;  // [..] or {..}
  uint32_t line, col;
  std::string anchor;
  size_t first_child;
};

struct Scratch {
  std::vector<Built> nodes;    // child arrays of the current document's closed collections
  std::vector<Built> pending;  // children of every open collection, innermost last
  std::vector<Frame> frames;
  std::string text;            // scalar bytes of the current document
  bool busy = false;

  /// Drops capacity a huge document left behind, so a thread does not keep it for ever.
  void trim() {
    constexpr size_t kKeep = size_t{16} << 20;
    if (nodes.capacity() * sizeof(Built) > kKeep) std::vector<Built>().swap(nodes);
    if (pending.capacity() * sizeof(Built) > kKeep) std::vector<Built>().swap(pending);
    if (text.capacity() > kKeep) std::string().swap(text);
  }
};

constexpr size_t kMaxOffset = UINT32_MAX;

uint64_t addSat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

}  // namespace

class Parser {
 public:
  Parser(uint32_t file, const ParseLimits& limits, ParseResult& out, Scratch& scratch,
         const DocumentFn* each)
      : file_(file), limits_(limits), out_(out), each_(each), nodes_(scratch.nodes),
        pending_(scratch.pending), frames_(scratch.frames), text_(scratch.text) {}

  /// Parses bytes[offset..]; returns the offset to resume at after a syntax error, or npos.
  size_t parseRange(std::string_view bytes, size_t offset, uint32_t line_base);

 private:
  void startDocument();
  void endDocument();
  void addScalar(const yaml_event_t& ev, uint32_t line, uint32_t col);
  void addNode(const Built& n, const char* anchor);
  void openCollection(NodeType t, bool flow, uint32_t line, uint32_t col, const char* anchor);
  void closeCollection();
  bool applyMergeKeys(size_t first, uint32_t line, uint32_t col);
  void fail(ParseProblem::Type type, std::string message, uint32_t line, uint32_t col);
  std::string_view textOf(const Built& b) const {
    return b.type == NodeType::Scalar ? std::string_view(text_.data() + b.off, b.len) : std::string_view();
  }
  const Built& item(const Built& b, uint32_t i) const { return nodes_[b.off + i]; }
  DocumentPtr finish(const Built& root) const;

  uint32_t file_;
  const ParseLimits& limits_;
  ParseResult& out_;
  const DocumentFn* each_;     // hand documents over as they end, or collect them in out_

  std::vector<Built>& nodes_;
  std::vector<Built>& pending_;
  std::vector<Frame>& frames_;
  std::string& text_;
  std::unordered_map<std::string, Built> anchors_;
  bool in_document_ = false;
  bool skipping_ = false;      // the current document exceeded a limit; drain its events
  // The document nests deeper than the limit: stop reading it at once and resume at the next
  // `---` line. Draining its events instead would cost libyaml time quadratic in the depth (its
  // scanner revisits every open flow level for each token).
  bool abandon_ = false;
  uint64_t merge_work_ = 0;    // entries merge keys copied in this document
};

void Parser::fail(ParseProblem::Type type, std::string message, uint32_t line, uint32_t col) {
  out_.problems.push_back(ParseProblem{type, std::move(message), Span{file_, line, col}});
  skipping_ = true;
  frames_.clear();
  pending_.clear();
}

void Parser::startDocument() {
  in_document_ = true;
  nodes_.clear();
  text_.clear();
  frames_.clear();
  pending_.clear();
  anchors_.clear();
  skipping_ = false;
  abandon_ = false;
  merge_work_ = 0;
}

DocumentPtr Parser::finish(const Built& root) const {
  // One block: every child array (in scratch order, so offsets index it), then the root, then the
  // scalar bytes.
  size_t n = nodes_.size();
  size_t node_bytes = (n + 1) * sizeof(Node);
  auto doc = std::make_shared<Document>();
  char* block = doc->allocate(node_bytes + text_.size());
  Node* out = reinterpret_cast<Node*>(block);
  char* text = block + node_bytes;
  if (!text_.empty()) std::memcpy(text, text_.data(), text_.size());
  auto convert = [&](const Built& b, Node* to) {
    Node* x = new (to) Node();
    x->type = b.type;
    x->style = b.style;
    x->line = b.line;
    x->col = b.col;
    x->size = b.size;
    x->weight = b.weight;
    if (b.type == NodeType::Scalar) {
      if (b.len != 0) x->text = std::string_view(text + b.off, b.len);
    } else if (b.size != 0) {
      x->items = out + b.off;
    }
  };
  for (size_t i = 0; i < n; ++i) convert(nodes_[i], out + i);
  convert(root, out + n);
  doc->root_ = out + n;
  doc->file_ = file_;
  doc->start_line_ = root.line;
  return doc;
}

void Parser::endDocument() {
  bool done = in_document_ && !skipping_ && !pending_.empty();
  DocumentPtr doc = done ? finish(pending_.back()) : nullptr;
  in_document_ = false;
  pending_.clear();
  frames_.clear();
  anchors_.clear();
  if (!doc) return;
  if (each_ != nullptr) {
    (*each_)(std::move(doc));
  } else {
    out_.documents.push_back(std::move(doc));
  }
}

void Parser::addNode(const Built& n, const char* anchor) {
  if (anchor != nullptr) anchors_[anchor] = n;
  pending_.push_back(n);
}

void Parser::addScalar(const yaml_event_t& ev, uint32_t line, uint32_t col) {
  size_t len = ev.data.scalar.length;
  if (text_.size() + len > kMaxOffset) {
    fail(ParseProblem::Type::Limit, "the document's text is larger than 4 GiB; the document is skipped", line,
         col);
    return;
  }
  Built n;
  n.type = NodeType::Scalar;
  n.style = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? ScalarStyle::Plain
            : (ev.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
               ev.data.scalar.style == YAML_FOLDED_SCALAR_STYLE)
                ? ScalarStyle::Literal
                : ScalarStyle::Quoted;
  n.line = line;
  n.col = col;
  n.off = static_cast<uint32_t>(text_.size());
  n.len = static_cast<uint32_t>(len);
  text_.append(reinterpret_cast<const char*>(ev.data.scalar.value), len);
  addNode(n, reinterpret_cast<const char*>(ev.data.scalar.anchor));
}

void Parser::openCollection(NodeType t, bool flow, uint32_t line, uint32_t col, const char* anchor) {
  if (frames_.size() >= limits_.max_depth) {
    fail(ParseProblem::Type::Limit,
         "nesting is deeper than " + std::to_string(limits_.max_depth) +
             " levels; the document is skipped",
         line, col);
    abandon_ = true;
    return;
  }
  frames_.push_back(Frame{t, flow, line, col, anchor ? anchor : "", pending_.size()});
}

bool Parser::applyMergeKeys(size_t first, uint32_t line, uint32_t col) {
  // YAML 1.1 merge keys (`<<: *base` or `<<: [*a, *b]`), as Kubernetes' YAML reader accepts them.
  auto isMergeKey = [&](const Built& k) {
    return k.type == NodeType::Scalar && k.style == ScalarStyle::Plain && textOf(k) == "<<";
  };
  bool has_merge = false;
  for (size_t i = first; i < pending_.size(); i += 2) {
    if (isMergeKey(pending_[i])) {
      has_merge = true;
      break;
    }
  }
  if (!has_merge) return true;
  std::vector<Built> own, sources;
  for (size_t i = first; i + 1 < pending_.size(); i += 2) {
    const Built& k = pending_[i];
    if (isMergeKey(k)) {
      const Built& v = pending_[i + 1];
      if (v.isMap()) {
        sources.push_back(v);
      } else if (v.isSeq()) {
        for (uint32_t j = 0; j < v.size; ++j) {
          if (item(v, j).isMap()) sources.push_back(item(v, j));
        }
      }
    } else {
      own.push_back(k);
      own.push_back(pending_[i + 1]);
    }
  }
  // Merging is work proportional to the merged entries, and aliases let a few bytes merge the
  // same big mapping many times: the document's merges share the alias expansion budget.
  for (const Built& src : sources) merge_work_ = addSat(merge_work_, src.size);
  if (merge_work_ > limits_.max_expanded_nodes) {
    fail(ParseProblem::Type::Limit,
         "merge keys (<<) copy more than " + std::to_string(limits_.max_expanded_nodes) +
             " entries in this document (a merge-key bomb?); the document is skipped",
         line, col);
    return false;
  }
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < own.size(); i += 2) seen.insert(textOf(own[i]));
  for (const Built& src : sources) {
    for (uint32_t j = 0; j < src.size; ++j) {
      if (seen.insert(textOf(item(src, 2 * j))).second) {
        own.push_back(item(src, 2 * j));
        own.push_back(item(src, 2 * j + 1));
      }
    }
  }
  pending_.resize(first);
  pending_.insert(pending_.end(), own.begin(), own.end());
  return true;
}

void Parser::closeCollection() {
  Frame f = std::move(frames_.back());
  frames_.pop_back();
  if (f.type == NodeType::Mapping && !applyMergeKeys(f.first_child, f.line, f.col)) return;
  size_t n = pending_.size() - f.first_child;
  if (nodes_.size() + n > kMaxOffset) {
    fail(ParseProblem::Type::Limit, "the document has more than 4G nodes; the document is skipped", f.line,
         f.col);
    return;
  }
  Built node;
  node.type = f.type;
  node.line = f.line;
  node.col = f.col;
  node.off = static_cast<uint32_t>(nodes_.size());
  node.size = static_cast<uint32_t>(f.type == NodeType::Mapping ? n / 2 : n);
  uint64_t w = 1;
  for (size_t i = f.first_child; i < pending_.size(); ++i) w = addSat(w, pending_[i].weight);
  node.weight = w;
  nodes_.insert(nodes_.end(), pending_.begin() + static_cast<std::ptrdiff_t>(f.first_child), pending_.end());
  pending_.resize(f.first_child);
  if (w > limits_.max_expanded_nodes) {
    fail(ParseProblem::Type::Limit,
         "aliases expand this document to more than " + std::to_string(limits_.max_expanded_nodes) +
             " nodes (an alias bomb?); the document is skipped",
         f.line, f.col);
    return;
  }
  addNode(node, f.anchor.empty() ? nullptr : f.anchor.c_str());
}

using stream::byteAtChar;
using stream::countLineBreaks;
using stream::firstRejectedByte;
using stream::lastDocumentStart;
using stream::markAt;
using stream::nextDocumentBom;
using stream::nextDocumentStart;

size_t Parser::parseRange(std::string_view bytes, size_t offset, uint32_t line_base) {
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(bytes.data() + offset),
                               bytes.size() - offset);
  yaml_event_t ev;
  size_t resume = std::string_view::npos;
  // At the end of a stream that does not end with a line break, libyaml moves its marks to a line
  // after the input (an empty document's null, an error there); point at the end of the last
  // line instead, which exists.
  // (Marks count characters: the input's length in characters is counted only when needed.)
  const bool open_last_line = bytes.size() > offset && bytes.back() != '\n' && bytes.back() != '\r';
  const yaml_mark_t input_end = open_last_line ? markAt(bytes, offset, bytes.size()) : yaml_mark_t{};
  auto clamp = [&](const yaml_mark_t& mk) { return open_last_line && mk.index >= input_end.index ? input_end : mk; };
  auto line = [&](const yaml_mark_t& m) { return static_cast<uint32_t>(clamp(m).line) + 1 + line_base; };
  auto col = [&](const yaml_mark_t& m) { return static_cast<uint32_t>(clamp(m).column) + 1; };
  for (bool done = false; !done;) {
    if (!yaml_parser_parse(&parser, &ev)) {
      yaml_mark_t m = clamp(parser.problem_mark);
      size_t error_at = byteAtChar(bytes, offset, m.index);
      std::string msg = parser.problem ? parser.problem : "invalid YAML";
      if (parser.error == YAML_READER_ERROR) {
        // Bytes that are not UTF-8 or not allowed in YAML (NUL, control characters): the reader
        // gives a byte offset, not a line and column.
        error_at = offset + parser.problem_offset;
        m = markAt(bytes, offset, error_at);
        char value[16];
        std::snprintf(value, sizeof value, " (0x%02X)", static_cast<unsigned>(parser.problem_value));
        if (parser.problem_value >= 0) msg += value;
      }
      Span at{file_, line(m), col(m)};
      auto open_flow = std::find_if(frames_.rbegin(), frames_.rend(), [](const Frame& f) { return f.flow; });
      if (parser.context && std::string_view(parser.context) == "while parsing a flow node" &&
          open_flow != frames_.rend()) {
        // libyaml's mark for this context is where it looked for the node (often the end of the
        // file); the mistake is the bracket that was never closed.
        msg = std::string("while parsing a flow ") + (open_flow->type == NodeType::Mapping ? "mapping" : "sequence") +
              " that starts here: " + msg + " (at line " + std::to_string(line(m)) + ", column " +
              std::to_string(col(m)) + ")";
        at = Span{file_, open_flow->line, open_flow->col};
      } else if (parser.context && std::string_view(parser.context).starts_with("while parsing a block")) {
        // The enclosing block collection may start at the top of the document: point where it
        // broke and only mention where the collection starts.
        const yaml_mark_t c = clamp(parser.context_mark);
        msg += " (" + std::string(parser.context) + " that starts at line " + std::to_string(line(c)) +
               ", column " + std::to_string(col(c)) + ")";
      } else if (parser.context) {
        // Point at the construct that was left open (the context), and say where it broke.
        const yaml_mark_t c = clamp(parser.context_mark);
        msg = std::string(parser.context) + " that starts here: " + msg + " (at line " +
              std::to_string(line(m)) + ", column " + std::to_string(col(m)) + ")";
        at = Span{file_, line(c), col(c)};
      }
      out_.problems.push_back(ParseProblem{ParseProblem::Type::Syntax, msg, at});
      in_document_ = false;
      frames_.clear();
      pending_.clear();
      resume = nextDocumentStart(bytes, offset, error_at);
      break;
    }
    switch (ev.type) {
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      case YAML_DOCUMENT_START_EVENT:
        startDocument();
        break;
      case YAML_DOCUMENT_END_EVENT:
        endDocument();
        break;
      case YAML_SCALAR_EVENT:
        if (!skipping_) addScalar(ev, line(ev.start_mark), col(ev.start_mark));
        break;
      case YAML_ALIAS_EVENT:
        if (!skipping_) {
          auto it = anchors_.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
          if (it == anchors_.end()) {
            fail(ParseProblem::Type::Syntax,
                 std::string("unknown alias *") +
                     reinterpret_cast<const char*>(ev.data.alias.anchor),
                 line(ev.start_mark), col(ev.start_mark));
          } else {
            addNode(it->second, nullptr);
          }
        }
        break;
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (skipping_) break;
        bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
        const yaml_char_t* anchor = seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;
        bool flow = seq ? ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                        : ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        openCollection(seq ? NodeType::Sequence : NodeType::Mapping, flow, line(ev.start_mark),
                       col(ev.start_mark), reinterpret_cast<const char*>(anchor));
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (skipping_) break;
        closeCollection();
        break;
      default:
        break;
    }
    size_t event_at = ev.start_mark.index;  // yaml_event_delete() clears the event
    yaml_event_delete(&ev);
    if (abandon_) {
      abandon_ = false;
      in_document_ = false;
      frames_.clear();
      pending_.clear();
      resume = nextDocumentStart(bytes, offset, byteAtChar(bytes, offset, event_at));
      break;
    }
  }
  yaml_parser_delete(&parser);
  return resume;
}

namespace {

void parseStream(std::string_view bytes, uint32_t file, const ParseLimits& limits, ParseResult& out,
                 const DocumentFn* each) {
  // The thread's scratch buffers, unless a parse on this thread is already using them (a
  // document callback that parses YAML of its own).
  thread_local Scratch shared;
  Scratch own;
  Scratch& scratch = shared.busy ? own : shared;
  scratch.busy = true;
  Parser parser(file, limits, out, scratch, each);
  constexpr size_t npos = std::string_view::npos;
  // libyaml decodes its input in chunks of several KiB ahead of the parser, so a byte it rejects
  // fails the documents before it in the same chunk too. Those documents are parsed on their own,
  // up to the `---` line that starts the document with the bad byte. (UTF-16 input, which starts
  // with its byte order mark, is left to libyaml.)
  bool utf16 = bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff");
  size_t bad = utf16 ? npos : firstRejectedByte(bytes, 0);
  // A byte order mark at a document boundary ends the range before it: libyaml accepts one at
  // the start of its input.
  size_t bom = utf16 ? npos : nextDocumentBom(bytes, 0);
  size_t offset = 0;
  uint32_t line_base = 0;
  while (offset != npos && offset < bytes.size()) {
    if (bad != npos && bad < offset) bad = firstRejectedByte(bytes, offset);
    if (bom != npos && bom <= offset) bom = nextDocumentBom(bytes, offset + 1);
    size_t end = bytes.size();
    if (bad != npos) {
      size_t cut = lastDocumentStart(bytes, offset, bad);
      if (cut > offset) end = cut;
    }
    if (bom != npos && bom < end) end = bom;
    size_t next = parser.parseRange(bytes.substr(0, end), offset, line_base);
    if (next == npos && end < bytes.size()) next = end;
    if (next != npos) {
      line_base += static_cast<uint32_t>(countLineBreaks(bytes, offset, next));
    }
    offset = next;
  }
  scratch.busy = false;
  scratch.trim();
}

}  // namespace

ParseResult parse(std::string_view bytes, uint32_t file, const ParseLimits& limits) {
  ParseResult out;
  parseStream(bytes, file, limits, out, nullptr);
  return out;
}

std::vector<ParseProblem> parseEach(std::string_view bytes, uint32_t file, const ParseLimits& limits,
                                    const DocumentFn& each) {
  ParseResult out;
  parseStream(bytes, file, limits, out, &each);
  return std::move(out.problems);
}

}  // namespace istio_lint::model::yaml
