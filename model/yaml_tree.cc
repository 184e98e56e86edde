#include "model/yaml_tree.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace istio_lint::model::yaml {

// ---------------------------------------------------------------------------------------------
// Document storage
//
// A document's block is recycled through a small per-thread cache: the loader parses a file,
// decodes its documents and drops most of them right away, so the next file's documents reuse the
// same blocks instead of growing the heap. Blocks are sized in powers of two from 1 KiB; larger
// ones bypass the cache.

namespace {

constexpr int kMinClassShift = 10;                  // 1 KiB
constexpr int kCachedClasses = 9;                   // up to 256 KiB
constexpr uint8_t kUncached = 255;
constexpr size_t kCacheBytes = size_t{4} << 20;     // per thread

struct BlockCache {
  std::vector<char*> free[kCachedClasses];
  size_t bytes = 0;
  ~BlockCache();
};

thread_local bool t_cache_gone = false;  // trivially destructible: readable during thread exit
thread_local BlockCache t_cache;

BlockCache::~BlockCache() {
  for (auto& list : free) {
    for (char* p : list) delete[] p;
  }
  t_cache_gone = true;
}

char* allocateBlock(size_t bytes, uint8_t& cls) {
  int c = 0;
  while (c < kCachedClasses && (size_t{1} << (kMinClassShift + c)) < bytes) ++c;
  if (c == kCachedClasses) {
    cls = kUncached;
    return new char[bytes];
  }
  cls = static_cast<uint8_t>(c);
  if (!t_cache_gone && !t_cache.free[c].empty()) {
    char* p = t_cache.free[c].back();
    t_cache.free[c].pop_back();
    t_cache.bytes -= size_t{1} << (kMinClassShift + c);
    return p;
  }
  return new char[size_t{1} << (kMinClassShift + c)];
}

void releaseBlock(char* p, uint8_t cls) {
  if (p == nullptr) return;
  if (cls != kUncached && !t_cache_gone) {
    size_t size = size_t{1} << (kMinClassShift + cls);
    if (t_cache.bytes + size <= kCacheBytes) {
      t_cache.free[cls].push_back(p);
      t_cache.bytes += size;
      return;
    }
  }
  delete[] p;
}

}  // namespace

Document::Document() = default;
Document::~Document() { releaseBlock(storage_, storage_class_); }

char* Document::allocate(size_t bytes) {
  storage_ = allocateBlock(bytes, storage_class_);
  return storage_;
}

// ---------------------------------------------------------------------------------------------
// Node

namespace {

bool equalsAny(std::string_view s, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), s) != options.end();
}

/// True when `key` is the snake_case spelling of the camelCase `camel` (serviceAccount ->
/// service_account), compared in place.
bool isSnakeCaseOf(std::string_view key, std::string_view camel) {
  size_t j = 0;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      if (j + 2 > key.size() || key[j] != '_' || key[j + 1] != static_cast<char>(c - 'A' + 'a')) return false;
      j += 2;
    } else {
      if (j >= key.size() || key[j] != c) return false;
      ++j;
    }
  }
  return j == key.size();
}

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
    for (uint32_t i = 0; i < size; ++i) {
      const Node& key = items[2 * i];
      if (key.type == NodeType::Scalar && key.text.size() > k.size() && isSnakeCaseOf(key.text, k))
        return &items[2 * i + 1];
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

}  // namespace istio_lint::model::yaml
