#pragma once

#include <string>
#include <vector>

#include "model/source_span.h"
#include "rules/catalog.h"

namespace istio_lint::model {
struct Resource;
}

namespace istio_lint::rules {

/// The resource a finding is about, as istioctl names it: "<Kind> <ns>/<name>".
struct Origin {
  std::string kind, ns, name;
  bool empty() const { return kind.empty(); }
  std::string str() const { return kind + " " + (ns.empty() ? "" : ns + "/") + name; }
};

/// A related location ("declared here").
struct Note {
  std::string message;
  model::Span span;
};

struct Finding {
  Code code;
  Level level;
  std::string message;
  model::Span span;
  Origin origin;
  std::string analyzer;
  std::vector<Note> notes;
  const model::Resource* resource = nullptr;  // the resource the finding is about, if any

  const MessageType& type() const { return messageType(code); }
};

}  // namespace istio_lint::rules
