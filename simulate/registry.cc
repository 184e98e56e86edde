#include "simulate/registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace istio_lint::simulate {
namespace {

std::string lowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::vector<std::string> exportList(const std::vector<std::string>& raw, const std::string& ns) {
  std::vector<std::string> out;
  for (const std::string& e : raw) out.push_back(e == "." ? ns : e);
  if (out.empty()) out.push_back("*");
  return out;
}

}  // namespace

PortProtocol portProtocol(std::string_view protocol, std::string_view port_name, std::string_view app_protocol) {
  auto classify = [](std::string_view p) -> std::optional<PortProtocol> {
    std::string l = lowerCopy(p);
    if (l == "http") return PortProtocol::Http;
    if (l == "http2" || l == "h2c") return PortProtocol::Http2;
    if (l == "grpc" || l == "grpc-web") return PortProtocol::Grpc;
    if (l == "https") return PortProtocol::Https;
    if (l == "tls") return PortProtocol::Tls;
    if (l == "tcp" || l == "mongo" || l == "mysql" || l == "redis") return PortProtocol::Tcp;
    return std::nullopt;
  };
  if (!app_protocol.empty()) {
    if (auto p = classify(app_protocol)) return *p;
  }
  if (!protocol.empty() && lowerCopy(protocol) != "tcp") {
    if (auto p = classify(protocol)) return *p;
  }
  // Kubernetes Services: protocol TCP is the default; the port name decides (`http-foo`).
  std::string_view prefix = port_name.substr(0, port_name.find('-'));
  if (auto p = classify(prefix)) return *p;
  if (!protocol.empty() && lowerCopy(protocol) == "tcp" && protocol != "TCP") return PortProtocol::Tcp;
  return PortProtocol::Auto;
}

PortProtocol parseIstioProtocol(std::string_view protocol) {
  std::string p = lowerCopy(protocol);
  if (p == "http" || p == "http_proxy") return PortProtocol::Http;
  if (p == "http2") return PortProtocol::Http2;
  if (p == "grpc" || p == "grpc-web") return PortProtocol::Grpc;
  if (p == "https") return PortProtocol::Https;
  if (p == "tls") return PortProtocol::Tls;
  if (p == "tcp" || p == "udp" || p == "mongo" || p == "redis" || p == "mysql") return PortProtocol::Tcp;
  return PortProtocol::Auto;
}

bool isHttpFamily(PortProtocol p) {
  return p == PortProtocol::Http || p == PortProtocol::Http2 || p == PortProtocol::Grpc;
}

const ServicePortInfo* ServiceInfo::port(uint32_t number) const {
  for (const ServicePortInfo& p : ports) {
    if (p.number == number) return &p;
  }
  return nullptr;
}

bool ServiceInfo::visibleTo(std::string_view proxy_ns) const {
  for (const std::string& e : export_to) {
    if (e == "*" || e == proxy_ns) return true;
  }
  return false;
}

std::string resolveHost(std::string_view host, std::string_view ns, std::string_view domain) {
  if (host.empty() || host == "*" || host.find('.') != std::string_view::npos) return std::string(host);
  if (host.find_first_not_of("0123456789.:") == std::string_view::npos) return std::string(host);
  std::string out(host);
  out += '.';
  out += ns;
  if (!domain.empty()) {
    out += ".svc.";
    out += domain;
  }
  return out;
}

Registry::Registry(const model::MeshGraph& g) {
  for (const model::Resource* r : g.ofKind(model::Kind::Service)) {
    const auto& svc = static_cast<const model::Service&>(*r);
    ServiceInfo s;
    s.host = svc.name() + "." + svc.ns() + ".svc." + g.domainSuffix();
    s.ns = svc.ns();
    s.resource = r;
    s.kube = true;
    for (const auto& p : svc.ports) {
      ServicePortInfo pi;
      pi.number = p.port;
      pi.name = p.name.value;
      // A Kubernetes port's protocol field is the transport (TCP/UDP); the name or appProtocol
      // carries the application protocol.
      pi.protocol = portProtocol({}, p.name.value, p.app_protocol.value);
      pi.target_port = parsePort(p.target_port);
      pi.origin = r;
      pi.span = p.span;
      s.ports.push_back(std::move(pi));
    }
    if (!svc.cluster_ip.empty() && svc.cluster_ip != "None") s.addresses.push_back(svc.cluster_ip);
    std::vector<std::string> raw;
    if (const model::Str* a = r->annotation("networking.istio.io/exportTo")) {
      size_t start = 0;
      while (start <= a->value.size()) {
        size_t comma = a->value.find(',', start);
        std::string item = a->value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) raw.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    s.export_to = exportList(raw, s.ns);
    s.resolution = svc.type.value == "ExternalName" ? "DNS" : "EDS";
    if (svc.type.value == "ExternalName" && !svc.external_name.empty()) {
      s.alias_for = lowerCopy(svc.external_name);
      if (s.alias_for.back() == '.') s.alias_for.pop_back();
    }
    services_.push_back(std::move(s));
  }
  // ServiceEntries with the same host in the same namespace (and the same resolution and
  // exportTo) are one service whose ports are the union, the first entry's port winning a
  // number both declare, as istiod merges them into a proxy's scope (appendSidecarServices).
  std::unordered_map<std::string, size_t> by_ns_host;
  std::vector<std::string> alloc_keys;
  for (const model::Resource* r : g.ofKind(model::Kind::ServiceEntry)) {
    const auto& se = static_cast<const model::ServiceEntry&>(*r);
    std::vector<std::string> raw;
    for (const model::Str& e : se.export_to) raw.push_back(e.value);
    for (const model::Str& h : se.hosts) {
      ServiceInfo s;
      s.host = h.value;
      s.ns = se.ns();
      s.resource = r;
      for (const auto& p : se.ports) {
        ServicePortInfo pi;
        pi.number = p.number;
        pi.name = p.name.value;
        pi.protocol = parseIstioProtocol(p.protocol.value);  // a ServiceEntry port's name does not count
        pi.target_port = p.target_port.value_or(0);
        pi.origin = r;
        pi.span = p.span;
        s.ports.push_back(std::move(pi));
      }
      for (const model::Str& a : se.addresses) s.addresses.push_back(a.value);
      s.export_to = exportList(raw, s.ns);
      s.mesh_external = se.location.value != "MESH_INTERNAL";
      s.resolution = se.resolution.empty() ? "NONE" : se.resolution.value;
      if (s.addresses.empty() && !s.host.empty() && s.host[0] != '*' && s.resolution != "NONE") {
        alloc_keys.push_back(s.ns + "/" + s.host);  // before merging: every entry takes a slot
      }
      auto [it, fresh] = by_ns_host.emplace(s.ns + "/" + s.host, services_.size());
      if (!fresh) {
        ServiceInfo& first = services_[it->second];
        if (first.resolution == s.resolution && first.export_to == s.export_to) {
          for (ServicePortInfo& p : s.ports) {
            if (first.port(p.number) == nullptr) first.ports.push_back(std::move(p));
          }
          continue;
        }
      }
      services_.push_back(std::move(s));
    }
  }
  resolveAliases();
  allocateAddresses(alloc_keys);
  for (const ServiceInfo& s : services_) by_host_[s.host].push_back(&s);
}

// istiod's legacy ServiceEntry address allocation (serviceentry controller autoAllocateIPs,
// PILOT_ENABLE_IP_AUTOALLOCATE off): every host without addresses, not a wildcard and not
// resolution NONE, hashed by FNV-1a of "namespace/host" into 256*254 slots (double hashing on
// collisions; every entry takes a slot, also several for one host), then numbered in slot order
// as 240.240.x.y skipping y = 0; one key, one address (the first slot's).
void Registry::allocateAddresses(const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  constexpr uint32_t kMaxIps = 256 * 254;
  constexpr uint32_t kPrime = 65011;
  std::vector<const std::string*> slots(kMaxIps, nullptr);
  for (const std::string& key : keys) {
    uint32_t h = 2166136261u;
    for (unsigned char c : key) {
      h ^= c;
      h *= 16777619u;
    }
    uint32_t slot = h % kMaxIps;
    if (slots[slot] != nullptr) {
      uint32_t second = kPrime - (h % kPrime);
      for (uint32_t i = 1;; ++i) {
        slot = (h + i * second) % (kMaxIps - 1);
        if (slots[slot] == nullptr) break;
      }
    }
    slots[slot] = &key;
  }
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> by_key;
  uint32_t x = 0;
  for (const std::string* key : slots) {
    ++x;
    if (key == nullptr) continue;
    if (x % 255 == 0) ++x;
    by_key.emplace(*key, std::pair<uint32_t, uint32_t>{x / 255, x % 255});
  }
  for (ServiceInfo& s : services_) {
    if (s.kube || !s.addresses.empty()) continue;
    auto it = by_key.find(s.ns + "/" + s.host);
    if (it == by_key.end()) continue;
    auto [a, b] = it->second;
    s.auto_address = "240.240." + std::to_string(a) + "." + std::to_string(b);
    char v6[40];
    if (a == 0) {
      std::snprintf(v6, sizeof v6, "2001:2::f0f0:%x", b);
    } else {
      std::snprintf(v6, sizeof v6, "2001:2::f0f0:%x%x", a, b);
    }
    s.auto_address_v6 = v6;
  }
}

// istiod's resolveServiceAliases: each alias is followed through other aliases to a concrete
// host (a loop resolves to nothing, as DNS answers NXDOMAIN); every service of that host lists it.
void Registry::resolveAliases() {
  std::unordered_map<std::string, std::string> raw;  // alias host -> named host (namespaces ignored)
  for (const ServiceInfo& s : services_) {
    if (s.isAlias()) raw[s.host] = s.alias_for;
  }
  if (raw.empty()) return;
  std::unordered_map<std::string, std::vector<ServiceInfo::Alias>> by_concrete;
  for (const ServiceInfo& s : services_) {
    if (!s.isAlias()) continue;
    std::string target = s.alias_for;
    std::set<std::string> seen{s.host, target};
    bool loop = false;
    for (auto it = raw.find(target); it != raw.end(); it = raw.find(target)) {
      target = it->second;
      if (!seen.insert(target).second) {
        loop = true;
        break;
      }
    }
    if (!loop) by_concrete[target].push_back({s.ns, s.host});
  }
  for (ServiceInfo& s : services_) {
    auto it = by_concrete.find(s.host);
    if (it == by_concrete.end() || s.isAlias()) continue;
    s.aliases = it->second;
    std::sort(s.aliases.begin(), s.aliases.end(), [](const auto& a, const auto& b) {
      return a.ns != b.ns ? a.ns < b.ns : a.host < b.host;
    });
  }
}

const std::vector<const ServiceInfo*>* Registry::byHost(std::string_view host) const {
  auto it = by_host_.find(host);
  return it == by_host_.end() ? nullptr : &it->second;
}

const ServiceInfo* Registry::lookup(std::string_view host, std::string_view ns) const {
  const auto* list = byHost(host);
  if (list == nullptr) return nullptr;
  const ServiceInfo* best = nullptr;
  for (const ServiceInfo* s : *list) {
    if (!s->visibleTo(ns)) continue;
    if (s->ns == ns) return s;
    if (best == nullptr || (s->kube && !best->kube)) best = s;
  }
  return best;
}

uint32_t parsePort(std::string_view s) {
  if (s.empty() || s.size() > 5) return 0;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  return v <= 65535 ? v : 0;
}

uint32_t endpointPort(const model::Resource* service, uint32_t port, const model::Workload* w) {
  if (service == nullptr || service->kind != model::Kind::Service) return port;
  for (const model::KubeServicePort& sp : static_cast<const model::Service&>(*service).ports) {
    if (uint32_t t = targetPort(sp, w); sp.port == port && t != 0) return t;
  }
  return port;
}

uint32_t targetPort(const model::KubeServicePort& sp, const model::Workload* w) {
  if (sp.target_port.empty()) return sp.port;
  if (uint32_t n = parsePort(sp.target_port)) return n;
  if (w == nullptr) return 0;
  for (const model::Container& c : w->containers) {
    for (const auto& [name, number] : c.named_ports) {
      if (name == sp.target_port) return number;
    }
  }
  return 0;
}

}  // namespace istio_lint::simulate
