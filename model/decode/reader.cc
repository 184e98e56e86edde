#include "model/decode/reader.h"

namespace istio_lint::model::decode {

namespace {

bool plainKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!word) return false;
  }
  return true;
}

}  // namespace

std::string Reader::path() const {
  std::string out;
  for (const Segment& seg : path_) {
    if (seg.index >= 0) {
      out += "[" + std::to_string(seg.index) + "]";
    } else if (plainKey(seg.key)) {
      if (!out.empty()) out.push_back('.');
      out += seg.key;
    } else {
      out += "[\"";
      for (char c : seg.key) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      out += "\"]";
    }
  }
  return out;
}

void Reader::issue(const Node& at, std::string message, bool warning) {
  std::string p = path();
  issues_.push_back(SchemaIssue{warning, p.empty() ? message : p + ": " + message, span(at)});
}

const char* Reader::typeName(const Node& n) {
  switch (n.type) {
    case yaml::NodeType::Mapping: return "a mapping";
    case yaml::NodeType::Sequence: return "a list";
    case yaml::NodeType::Null: return "null";
    case yaml::NodeType::Scalar:
      if (n.isNull()) return "null";
      if (n.isString()) return "a string";
      if (n.asBool()) return "a boolean";
      return "a number";
  }
  return "a value";
}

const Node* Reader::map(const Node& parent, std::string_view key) {
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return nullptr;
  if (!n->isMap()) {
    auto g = field(key);
    issue(*n, std::string("expected a mapping, got ") + typeName(*n));
    return nullptr;
  }
  return n;
}

void Reader::notAList(const Node& n) { issue(n, std::string("expected a list, got ") + typeName(n)); }

std::optional<Str> Reader::str(const Node& parent, std::string_view key) {
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return std::nullopt;
  if (!n->isString()) {
    auto g = field(key);
    issue(*n, std::string("expected a string, got ") + typeName(*n) +
                  (n->isScalar() ? " (quote it: \"" + n->str() + "\")" : ""));
    return std::nullopt;
  }
  return Str{n->str(), span(*n)};
}

std::optional<Str> Reader::scalarText(const Node& parent, std::string_view key) {
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return std::nullopt;
  if (!n->isScalar()) {
    auto g = field(key);
    issue(*n, std::string("expected a string or number, got ") + typeName(*n));
    return std::nullopt;
  }
  return Str{n->str(), span(*n)};
}

std::optional<int64_t> Reader::integer(const Node& parent, std::string_view key) {
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return std::nullopt;
  auto v = n->asInt();
  if (!v) {
    auto g = field(key);
    issue(*n, std::string("expected an integer, got ") + typeName(*n) +
                  (n->isScalar() ? " \"" + n->str() + "\"" : ""));
  }
  return v;
}

std::optional<uint32_t> Reader::port(const Node& parent, std::string_view key) {
  auto v = integer(parent, key);
  if (!v) return std::nullopt;
  if (*v < 0 || *v > 65535) {
    auto g = field(key);
    issue(*parent.get(key), "port number " + std::to_string(*v) + " is outside 0-65535");
    return std::nullopt;
  }
  return static_cast<uint32_t>(*v);
}

std::optional<double> Reader::number(const Node& parent, std::string_view key) {
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return std::nullopt;
  auto v = n->asDouble();
  if (!v) {
    auto g = field(key);
    issue(*n, std::string("expected a number, got ") + typeName(*n));
  }
  return v;
}

std::optional<bool> Reader::boolean(const Node& parent, std::string_view key) {
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return std::nullopt;
  auto v = n->asBool();
  if (!v) {
    auto g = field(key);
    issue(*n, std::string("expected true or false, got ") + typeName(*n));
  }
  return v;
}

std::vector<Str> Reader::strList(const Node& parent, std::string_view key) {
  std::vector<Str> out;
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return out;
  auto g = field(key);
  if (!n->isSeq()) {
    issue(*n, std::string("expected a list of strings, got ") + typeName(*n));
    return out;
  }
  out.reserve(n->size);
  for (uint32_t i = 0; i < n->size; ++i) {
    const Node& item = n->at(i);
    if (!item.isString()) {
      auto gi = index(i);
      issue(item, std::string("expected a string, got ") + typeName(item));
      continue;
    }
    out.push_back(Str{item.str(), span(item)});
  }
  return out;
}

std::optional<Str> Reader::enumeration(const Node& parent, std::string_view key,
                                       std::initializer_list<std::string_view> allowed) {
  auto v = str(parent, key);
  if (!v) return v;
  for (std::string_view a : allowed) {
    if (a == v->value) return v;
  }
  std::string list;
  for (std::string_view a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  auto g = field(key);
  issue(*parent.get(key), "\"" + v->value + "\" is not a valid value; expected one of " + list);
  return std::nullopt;
}

std::optional<Labels> Reader::labels(const Node& parent, std::string_view key, Span* where) {
  const Node* n = parent.get(key);
  if (n == nullptr || n->isNull()) return std::nullopt;
  auto g = field(key);
  if (!n->isMap()) {
    issue(*n, std::string("expected a mapping of strings, got ") + typeName(*n));
    return std::nullopt;
  }
  if (where) *where = span(*n);
  Labels out;
  for (uint32_t i = 0; i < n->size; ++i) {
    const Node& v = n->value(i);
    if (!v.isScalar() || v.isNull()) {
      auto gk = field(n->key(i).text);
      issue(v, std::string("expected a string, got ") + typeName(v));
      continue;
    }
    if (!v.isString()) {
      auto gk = field(n->key(i).text);
      issue(v, std::string("expected a string, got ") + typeName(v) + " (quote it: \"" + v.str() + "\")");
    }
    out.emplace(n->key(i).str(), v.str());
  }
  return out;
}

}  // namespace istio_lint::model::decode
