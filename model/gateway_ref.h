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

/// `name` and `./name` are in the VirtualService's namespace, `ns/name` is explicit, and the
/// legacy `name.ns.svc.<domain>` form names `ns/name`.
inline GatewayRef resolveGatewayRef(std::string_view ref, const std::string& vs_ns, std::string_view domain) {
  if (ref == "mesh") return {"", "mesh", true};
  if (size_t slash = ref.find('/'); slash != std::string_view::npos) {
    std::string ns(ref.substr(0, slash));
    return {ns == "." ? vs_ns : ns, std::string(ref.substr(slash + 1))};
  }
  std::string suffix = ".svc." + std::string(domain);
  if (ref.ends_with(suffix)) {
    std::string_view rest = ref.substr(0, ref.size() - suffix.size());
    if (size_t dot = rest.find('.'); dot != std::string_view::npos) {
      return {std::string(rest.substr(dot + 1)), std::string(rest.substr(0, dot))};
    }
  }
  return {vs_ns, std::string(ref)};
}

}  // namespace istio_lint::model
