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

enum class Protocol : uint8_t { Http, Http2, Tcp };
enum class TlsMode : uint8_t { Plaintext, Tls, Mtls };  // what the client speaks on the wire

/// The ALPN a TLS client offers (one value, as in pilot's simulation harness). Default: what a
/// client of the request's protocol offers: `http/1.1` / `h2` over TLS, `istio-http/1.1` /
/// `istio-h2` / `istio` over Istio mTLS, none for plaintext.
enum class Alpn : uint8_t {
  Default, None, Http10, Http11, H2c, H2, IstioHttp10, IstioHttp11, IstioH2, Istio, IstioPeerExchange, Other
};
constexpr uint16_t alpnBit(Alpn a) { return static_cast<uint16_t>(1u << static_cast<unsigned>(a)); }
Alpn parseAlpn(std::string_view s);  // "istio-http/1.1" -> IstioHttp11; unknown -> Other; "" -> None
std::string_view alpnName(Alpn a);

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
  /// Inbound: the connection arrives at the sidecar from outside (iptables -> virtualInbound,
  /// 15006) for `port` of the workload, instead of leaving the application (-> 15001).
  bool inbound = false;
  Alpn alpn = Alpn::Default;
  /// TlsMode::Mtls: the certificate set the client's mutual TLS is made with, as an SDS secret
  /// name; empty: Istio's workload certificate ("default"). A chain requires it when it asks for a
  /// client certificate with that same server secret (pilot's harness: MtlsSecretConfigName).
  std::string_view mtls_secret;

  /// The ALPN actually offered: `alpn`, or the default for the protocol and TLS mode.
  Alpn offeredAlpn() const;
  bool isHttp() const { return protocol != Protocol::Tcp; }
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
  MtlsError,              // chain needs Istio mTLS and the call is not, or the other way round
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
