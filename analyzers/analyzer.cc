#include "analyzers/analyzer.h"

namespace istio_lint::analyzers {

rules::Finding& Context::add(Code code, rules::Origin origin, model::Span at, std::string message) {
  rules::Finding f{code, rules::messageType(code).level, std::move(message), at, std::move(origin),
                   analyzer_, {}};
  out_.push_back(std::move(f));
  return out_.back();
}

}  // namespace istio_lint::analyzers
