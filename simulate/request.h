#pragma once

// One request entering a proxy, and the decision the proxy takes for it. A Request only views
// strings owned by the caller; a Decision only points into the routing model. Neither allocates.

#include <cstdint>
#include <string_view>

namespace istio_lint::simulate {

struct Cluster;
struct FilterChain;
struct Listener;
struct Route;
class RouteConfig;
struct VirtualHost;
struct WeightedCluster;

enum class Protocol : uint8_t { Http, Tcp };
enum class TlsMode : uint8_t { Plaintext, Tls, Mtls };  // what the client speaks on the wire

struct Header {
  std::string_view name, value;  // names lower-case
};

struct Request {
  std::string_view host;      // :authority (HTTP)
  std::string_view sni;       // TLS server name; empty: none
  std::string_view address;   // destination IP; empty: resolved from the host
  uint32_t port = 0;
  Protocol protocol = Protocol::Http;
  TlsMode tls = TlsMode::Plaintext;
  std::string_view path = "/";
  std::string_view method = "GET";
  const Header* headers = nullptr;
  uint32_t header_count = 0;
  /// Picks among weighted clusters (Envoy: random % total weight). Absent: the split is reported.
  bool has_random = false;
  uint64_t random = 0;
  /// Where the request comes from (for sourceLabels / sourceNamespace); set by the proxy.

  std::string_view header(std::string_view name) const;
  bool hasHeader(std::string_view name) const;
};

/// Error names of pilot's simulation harness, with the Envoy outcome they stand for.
enum class Error : uint8_t {
  None,
  NoListener,             // connection refused: no listener on the port
  NoFilterChain,          // connection closed: no filter chain matched
  MultipleFilterChain,    // ambiguous filter chains (istiod bug cases)
  TlsError,               // plaintext sent to a TLS-terminating chain
  MtlsError,              // chain needs Istio mTLS, call is not (or vice versa)
  ProtocolError,          // TLS or TCP bytes into a plaintext HTTP chain
  NoVirtualHost,          // 404 NR
  TlsRedirect,            // 301 to https (httpsRedirect)
  NoRoute,                // 404 NR
};
std::string_view errorName(Error e);       // "ErrNoRoute"
std::string_view errorEnvoyName(Error e);  // "404 NR"

struct Decision {
  const Listener* listener = nullptr;
  const FilterChain* chain = nullptr;
  const RouteConfig* route_config = nullptr;
  const VirtualHost* virtual_host = nullptr;
  const Route* route = nullptr;
  /// The cluster; null when the route has a redirect / direct response, or a weighted split
  /// without a random value (then `split` / `split_count` list the choices).
  const Cluster* cluster = nullptr;
  const WeightedCluster* split = nullptr;
  uint32_t split_count = 0;
  Error error = Error::None;
  /// A fault abort fires for this request (status in the route's fault).
  bool fault_abort = false;
};

}  // namespace istio_lint::simulate
