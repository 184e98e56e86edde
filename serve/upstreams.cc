#include "serve/upstreams.h"

#include <arpa/inet.h>

#include "model/ascii.h"
#include "model/json_string.h"
#include "model/port_number.h"
#include "model/resources/resource.h"

namespace istio_lint::serve {

using model::appendJsonString;

bool UpstreamMap::add(std::string_view spec, std::string& error) {
  const size_t eq = spec.rfind('=');
  if (eq == std::string_view::npos || eq == 0) {
    error = "--upstream \"" + std::string(spec) + "\": expected CLUSTER=127.0.0.1:PORT";
    return false;
  }
  std::string_view name = spec.substr(0, eq), addr = spec.substr(eq + 1);
  const size_t colon = addr.rfind(':');
  std::string_view host = colon == std::string_view::npos ? std::string_view{} : addr.substr(0, colon);
  std::string_view port_text = colon == std::string_view::npos ? addr : addr.substr(colon + 1);
  const std::optional<uint32_t> port = model::parsePortNumber(port_text);
  if (colon == std::string_view::npos || !port) {
    error = "--upstream \"" + std::string(spec) + "\": \"" + std::string(addr) + "\" is not HOST:PORT (127.0.0.1:8080)";
    return false;
  }
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(*port));
  const std::string h = host == "localhost" ? "127.0.0.1" : std::string(host);
  if (inet_pton(AF_INET, h.c_str(), &sa.sin_addr) != 1 || (ntohl(sa.sin_addr.s_addr) >> 24) != 127) {
    error = "--upstream \"" + std::string(spec) + "\": serve only connects to loopback addresses (127.0.0.1), not \"" +
            std::string(host) + "\"";
    return false;
  }
  if (name == "*") {
    any_ = sa;
  } else if (name.find('|') != std::string_view::npos) {
    by_cluster_[std::string(name)] = sa;
  } else {
    by_host_[model::asciiLower(name)] = sa;
  }
  return true;
}

std::optional<sockaddr_in> UpstreamMap::find(const simulate::Cluster& c) const {
  if (auto it = by_cluster_.find(c.name); it != by_cluster_.end()) return it->second;
  if (!c.host.empty()) {
    if (auto it = by_host_.find(c.host); it != by_host_.end()) return it->second;
  }
  return any_;
}

std::string builtinResponseBody(const simulate::Cluster& c, std::string_view method, std::string_view target,
                                const HeaderList& headers) {
  std::string out = "{\"cluster\":";
  appendJsonString(out, c.name);
  out += ",\"host\":";
  appendJsonString(out, c.host);
  out += ",\"port\":" + std::to_string(c.port) + ",\"subset\":";
  appendJsonString(out, c.subset);
  out += ",\"endpoints\":[";
  for (size_t i = 0; i < c.endpoints.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, c.endpoints[i]->qualifiedName());
  }
  out += "],\"request\":{\"method\":";
  appendJsonString(out, method);
  out += ",\"path\":";
  appendJsonString(out, target);
  out += ",\"headers\":{";
  bool first = true;
  for (const auto& [k, v] : headers) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, k);
    out += ':';
    appendJsonString(out, v);
  }
  out += "}}}\n";
  return out;
}

}  // namespace istio_lint::serve
