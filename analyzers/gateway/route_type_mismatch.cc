// gateway.RouteTypeMismatchAnalyzer (IL1008): a VirtualService route whose type cannot be used by
// any Gateway server it binds to. Envoy applies `http` routes only on servers that speak HTTP
// (HTTP, HTTP2, GRPC, and HTTPS that terminates TLS), and `tls` routes only on servers that pass
// TLS through (tls.mode PASSTHROUGH); AUTO_PASSTHROUGH servers use no route at all. Such a route
// never matches a request.

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"
#include "model/host.h"
#include "model/host_index.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;
using model::VirtualService;

/// Auto: AUTO_PASSTHROUGH, which forwards by the SNI name istiod encodes and uses no route at all.
enum class Carries { Http, Tls, Tcp, Auto };

/// What a server hands to routes after its listener: HTTP requests, TLS streams matched by SNI,
/// or plain TCP streams.
Carries carries(const model::GatewayServer& s) {
  const std::string p = model::asciiUpper(s.protocol.value);
  const std::string mode = s.tls ? model::asciiUpper(s.tls->mode.value) : "";
  if (mode == "AUTO_PASSTHROUGH") return Carries::Auto;
  const bool passthrough = mode == "PASSTHROUGH";
  if (p == "HTTP" || p == "HTTP2" || p == "GRPC" || p == "GRPC-WEB") return Carries::Http;
  if (p == "HTTPS") return passthrough || !s.tls ? Carries::Tls : Carries::Http;
  if (p == "TLS") return passthrough ? Carries::Tls : Carries::Tcp;
  return Carries::Tcp;
}

std::string describe(const model::GatewayServer& s) {
  std::string out = "port " + std::to_string(s.port) + " " + (s.protocol.empty() ? "?" : s.protocol.value);
  if (s.tls && !s.tls->mode.empty()) out += " " + s.tls->mode.value;
  return out;
}

/// A server's hosts without their ns/ prefixes, indexed so that a concrete VirtualService host
/// finds the server hosts overlapping it without a scan.
struct ServerHosts {
  std::vector<std::string_view> hosts;
  model::HostIndex<bool> index;
};

/// Whether the server serves one of the VirtualService's hosts (ns/ prefixes ignored here:
/// IST0132 reports a host the server does not export to the VirtualService's namespace).
bool servesHost(const ServerHosts& s, const VirtualService& vs) {
  for (const model::Str& vh : vs.hosts) {
    if (model::host::isWildcard(vh.value)) {
      for (std::string_view h : s.hosts) {
        if (model::host::matches(h, vh.value)) return true;
      }
      continue;
    }
    if (s.index.exact(vh.value) != nullptr) return true;
    bool covered = false;
    s.index.forEachWildcardCovering(vh.value, [&](const std::vector<bool>&) {
      covered = true;
      return false;
    });
    if (covered) return true;
  }
  return false;
}

struct Target {
  const Gateway* gateway;
  const model::GatewayServer* server;
};

class RouteTypeMismatchAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.RouteTypeMismatchAnalyzer",
        "Checks that http and tls routes bind to gateway servers that can carry them",
        {Kind::Gateway, Kind::VirtualService},
        {Code::IL1008}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::unordered_map<const model::GatewayServer*, ServerHosts> server_hosts;
    auto hostsOf = [&](const model::GatewayServer& s) -> const ServerHosts& {
      auto [it, fresh] = server_hosts.try_emplace(&s);
      if (fresh) {
        for (const model::Str& sh : s.hosts) {
          std::string_view h = sh.value;
          if (size_t slash = h.find('/'); slash != std::string_view::npos) h = h.substr(slash + 1);
          it->second.hosts.push_back(h);
          it->second.index.add(h, true);
        }
      }
      return it->second;
    };
    for (const VirtualService* vs : g.typed<VirtualService>(Kind::VirtualService)) {
      const std::vector<model::BoundGateway>& bound = g.gatewaysOf(*vs);
      // The servers of the top-level gateways that serve the VirtualService's hosts.
      auto serversOf = [&](const std::vector<model::Str>& match_gateways, std::optional<uint32_t> port) {
        std::vector<Target> out;
        for (const model::BoundGateway& b : bound) {
          if (b.gateway == nullptr) continue;
          bool applies = b.top_level && match_gateways.empty();
          for (const model::Str& m : match_gateways) applies = applies || (b.at != nullptr && m.value == b.at->value);
          if (!applies) continue;
          for (const model::GatewayServer& s : b.gateway->servers) {
            if (port && s.port != *port) continue;
            if (servesHost(hostsOf(s), *vs)) out.push_back({b.gateway, &s});
          }
        }
        return out;
      };
      for (const model::HttpRoute& r : vs->http) {
        std::vector<model::Str> gws;
        std::optional<uint32_t> port;
        bool all_matches_scoped = !r.match.empty();
        for (const model::HttpMatch& m : r.match) {
          all_matches_scoped = all_matches_scoped && !m.gateways.empty();
          gws.insert(gws.end(), m.gateways.begin(), m.gateways.end());
          port = r.match.size() == 1 ? m.port : std::nullopt;
        }
        if (!all_matches_scoped) gws.clear();
        check(ctx, *vs, "http", Carries::Http, r.span, serversOf(gws, port));
      }
      for (const model::L4Route& r : vs->tls) {
        std::vector<model::Str> gws;
        std::optional<uint32_t> port;
        bool all_matches_scoped = !r.match.empty();
        for (const model::L4Match& m : r.match) {
          all_matches_scoped = all_matches_scoped && !m.gateways.empty();
          gws.insert(gws.end(), m.gateways.begin(), m.gateways.end());
          port = r.match.size() == 1 ? m.port : std::nullopt;
        }
        if (!all_matches_scoped) gws.clear();
        check(ctx, *vs, "tls", Carries::Tls, r.span, serversOf(gws, port));
      }
    }
  }

 private:
  static void check(Context& ctx, const VirtualService& vs, const char* type, Carries want, model::Span at,
                    const std::vector<Target>& targets) {
    if (targets.empty()) return;  // no server for these hosts: IST0132's finding
    for (const Target& t : targets) {
      if (carries(*t.server) == want) return;
    }
    std::string servers;
    for (const Target& t : targets) {
      std::string one = t.gateway->qualifiedName() + " " + describe(*t.server);
      if (servers.find(one) == std::string::npos) servers += (servers.empty() ? "" : ", ") + one;
    }
    const bool http = want == Carries::Http;
    const bool all_auto = std::all_of(targets.begin(), targets.end(),
                                      [](const Target& t) { return carries(*t.server) == Carries::Auto; });
    std::string why = all_auto ? "use AUTO_PASSTHROUGH, which forwards by the SNI name istiod encodes "
                                 "(outbound_.<port>_.<subset>_.<host>) and applies no VirtualService route"
                      : http ? "pass TLS through or carry TCP, so no HTTP request is ever decoded there"
                             : "terminate TLS or speak plain HTTP, so no TLS stream is matched by SNI there";
    std::string fix = all_auto ? "Remove the gateway from this VirtualService (cross-network traffic needs no route "
                                 "there), or bind the route to a server with tls.mode SIMPLE or PASSTHROUGH"
                      : http ? "Route it with a `tls` route (match.sniHosts) for PASSTHROUGH, or terminate TLS on the "
                               "server (tls.mode SIMPLE) to route HTTP"
                             : "Use an `http` route for a server that terminates TLS, or bind it to a server with "
                               "tls.mode PASSTHROUGH";
    rules::Finding& f = ctx.report(Code::IL1008, vs, at, type, servers, why, fix);
    for (const Target& t : targets) f.notes.push_back({"server " + describe(*t.server), t.server->span});
  }
};

}  // namespace

AnalyzerPtr makeGatewayRouteTypeMismatchAnalyzer() { return std::make_unique<RouteTypeMismatchAnalyzer>(); }

}  // namespace istio_lint::analyzers
