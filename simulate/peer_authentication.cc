#include "simulate/peer_authentication.h"

#include <algorithm>

namespace istio_lint::simulate {
namespace {

using model::labelsSubset;

bool modeSet(const model::Str& m) { return !m.empty() && m.value != "UNSET"; }

MtlsMode parseMode(const std::string& m) {
  if (m == "DISABLE") return MtlsMode::Disable;
  if (m == "STRICT") return MtlsMode::Strict;
  return MtlsMode::Permissive;
}

/// istiod's order: creation time (missing = the zero time), then name, then namespace.
bool older(const model::PeerAuthentication* a, const model::PeerAuthentication* b) {
  if (a->meta.creation_timestamp != b->meta.creation_timestamp) return a->meta.creation_timestamp < b->meta.creation_timestamp;
  if (a->name() != b->name()) return a->name() < b->name();
  return a->ns() < b->ns();
}

}  // namespace

std::string_view mtlsModeName(MtlsMode m) {
  switch (m) {
    case MtlsMode::Disable: return "DISABLE";
    case MtlsMode::Permissive: return "PERMISSIVE";
    case MtlsMode::Strict: return "STRICT";
  }
  return "";
}

std::string PeerAuthPolicy::Setting::describe() const {
  if (from == nullptr) return "default (no PeerAuthentication sets a mode)";
  std::string s = "PeerAuthentication " + from->ns() + "/" + from->name();
  if (port_level) s += " portLevelMtls " + std::to_string(port);
  return s;
}

const PeerAuthPolicy::Setting& PeerAuthPolicy::forPort(uint32_t port) const {
  for (const Setting& s : per_port) {
    if (s.port == port) return s;
  }
  return workload;
}

PeerAuthPolicy composePeerAuthentication(const model::MeshGraph& g, std::string_view root_ns, std::string_view ns,
                                         const model::Labels& labels) {
  const model::PeerAuthentication *mesh = nullptr, *nsw = nullptr, *wl = nullptr;
  for (const model::Resource* r : g.ofKind(model::Kind::PeerAuthentication)) {
    const auto* pa = static_cast<const model::PeerAuthentication*>(r);
    if (pa->ns() != root_ns && pa->ns() != ns) continue;
    bool selects = pa->selector && !pa->selector->empty();
    const model::PeerAuthentication** slot = nullptr;
    if (!selects) {
      slot = pa->ns() == root_ns ? &mesh : &nsw;
    } else if (pa->ns() != root_ns && labelsSubset(*pa->selector, labels)) {
      slot = &wl;
    }
    if (slot != nullptr && (*slot == nullptr || older(pa, *slot))) *slot = pa;
  }
  PeerAuthPolicy out;
  for (const model::PeerAuthentication* pa : {mesh, nsw, wl}) {
    if (pa == nullptr || !modeSet(pa->mode)) continue;
    out.workload.mode = parseMode(pa->mode.value);
    out.workload.from = pa;
    out.workload.span = pa->mode.span.known() ? pa->mode.span : pa->span;
  }
  if (wl != nullptr) {
    for (const model::PeerAuthentication::PortLevel& pl : wl->port_level) {
      if (pl.port == 0) continue;
      PeerAuthPolicy::Setting s = out.workload;
      if (modeSet(pl.mode)) {
        s.mode = parseMode(pl.mode.value);
        s.from = wl;
        s.span = pl.span;
        s.port_level = true;
      }
      s.port = pl.port;
      auto it = std::find_if(out.per_port.begin(), out.per_port.end(), [&](const auto& x) { return x.port == pl.port; });
      if (it == out.per_port.end()) out.per_port.push_back(std::move(s));
    }
    std::sort(out.per_port.begin(), out.per_port.end(), [](const auto& a, const auto& b) { return a.port < b.port; });
  }
  return out;
}

}  // namespace istio_lint::simulate
