#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/resources/workload_entry.h"

namespace istio_lint::model::decode {

WorkloadEntrySpec readWorkloadEntrySpec(Reader& r, const Node& n, bool in_template) {
  WorkloadEntrySpec we;
  r.known(n, {"address", "ports", "labels", "network", "locality", "weight", "serviceAccount"});
  we.address = r.strOr(n, "address");
  we.network = r.strOr(n, "network");
  we.locality = r.strOr(n, "locality");
  we.service_account = r.strOr(n, "serviceAccount");
  if (auto l = r.labels(n, "labels")) we.labels = std::move(*l);
  if (auto w = r.integer(n, "weight")) {
    if (*w < 0 || *w > 0xffffffffLL) {
      auto g = r.field("weight");
      r.issue(*n.get("weight"), "weight must be between 0 and 4294967295");
    } else {
      we.weight = static_cast<uint32_t>(*w);
    }
  }
  we.ports_span = r.span(n.get("ports"));
  r.entries(n, "ports", [&](std::string_view name, const Node& v) {
    if (!isDns1123Label(name)) {
      r.issue(v, "invalid port name: " + std::string(name) +
                     " (use lower-case letters, digits and '-', at most 63 characters)");
    }
    auto num = v.asInt();
    if (!num) {
      r.issue(v, "expected a port number, got \"" + v.str() + "\"");
    } else if (*num < 1 || *num > 65535) {
      r.issue(v, "port number " + std::to_string(*num) + " must be in the range 1..65535");
    } else {
      we.ports.emplace(std::string(name), static_cast<uint32_t>(*num));
    }
  });

  if (in_template) return we;
  const std::string& addr = we.address.value;
  if (addr.empty()) {
    if (we.network.empty()) {
      r.issue(n, "address is required");
    } else {
      r.issue(n, "address is unset with network \"" + we.network.value +
                     "\": the workload is only reachable through its network's gateway", true);
    }
  } else if (addr.starts_with("unix://")) {
    if (!we.ports.empty()) {
      auto g = r.field("ports");
      r.issue(*n.get("ports"), "unix endpoint " + addr + " must not include ports");
    }
  } else if (!isIpAddress(addr) && !isFqdn(addr)) {
    auto g = r.field("address");
    r.issue(*n.get("address"), "endpoint address \"" + addr + "\" is not a valid FQDN or an IP address");
  }
  return we;
}

ResourcePtr decodeWorkloadEntry(Reader& r, const Node& spec) {
  auto we = std::make_unique<WorkloadEntry>();
  we->spec = readWorkloadEntrySpec(r, spec, false);
  return we;
}

}  // namespace istio_lint::model::decode
