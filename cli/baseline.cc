#include "cli/baseline.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/finding_key.h"
#include "cli/json_text.h"

namespace istio_lint::cli {
namespace {

constexpr const char* kVersionKey = "istioLintBaseline";

}  // namespace

std::optional<Baseline> readBaseline(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read baseline " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains(kVersionKey) || !j.contains("findings") ||
      !j["findings"].is_array()) {
    error = "baseline " + path + " is not an istio-lint baseline (write one with --write-baseline)";
    return std::nullopt;
  }
  if (j[kVersionKey] != 1) {
    error = "baseline " + path + " has version " + j[kVersionKey].dump() + "; this istio-lint reads version 1";
    return std::nullopt;
  }
  Baseline b;
  size_t index = 0;
  for (const nlohmann::json& f : j["findings"]) {
    auto str = [&](const char* k) { return f.contains(k) && f[k].is_string() ? f[k].get<std::string>() : std::string(); };
    if (!f.is_object() || str("code").empty()) {
      error = "baseline " + path + ": findings[" + std::to_string(index) + "] has no code";
      return std::nullopt;
    }
    size_t count = f.contains("count") && f["count"].is_number_unsigned() ? f["count"].get<size_t>() : 1;
    b.counts[findingKey(str("code"), str("subject"), str("analyzer"), normalizeMessage(str("message")))] += count;
    ++index;
  }
  return b;
}

bool writeBaseline(const std::string& path, const std::vector<rules::Finding>& findings,
                   const model::FileTable& files, std::string& error) {
  struct Entry {
    std::string code, subject, analyzer, message;
    size_t count = 0;
  };
  std::map<std::string, Entry> entries;
  for (const rules::Finding& f : findings) {
    std::string subject = findingSubject(f, files);
    std::string message = normalizeMessage(f.message);
    std::string code(f.type().code);
    Entry& e = entries[findingKey(code, subject, f.analyzer, message)];
    e = {code, subject, f.analyzer, message, e.count + 1};
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, e] : entries) {
    list.push_back({{"code", e.code}, {"subject", e.subject}, {"analyzer", e.analyzer}, {"message", e.message},
                    {"count", e.count}});
  }
  nlohmann::json doc = {{kVersionKey, 1}, {"findings", std::move(list)}};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << jsonText(doc, 2) << "\n";
  out.close();
  if (!out) {
    error = "cannot write baseline " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

size_t applyBaseline(std::vector<rules::Finding>& findings, const Baseline& baseline, const model::FileTable& files) {
  std::map<std::string, size_t> left = baseline.counts;
  size_t dropped = 0;
  std::erase_if(findings, [&](const rules::Finding& f) {
    auto it = left.find(findingKey(f, files));
    if (it == left.end() || it->second == 0) return false;
    --it->second;
    ++dropped;
    return true;
  });
  return dropped;
}

}  // namespace istio_lint::cli
