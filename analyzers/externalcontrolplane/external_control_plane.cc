// externalcontrolplane.ExternalControlPlaneAnalyzer: Istio's validation and injection webhooks
// reach the control plane through a Service or, with an external control plane, a URL. A webhook
// with neither, or with a URL istio-lint cannot read a host from, is reported (IST0163); a URL
// that names the host by IP address works but is fragile (IST0164).

#include <arpa/inet.h>

#include <cctype>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/resources/webhook.h"

namespace istio_lint::analyzers {
namespace {

using model::Webhook;
using model::WebhookConfiguration;

enum class HostKind { Invalid, Name, Ip };

/// The host of an https URL, as Go's url.Parse(u).Hostname() gives it.
HostKind hostOf(std::string_view url, std::string& host) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || scheme == 0) return HostKind::Invalid;
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return HostKind::Invalid;
    host = std::string(rest.substr(1, close - 1));
  } else {
    host = std::string(rest.substr(0, rest.find(':')));
  }
  if (host.empty()) return HostKind::Invalid;
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1) return HostKind::Ip;
  // A DNS name: dot-separated labels of letters, digits and '-', not starting or ending with '-'
  // (a trailing dot is allowed).
  std::string_view name = host;
  if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);
  for (std::string_view tail = name;;) {
    size_t dot = tail.find('.');
    std::string_view label = tail.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return HostKind::Invalid;
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return HostKind::Invalid;
    }
    if (dot == std::string_view::npos) break;
    tail = tail.substr(dot + 1);
  }
  return HostKind::Name;
}

class ExternalControlPlaneAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "externalcontrolplane.ExternalControlPlaneAnalyzer",
        "Checks that the remote IstioOperator resources reference an external control plane",
        {Kind::ValidatingWebhookConfiguration, Kind::MutatingWebhookConfiguration},
        {Code::IST0163, Code::IST0164}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    for (const auto* cfg : g.typed<WebhookConfiguration>(Kind::ValidatingWebhookConfiguration)) {
      if (cfg->name().starts_with("istio-validator") || cfg->name() == "istiod-default-validator") check(ctx, *cfg);
    }
    for (const auto* cfg : g.typed<WebhookConfiguration>(Kind::MutatingWebhookConfiguration)) {
      if (cfg->name().starts_with("istio-sidecar-injector")) check(ctx, *cfg);
    }
  }

 private:
  static void check(Context& ctx, const WebhookConfiguration& cfg) {
    if (cfg.synthetic) return;
    for (const Webhook& w : cfg.webhooks) {
      const model::WebhookClientConfig& cc = w.client_config;
      if (!cc.url) {
        if (cc.service) continue;
        rules::Finding& f = ctx.report(Code::IST0163, cfg, w.name.span.known() ? w.name.span : w.span, "", w.name.value, "is blank");
        f.message += " Set clientConfig.url to the external istiod's address, or clientConfig.service to istiod's Service";
        continue;
      }
      const model::Str& url = *cc.url;
      std::string host;
      HostKind kind = url.empty() ? HostKind::Invalid : hostOf(url.value, host);
      if (kind == HostKind::Ip) {
        rules::Finding& f = ctx.report(Code::IST0164, cfg, url.span, url.value, w.name.value);
        f.message += " Use a DNS name that resolves to the gateway, so that its address can change";
      } else if (kind == HostKind::Invalid) {
        rules::Finding& f = ctx.report(Code::IST0163, cfg, url.span, url.value, w.name.value,
                                       url.empty() ? "is blank" : "is not a valid https://host[:port]/path URL");
        f.message += " Set clientConfig.url to the external istiod's address, for example "
                     "https://istiod.example.com:15017/inject";
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeExternalControlPlaneExternalControlPlaneAnalyzer() {
  return std::make_unique<ExternalControlPlaneAnalyzer>();
}

}  // namespace istio_lint::analyzers
