#pragma once

// Typed networking.istio.io resources (v1alpha3, v1beta1 and v1 share one model).

#include <cstdint>
#include <optional>

#include "model/resources/boxed.h"
#include "model/resources/resource.h"

namespace istio_lint::model {

struct PortRef {
  std::optional<uint32_t> number;
  Span span;
};

struct Destination {
  Str host;
  Str subset;
  PortRef port;
  Span span;
};

struct HeaderOps {
  std::map<std::string, std::string> set, add;
  std::vector<std::string> remove;
};

struct RouteDestination {
  Destination destination;
  std::optional<int64_t> weight;
  Boxed<HeaderOps> request_headers, response_headers;  // destination-level `headers`, when given
  Span span;
};

struct StringMatch {
  enum class Type : uint8_t { Any, Exact, Prefix, Regex };
  Type type = Type::Any;
  std::string value;
  Span span;
};

struct HttpMatch {
  Str name;
  StringMatch uri, scheme, method, authority;
  std::map<std::string, StringMatch> headers, without_headers, query_params;
  std::optional<uint32_t> port;
  Labels source_labels;
  std::vector<Str> gateways;
  Str source_namespace;
  bool ignore_uri_case = false;
  std::string stat_prefix;
  Span span;
};

struct HttpRedirect {
  std::string uri, authority, scheme;
  std::optional<uint32_t> port;
  std::string derive_port;  // FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT; empty when not given
  uint32_t code = 301;
  Span span;
};

struct HttpRewrite {
  std::string uri, authority;
  std::string regex_match, regex_rewrite;
  Span span;
  Span regex_match_span;  // uriRegexRewrite.match
};

struct DirectResponse {
  uint32_t status = 0;
  std::string body;
  Span span;
};

/// `fault` of an HTTP route: an abort (HTTP or gRPC status) and/or a fixed delay, each applied to
/// a percentage of requests (100 when not given).
struct HttpFault {
  std::optional<uint32_t> abort_http_status;
  std::string abort_grpc_status;
  double abort_percent = 100;
  std::string delay;  // fixedDelay as written, e.g. "5s"
  double delay_percent = 100;
  Span span;
};

/// `timeout` and `retries` of an HTTP route, as written (durations stay strings; model/duration.h
/// reads them).
struct HttpTiming {
  Str timeout;
  bool has_retries = false;
  std::optional<int64_t> retry_attempts;
  Str per_try_timeout;
  Str retry_on;  // "5xx,connect-failure"
  Span retries_span;
};

struct HttpRoute {
  Str name;
  std::vector<HttpMatch> match;
  std::vector<RouteDestination> route;
  // The rarely given parts are boxed: a route is then ~300 bytes instead of ~1.1 KB.
  Boxed<HttpRedirect> redirect;
  Boxed<HttpRewrite> rewrite;
  Boxed<DirectResponse> direct_response;
  Boxed<Destination> mirror;
  std::vector<Destination> mirrors;
  Str delegate_name, delegate_namespace;
  Boxed<HeaderOps> request_headers, response_headers;  // `headers`, when given
  std::optional<double> fault_delay_percent;  // deprecated `fault.delay.percent`
  Span fault_delay_percent_span;
  bool has_fault = false;
  Boxed<HttpFault> fault;
  Boxed<HttpTiming> timing;  // when `timeout` or `retries` is given
  double mirror_percent = 100;  // mirrorPercentage.value (or the deprecated mirrorPercent)
  Span span;
};

struct L4Match {
  std::vector<Str> sni_hosts;  // TLS routes only
  std::vector<std::string> destination_subnets;
  std::string source_subnet;  // TCP routes only (deprecated)
  std::optional<uint32_t> port;
  Labels source_labels;
  std::vector<Str> gateways;
  Str source_namespace;
  Span span;
};

struct L4Route {
  std::vector<L4Match> match;
  std::vector<RouteDestination> route;
  Span span;
};

struct VirtualService : Resource {
  std::vector<Str> hosts;
  std::vector<Str> gateways;
  std::vector<HttpRoute> http;
  std::vector<L4Route> tls;
  std::vector<L4Route> tcp;
  std::vector<Str> export_to;
  Span hosts_span, gateways_span;
};

struct ServerTls {
  Str mode;  // SIMPLE, MUTUAL, PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL
  Str credential_name;
  std::vector<Str> credential_names;
  Str server_certificate, private_key, ca_certificates;
  bool https_redirect = false;
  std::vector<Str> subject_alt_names;
  Span span;
};

struct GatewayServer {
  uint32_t port = 0;
  Str port_name, protocol;
  std::optional<uint32_t> target_port;
  Span port_span;
  std::vector<Str> hosts;
  std::optional<ServerTls> tls;
  Str bind, name;
  Span span;
};

struct Gateway : Resource {
  Labels selector;
  Span selector_span;
  std::vector<GatewayServer> servers;
};

struct ClientTls {
  Str mode;  // DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL
  Str credential_name, ca_certificates, sni;
  std::vector<Str> subject_alt_names;
  Span span;
};

struct TrafficPolicy {
  std::optional<ClientTls> tls;
  struct PortLevel {
    PortRef port;
    std::optional<ClientTls> tls;
    Span span;
  };
  std::vector<PortLevel> port_level;
  Span span;
};

struct Subset {
  Str name;
  Labels labels;
  Boxed<TrafficPolicy> traffic_policy;
  Span span;
};

struct DestinationRule : Resource {
  Str host;
  std::optional<TrafficPolicy> traffic_policy;
  std::vector<Subset> subsets;
  std::vector<Str> export_to;
  std::optional<Labels> workload_selector;
};

struct ServicePort {
  uint32_t number = 0;
  Str name, protocol;
  std::optional<uint32_t> target_port;
  Span span;
};

struct ServiceEntry : Resource {
  std::vector<Str> hosts;
  std::vector<Str> addresses;
  std::vector<ServicePort> ports;
  Str location;    // MESH_EXTERNAL (default) or MESH_INTERNAL
  Str resolution;  // NONE (default), STATIC, DNS, DNS_ROUND_ROBIN
  std::vector<Str> export_to;
  std::optional<Labels> workload_selector;
  size_t endpoint_count = 0;
  std::vector<std::string> endpoint_addresses;  // spec.endpoints[].address
  bool has_status_addresses = false;
};

struct Sidecar : Resource {
  std::optional<Labels> workload_selector;
  Span selector_span;
  struct Egress {
    std::optional<uint32_t> port;
    std::vector<Str> hosts;  // "ns/host"
    Span span;
  };
  std::vector<Egress> egress;
  /// spec.ingress: the ports the workload accepts traffic on (replacing the Services' ports).
  struct Ingress {
    uint32_t port = 0;
    Str port_name, protocol;
    Str bind;              // empty: the pod IP
    Str capture_mode;      // DEFAULT, IPTABLES, NONE
    Str default_endpoint;  // 127.0.0.1:PORT, 0.0.0.0:PORT or unix://...
    std::optional<ServerTls> tls;
    Span span;
  };
  std::vector<Ingress> ingress;
  Str outbound_traffic_policy;  // REGISTRY_ONLY / ALLOW_ANY
  bool has_egress_proxy = false;
  Span egress_proxy_span;  // the deprecated outboundTrafficPolicy.egressProxy
};

}  // namespace istio_lint::model
