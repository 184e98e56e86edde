#include "model/host.h"

namespace istio_lint::model::host {

bool matches(std::string_view a, std::string_view b) {
  bool wa = isWildcard(a), wb = isWildcard(b);
  if (wa) {
    if (wb) {
      std::string_view sa = a.substr(1), sb = b.substr(1);
      return sa.size() > sb.size() ? sa.ends_with(sb) : sb.ends_with(sa);
    }
    return b.ends_with(a.substr(1));
  }
  if (wb) return a.ends_with(b.substr(1));
  return a == b;
}

bool subsetOf(std::string_view a, std::string_view b) {
  if (isWildcard(b)) {
    if (b.size() == 1) return true;
    // *.foo.com is a subset of *.com; bar.foo.com is a subset of *.foo.com.
    return a.ends_with(b.substr(1));
  }
  if (isWildcard(a)) return false;
  return a == b;
}

std::string toFqdn(std::string_view h, std::string_view ns, std::string_view domain) {
  if (h.empty() || isWildcard(h) || h.find('.') != std::string_view::npos) return std::string(h);
  std::string out(h);
  out += '.';
  out += ns;
  out += ".svc.";
  out += domain;
  return out;
}

}  // namespace istio_lint::model::host
