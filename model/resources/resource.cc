#include "model/resources/resource.h"

namespace istio_lint::model {

std::string Resource::qualifiedName() const { return ns().empty() ? name() : ns() + '/' + name(); }

std::string Resource::origin() const {
  std::string out(kindName(kind));
  out += ' ';
  if (!ns().empty()) {
    out += ns();
    out += '/';
  }
  out += name();
  return out;
}

}  // namespace istio_lint::model
