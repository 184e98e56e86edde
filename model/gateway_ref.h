#pragma once

// How istiod resolves a VirtualService's gateway reference.

#include <string>
#include <string_view>

namespace istio_lint::model {

struct GatewayRef {
  std::string ns, name;
  bool mesh = false;  // the reserved name `mesh`: the sidecars, not a Gateway
  std::string str() const { return ns + "/" + name; }
};

/// `name` and `./name` are in the VirtualService's namespace and `ns/name` is explicit. As in
/// istiod's resolveGatewayName, any other dotted name is the legacy `name.ns[.svc.<domain>]` form
/// and names `ns/name` (the namespace is the second label, whatever follows it).
inline GatewayRef resolveGatewayRef(std::string_view ref, const std::string& vs_ns, std::string_view domain) {
  (void)domain;  // istiod ignores what follows the namespace label
  if (ref == "mesh") return {"", "mesh", true};
  if (size_t slash = ref.find('/'); slash != std::string_view::npos) {
    std::string ns(ref.substr(0, slash));
    return {ns == "." ? vs_ns : ns, std::string(ref.substr(slash + 1))};
  }
  if (size_t dot = ref.find('.'); dot != std::string_view::npos) {
    std::string_view rest = ref.substr(dot + 1);
    return {std::string(rest.substr(0, rest.find('.'))), std::string(ref.substr(0, dot))};
  }
  return {vs_ns, std::string(ref)};
}

}  // namespace istio_lint::model
