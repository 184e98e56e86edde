// Decoder for networking.istio.io ProxyConfig.

#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/resources/proxy_config.h"

namespace istio_lint::model::decode {

ResourcePtr decodeProxyConfig(Reader& r, const Node& spec) {
  auto pc = std::make_unique<ProxyConfig>();
  r.known(spec, {"selector", "concurrency", "environmentVariables", "image"});
  if (const Node* sel = r.map(spec, "selector")) {
    auto g = r.field("selector");
    r.known(*sel, {"matchLabels"});
    warnSelectorWithoutLabels(r, *sel, "matchLabels", "ProxyConfig");
    pc->selector_span = r.span(sel);
    pc->selector = r.labels(*sel, "matchLabels").value_or(Labels{});
    for (const auto& [k, v] : *pc->selector) {
      if (k.empty()) r.issue(*sel, "selector label keys must not be empty");
    }
  }
  if (const Node* c = spec.get("concurrency"); c != nullptr && !c->isNull()) {
    pc->concurrency = r.integer(spec, "concurrency");
    if (pc->concurrency && *pc->concurrency < 0) {
      auto g = r.field("concurrency");
      r.issue(*c, "concurrency must be greater than or equal to 0 (0 uses every core)");
    }
  }
  r.entries(spec, "environmentVariables", [&](std::string_view k, const Node& v) {
    if (!v.isString()) {
      r.issue(v, "expected a string; quote the value: \"" + v.str() + "\"");
      return;
    }
    pc->environment_variables.emplace(std::string(k), Str{v.str(), r.span(v)});
  });
  if (const Node* img = r.map(spec, "image")) {
    auto g = r.field("image");
    r.known(*img, {"imageType"});
    pc->image_type = r.strOr(*img, "imageType");
  }
  return pc;
}

}  // namespace istio_lint::model::decode
