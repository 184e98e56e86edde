#include "model/yaml_tree.h"

#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace istio_lint::model::yaml {

// ---------------------------------------------------------------------------------------------
// Arena

struct Document::Arena {
  std::vector<std::unique_ptr<char[]>> blocks;
  char* cur = nullptr;
  size_t left = 0;
  size_t next_block = 4096;

  void* alloc(size_t n, size_t align) {
    size_t pad = (align - reinterpret_cast<uintptr_t>(cur) % align) % align;
    if (cur == nullptr || pad + n > left) {
      size_t want = std::max(n + align, next_block);
      next_block = std::min<size_t>(next_block * 2, 1 << 20);
      blocks.push_back(std::make_unique<char[]>(want));
      cur = blocks.back().get();
      left = want;
      pad = (align - reinterpret_cast<uintptr_t>(cur) % align) % align;
    }
    char* p = cur + pad;
    cur = p + n;
    left -= pad + n;
    return p;
  }
  std::string_view copy(const char* s, size_t n) {
    if (n == 0) return {};
    char* p = static_cast<char*>(alloc(n, 1));
    std::memcpy(p, s, n);
    return {p, n};
  }
  const Node* nodes(const Node* src, size_t n) {
    if (n == 0) return nullptr;
    Node* p = static_cast<Node*>(alloc(n * sizeof(Node), alignof(Node)));
    std::uninitialized_copy(src, src + n, p);
    return p;
  }
};

Document::Document() : arena_(std::make_unique<Arena>()) {}
Document::~Document() = default;

// ---------------------------------------------------------------------------------------------
// Node

namespace {

bool equalsAny(std::string_view s, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), s) != options.end();
}

std::string snakeCase(std::string_view camel) {
  std::string out;
  out.reserve(camel.size() + 4);
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

uint64_t addSat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

}  // namespace

bool Node::isNull() const {
  if (type == NodeType::Null) return true;
  return type == NodeType::Scalar && style == ScalarStyle::Plain &&
         equalsAny(text, {"", "~", "null", "Null", "NULL"});
}

const Node* Node::get(std::string_view k) const {
  if (type != NodeType::Mapping) return nullptr;
  for (uint32_t i = 0; i < size; ++i) {
    if (items[2 * i].type == NodeType::Scalar && items[2 * i].text == k) return &items[2 * i + 1];
  }
  if (std::any_of(k.begin(), k.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    std::string alt = snakeCase(k);
    for (uint32_t i = 0; i < size; ++i) {
      if (items[2 * i].type == NodeType::Scalar && items[2 * i].text == alt) return &items[2 * i + 1];
    }
  }
  return nullptr;
}

std::optional<int64_t> Node::asInt() const {
  if (type != NodeType::Scalar || style != ScalarStyle::Plain || text.empty()) return std::nullopt;
  std::string_view s = text;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && s[1] == 'o') {
    base = 8;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return neg ? -v : v;
}

std::optional<bool> Node::asBool() const {
  if (type != NodeType::Scalar || style != ScalarStyle::Plain) return std::nullopt;
  if (equalsAny(text, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}))
    return true;
  if (equalsAny(text, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}))
    return false;
  return std::nullopt;
}

std::optional<double> Node::asDouble() const {
  if (auto i = asInt()) return static_cast<double>(*i);
  if (type != NodeType::Scalar || style != ScalarStyle::Plain || text.empty()) return std::nullopt;
  if (equalsAny(text, {".inf", ".Inf", ".INF", "+.inf"})) return HUGE_VAL;
  if (equalsAny(text, {"-.inf", "-.Inf", "-.INF"})) return -HUGE_VAL;
  if (equalsAny(text, {".nan", ".NaN", ".NAN"})) return NAN;
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

bool Node::isString() const {
  if (type != NodeType::Scalar) return false;
  if (style != ScalarStyle::Plain) return true;
  return !isNull() && !asBool() && !asDouble();
}

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
 public:
  Parser(uint32_t file, const ParseLimits& limits, ParseResult& out)
      : file_(file), limits_(limits), out_(out) {}

  /// Parses bytes[offset..]; returns the offset to resume at after a syntax error, or npos.
  size_t parseRange(std::string_view bytes, size_t offset, uint32_t line_base);

 private:
  struct Frame {
    NodeType type;
    uint32_t line, col;
    std::string anchor;
    size_t first_child;
  };

  void startDocument();
  void endDocument();
  void addNode(Node n, const char* anchor);
  void openCollection(NodeType t, uint32_t line, uint32_t col, const char* anchor);
  void closeCollection();
  void applyMergeKeys(size_t first);
  void fail(ParseProblem::Type type, std::string message, uint32_t line, uint32_t col);

  uint32_t file_;
  const ParseLimits& limits_;
  ParseResult& out_;

  std::shared_ptr<Document> doc_;
  std::vector<Frame> frames_;
  std::vector<Node> pending_;  // children of every open collection, innermost last
  std::unordered_map<std::string, Node> anchors_;
  bool skipping_ = false;      // the current document exceeded a limit; drain its events
  uint32_t skip_depth_ = 0;
};

void Parser::fail(ParseProblem::Type type, std::string message, uint32_t line, uint32_t col) {
  out_.problems.push_back(ParseProblem{type, std::move(message), Span{file_, line, col}});
  skipping_ = true;
  frames_.clear();
  pending_.clear();
}

void Parser::startDocument() {
  doc_ = std::shared_ptr<Document>(new Document());
  doc_->file_ = file_;
  frames_.clear();
  pending_.clear();
  anchors_.clear();
  skipping_ = false;
  skip_depth_ = 0;
}

void Parser::endDocument() {
  if (!skipping_ && doc_) {
    if (!pending_.empty()) {
      doc_->root_ = doc_->arena_->nodes(&pending_.back(), 1);
      doc_->start_line_ = doc_->root_->line;
      out_.documents.push_back(std::move(doc_));
    }
  }
  doc_.reset();
  pending_.clear();
  frames_.clear();
  anchors_.clear();
}

void Parser::addNode(Node n, const char* anchor) {
  if (anchor != nullptr) anchors_[anchor] = n;
  pending_.push_back(n);
}

void Parser::openCollection(NodeType t, uint32_t line, uint32_t col, const char* anchor) {
  if (frames_.size() >= limits_.max_depth) {
    fail(ParseProblem::Type::Limit,
         "nesting is deeper than " + std::to_string(limits_.max_depth) +
             " levels; the document is skipped",
         line, col);
    skip_depth_ = 1;
    return;
  }
  frames_.push_back(Frame{t, line, col, anchor ? anchor : "", pending_.size()});
}

void Parser::applyMergeKeys(size_t first) {
  // YAML 1.1 merge keys (`<<: *base` or `<<: [*a, *b]`), as Kubernetes' YAML reader accepts them.
  bool has_merge = false;
  for (size_t i = first; i < pending_.size(); i += 2) {
    const Node& k = pending_[i];
    if (k.type == NodeType::Scalar && k.style == ScalarStyle::Plain && k.text == "<<") {
      has_merge = true;
      break;
    }
  }
  if (!has_merge) return;
  std::vector<Node> own, sources;
  for (size_t i = first; i + 1 < pending_.size(); i += 2) {
    const Node& k = pending_[i];
    if (k.type == NodeType::Scalar && k.style == ScalarStyle::Plain && k.text == "<<") {
      const Node& v = pending_[i + 1];
      if (v.isMap()) {
        sources.push_back(v);
      } else if (v.isSeq()) {
        for (uint32_t j = 0; j < v.size; ++j) {
          if (v.at(j).isMap()) sources.push_back(v.at(j));
        }
      }
    } else {
      own.push_back(k);
      own.push_back(pending_[i + 1]);
    }
  }
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < own.size(); i += 2) seen.insert(own[i].text);
  for (const Node& src : sources) {
    for (uint32_t j = 0; j < src.size; ++j) {
      if (seen.insert(src.key(j).text).second) {
        own.push_back(src.key(j));
        own.push_back(src.value(j));
      }
    }
  }
  pending_.resize(first);
  pending_.insert(pending_.end(), own.begin(), own.end());
}

void Parser::closeCollection() {
  Frame f = std::move(frames_.back());
  frames_.pop_back();
  if (f.type == NodeType::Mapping) applyMergeKeys(f.first_child);
  size_t n = pending_.size() - f.first_child;
  Node node;
  node.type = f.type;
  node.line = f.line;
  node.col = f.col;
  node.items = doc_->arena_->nodes(pending_.data() + f.first_child, n);
  node.size = static_cast<uint32_t>(f.type == NodeType::Mapping ? n / 2 : n);
  uint64_t w = 1;
  for (size_t i = f.first_child; i < pending_.size(); ++i) w = addSat(w, pending_[i].weight);
  node.weight = w;
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

size_t Parser::parseRange(std::string_view bytes, size_t offset, uint32_t line_base) {
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(bytes.data() + offset),
                               bytes.size() - offset);
  yaml_event_t ev;
  size_t resume = std::string_view::npos;
  auto line = [&](const yaml_mark_t& m) { return static_cast<uint32_t>(m.line) + 1 + line_base; };
  auto col = [&](const yaml_mark_t& m) { return static_cast<uint32_t>(m.column) + 1; };
  for (bool done = false; !done;) {
    if (!yaml_parser_parse(&parser, &ev)) {
      const yaml_mark_t& m = parser.problem_mark;
      std::string msg = parser.problem ? parser.problem : "invalid YAML";
      Span at{file_, line(m), col(m)};
      if (parser.context) {
        // Point at the construct that was left open (the context), and say where it broke.
        const yaml_mark_t& c = parser.context_mark;
        msg = std::string(parser.context) + " that starts here: " + msg + " (at line " +
              std::to_string(line(m)) + ", column " + std::to_string(col(m)) + ")";
        at = Span{file_, line(c), col(c)};
      }
      out_.problems.push_back(ParseProblem{ParseProblem::Type::Syntax, msg, at});
      doc_.reset();
      frames_.clear();
      pending_.clear();
      // Resume at the next line that starts a document, after the line of the error.
      size_t err = std::min(offset + m.index, bytes.size());
      size_t ls = bytes.rfind('\n', err == 0 ? 0 : err - 1);
      ls = (ls == std::string_view::npos || err == 0) ? offset : ls + 1;
      if (ls < offset) ls = offset;
      for (size_t p = ls; p < bytes.size();) {
        if (p > offset && bytes.compare(p, 3, "---") == 0 &&
            (p + 3 == bytes.size() || std::strchr(" \t\r\n", bytes[p + 3]) != nullptr)) {
          resume = p;
          break;
        }
        size_t nl = bytes.find('\n', p);
        if (nl == std::string_view::npos) break;
        p = nl + 1;
      }
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
        if (!skipping_) {
          Node n;
          n.type = NodeType::Scalar;
          n.style = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? ScalarStyle::Plain
                    : (ev.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                       ev.data.scalar.style == YAML_FOLDED_SCALAR_STYLE)
                        ? ScalarStyle::Literal
                        : ScalarStyle::Quoted;
          n.line = line(ev.start_mark);
          n.col = col(ev.start_mark);
          n.text = doc_->arena_->copy(reinterpret_cast<const char*>(ev.data.scalar.value),
                                      ev.data.scalar.length);
          addNode(n, reinterpret_cast<const char*>(ev.data.scalar.anchor));
        }
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
        if (skipping_) {
          if (skip_depth_ > 0) ++skip_depth_;
          break;
        }
        bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
        const yaml_char_t* anchor = seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;
        openCollection(seq ? NodeType::Sequence : NodeType::Mapping, line(ev.start_mark),
                       col(ev.start_mark), reinterpret_cast<const char*>(anchor));
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (skipping_) {
          if (skip_depth_ > 0) --skip_depth_;
          break;
        }
        closeCollection();
        break;
      default:
        break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  return resume;
}

ParseResult parse(std::string_view bytes, uint32_t file, const ParseLimits& limits) {
  ParseResult out;
  Parser parser(file, limits, out);
  size_t offset = 0;
  uint32_t line_base = 0;
  while (offset != std::string_view::npos && offset < bytes.size()) {
    size_t next = parser.parseRange(bytes, offset, line_base);
    if (next != std::string_view::npos) {
      line_base += static_cast<uint32_t>(
          std::count(bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                     bytes.begin() + static_cast<std::ptrdiff_t>(next), '\n'));
    }
    offset = next;
  }
  return out;
}

}  // namespace istio_lint::model::yaml
