#include "cli/traffic_tests.h"

#include "model/yaml_tree.h"

namespace istio_lint::cli {

using nlohmann::json;

namespace {

/// A YAML node as JSON: plain scalars that YAML resolves to numbers, booleans or null as such.
json yamlToJson(const model::yaml::Node& n) {
  if (n.isNull()) return nullptr;
  if (n.isScalar()) {
    if (!n.isString()) {
      if (std::optional<int64_t> i = n.asInt()) return *i >= 0 ? json(static_cast<uint64_t>(*i)) : json(*i);
      if (std::optional<bool> b = n.asBool()) return *b;
      if (std::optional<double> d = n.asDouble()) return *d;
    }
    return n.str();
  }
  if (n.isSeq()) {
    json a = json::array();
    for (uint32_t i = 0; i < n.size; ++i) a.push_back(yamlToJson(n.at(i)));
    return a;
  }
  json o = json::object();
  for (uint32_t i = 0; i < n.size; ++i) o[n.key(i).str()] = yamlToJson(n.value(i));
  return o;
}

/// Renames router_check's spellings to a record's; false when both spellings are given.
bool renameKey(json& obj, const char* from, const char* to) {
  auto it = obj.find(from);
  if (it == obj.end()) return true;
  if (obj.contains(to)) return false;
  obj[to] = *it;
  obj.erase(from);
  return true;
}

TrafficLine oneTest(const model::yaml::Node& test, const RequestFields& defaults) {
  if (!test.isMap()) return trafficError(test.col, "a test is a mapping of name, input and expect");
  json input = json::object(), expect;
  std::string name;
  for (uint32_t i = 0; i < test.size; ++i) {
    const std::string k = test.key(i).str();
    const model::yaml::Node& v = test.value(i);
    if (k == "name" || k == "test_name") {
      name = v.str();
    } else if (k == "input") {
      if (!v.isMap()) return trafficError(v.col, "\"input\" must be a mapping of the request's fields");
      input = yamlToJson(v);
    } else if (k == "expect" || k == "validate") {
      if (!v.isMap()) return trafficError(v.col, "\"" + k + "\" must be a mapping");
      expect = yamlToJson(v);
    } else {
      return trafficError(test.key(i).col, unknownFieldMessage("test field", k, {"expect", "input", "name"}));
    }
  }
  if (!renameKey(input, "authority", "host")) return trafficError(test.col, "give one of \"authority\" and \"host\"");
  if (expect.is_object()) {
    for (auto [from, to] : {std::pair{"cluster_name", "cluster"}, {"virtual_host_name", "virtual_host"},
                            {"vhost", "virtual_host"}, {"route_name", "route"}}) {
      if (!renameKey(expect, from, to)) return trafficError(test.col, std::string("give one of \"") + from + "\" and \"" + to + "\"");
    }
    input["expect"] = std::move(expect);
  }
  TrafficLine t = parseTrafficRecord(input, defaults);
  t.name = std::move(name);
  if (t.kind == TrafficLine::Kind::Error) t.error.column = test.col;
  return t;
}

}  // namespace

std::vector<std::pair<size_t, TrafficLine>> parseTrafficTests(std::string_view yaml, const RequestFields& defaults) {
  std::vector<std::pair<size_t, TrafficLine>> out;
  model::yaml::ParseResult parsed = model::yaml::parse(yaml, 0);
  for (const model::yaml::ParseProblem& p : parsed.problems) {
    out.emplace_back(p.span.line, trafficError(p.span.col, p.message));
  }
  if (!parsed.problems.empty()) return out;
  for (const model::yaml::DocumentPtr& doc : parsed.documents) {
    const model::yaml::Node* root = doc->root();
    const model::yaml::Node* tests = root != nullptr && root->isMap() ? root->get("tests") : nullptr;
    if (tests == nullptr || !tests->isSeq()) {
      out.emplace_back(root != nullptr ? root->line : 1,
                       trafficError(1, "a YAML traffic file holds `tests:`, a list of {name, input, expect}"));
      continue;
    }
    for (uint32_t i = 0; i < tests->size; ++i) out.emplace_back(tests->at(i).line, oneTest(tests->at(i), defaults));
  }
  return out;
}

}  // namespace istio_lint::cli
