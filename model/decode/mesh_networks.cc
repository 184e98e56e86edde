#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/mesh_networks.h"

namespace istio_lint::model::decode {

ResourcePtr decodeMeshNetworks(Reader& r, const Node& root) {
  auto mn = std::make_unique<MeshNetworks>();
  r.known(root, {"networks"});
  r.entries(root, "networks", [&](std::string_view name, const Node& n) {
    MeshNetwork net;
    net.name = Str{std::string(name), r.span(n)};
    if (!r.requireMap(n)) return;
    r.known(n, {"endpoints", "gateways"});
    r.each(n, "endpoints", [&](const Node& e) {
      if (!e.isMap()) return;
      r.known(e, {"fromRegistry", "fromCidr"});
      net.endpoints.push_back({r.strOr(e, "fromRegistry"), r.strOr(e, "fromCidr"), r.span(e)});
    });
    r.each(n, "gateways", [&](const Node& g) {
      if (!g.isMap()) return;
      r.known(g, {"registryServiceName", "address", "port", "locality"});
      MeshNetwork::NetworkGateway gw;
      gw.registry_service_name = r.strOr(g, "registryServiceName");
      gw.address = r.strOr(g, "address");
      gw.port = r.port(g, "port").value_or(0);
      gw.span = r.span(g);
      net.gateways.push_back(std::move(gw));
    });
    mn->networks.push_back(std::move(net));
  });
  return mn;
}

}  // namespace istio_lint::model::decode
