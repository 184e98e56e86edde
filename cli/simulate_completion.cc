#include "cli/simulate_completion.h"

#include <algorithm>

#include "cli/request_line.h"
#include "model/ascii.h"
#include "model/resources/networking.h"
#include "simulate/routing_model.h"

namespace istio_lint::cli {
namespace {

void sortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// A concrete host a request can name: not empty, no wildcard.
void addHost(std::vector<std::string>& hosts, std::string_view h) {
  if (h.empty() || h.find('*') != std::string_view::npos) return;
  hosts.push_back(model::asciiLower(h));
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  if (prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

using model::isBlank;

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isBlank(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !isBlank(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

enum class Slot : uint8_t { None, Workload, Gateway, Host, Scheme, Method, Free };

/// What the word after `keyword` is (Free: not a keyword).
Slot slotAfter(std::string_view keyword) {
  if (keyword == "from" || keyword == "--from" || keyword == "to" || keyword == "--to") return Slot::Workload;
  if (keyword == "via" || keyword == "--gateway") return Slot::Gateway;
  if (keyword == "host" || keyword == "--host" || keyword == "sni" || keyword == "--sni") return Slot::Host;
  if (keyword == "scheme" || keyword == "--scheme") return Slot::Scheme;
  if (keyword == "method" || keyword == "--method") return Slot::Method;
  if (keyword == "port" || keyword == "--port" || keyword == "path" || keyword == "--path" || keyword == "header" ||
      keyword == "-H" || keyword == "--header" || keyword == "random" || keyword == "--random-value") {
    return Slot::None;
  }
  return Slot::Free;
}

const std::vector<std::string>& schemeWords() {
  static const std::vector<std::string> k{"http", "https", "tcp", "tls"};
  return k;
}

bool isSchemeWord(std::string_view w) { return w == "http" || w == "https" || w == "tls" || w == "tcp"; }
bool isMethodWord(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

const std::vector<std::string>* valuesFor(const CompletionIndex& index, Slot slot) {
  switch (slot) {
    case Slot::Workload: return &index.workloads;
    case Slot::Gateway: return &index.gateways;
    case Slot::Host: return &index.hosts;
    case Slot::Scheme: return &schemeWords();
    case Slot::Method: return &commonMethods();
    case Slot::None:
    case Slot::Free: return nullptr;
  }
  return nullptr;
}

void addMatching(std::vector<std::string>& out, const std::vector<std::string>& from, std::string_view prefix,
                 std::string_view prepend = {}) {
  for (const std::string& c : from) {
    if (startsWithNoCase(c, prefix)) out.push_back(std::string(prepend) + c);
  }
}

}  // namespace

CompletionIndex CompletionIndex::build(const simulate::RoutingModel& model) {
  CompletionIndex x;
  const model::MeshGraph& g = model.graph();
  for (const model::VirtualService* vs : g.typed<model::VirtualService>(model::Kind::VirtualService)) {
    for (const model::Str& h : vs->hosts) addHost(x.hosts, h.value);
  }
  for (const simulate::ServiceInfo& s : model.registry().all()) addHost(x.hosts, s.host);
  for (const model::Gateway* gw : g.typed<model::Gateway>(model::Kind::Gateway)) {
    x.gateways.push_back(gw->ns() + "/" + gw->name());
    for (const model::GatewayServer& server : gw->servers) {
      for (const model::Str& h : server.hosts) {
        std::string_view v = h.value;
        if (size_t slash = v.find('/'); slash != std::string_view::npos) v = v.substr(slash + 1);
        addHost(x.hosts, v);
      }
    }
  }
  // Ingresses that Istio serves are entered by their own NS/NAME; their hosts are in the generated
  // VirtualServices.
  for (const auto& generated : model.ingress().virtual_services) {
    for (const model::Str& h : generated.virtual_service->hosts) addHost(x.hosts, h.value);
  }
  for (const auto& generated : model.ingress().gateways) {
    x.gateways.push_back(generated.ingress->ns() + "/" + generated.ingress->name());
  }
  for (const model::Workload* w : g.workloads().all()) {
    std::string name = w->ns() + "/" + w->name();
    const simulate::Proxy* p = model.proxy(name);
    if (p == nullptr || p->id.type != simulate::ProxyIdentity::Type::Gateway) x.workloads.push_back(std::move(name));
  }
  sortUnique(x.hosts);
  sortUnique(x.gateways);
  sortUnique(x.workloads);
  return x;
}

Completion complete(const CompletionIndex& index, std::string_view before_cursor) {
  Completion c;
  size_t start = before_cursor.size();
  while (start > 0 && !isBlank(before_cursor[start - 1])) --start;
  c.word_start = start;
  const std::string_view word = before_cursor.substr(start);
  const std::vector<std::string_view> prev = words(before_cursor.substr(0, start));
  if (!word.empty() && (word[0] == '\'' || word[0] == '"')) return c;  // inside quotes: free text

  // --flag=value
  if (word.rfind("--", 0) == 0) {
    if (size_t eq = word.find('='); eq != std::string_view::npos) {
      const std::string flag(word.substr(0, eq + 1));
      if (const auto* values = valuesFor(index, slotAfter(word.substr(0, eq)))) addMatching(c.candidates, *values, word.substr(eq + 1), flag);
      sortUnique(c.candidates);
      return c;
    }
  }
  const Slot slot = prev.empty() ? Slot::Free : slotAfter(prev.back());
  if (slot != Slot::Free) {
    if (const auto* values = valuesFor(index, slot)) addMatching(c.candidates, *values, word);
    sortUnique(c.candidates);
    return c;
  }
  if (size_t sep = word.find("://"); sep != std::string_view::npos) {
    if (schemeFromName(word.substr(0, sep))) {
      addMatching(c.candidates, index.hosts, word.substr(sep + 3), word.substr(0, sep + 3));
    }
    sortUnique(c.candidates);
    return c;
  }
  if (!word.empty() && word[0] == '-') {
    addMatching(c.candidates, lineFlags(), word);
    sortUnique(c.candidates);
    return c;
  }
  // Is there a target already? Skip keyword clauses (and their values), the method and schemes.
  bool target = false;
  for (size_t i = 0; i < prev.size(); ++i) {
    if (slotAfter(prev[i]) != Slot::Free) {
      ++i;
    } else if (prev[i] == "mtls" || prev[i] == "--mtls") {
      continue;  // a clause without a value
    } else if (size_t eq = prev[i].find('='); prev[i].rfind("--", 0) == 0 && eq != std::string_view::npos) {
      continue;
    } else if (!isMethodWord(prev[i]) && !isSchemeWord(prev[i])) {
      target = true;
    }
  }
  if (prev.empty()) {
    addMatching(c.candidates, lineCommands(), word);
    addMatching(c.candidates, commonMethods(), word);
  }
  if (!target) {
    addMatching(c.candidates, schemeWords(), word);
    addMatching(c.candidates, index.hosts, word);
  }
  addMatching(c.candidates, lineKeywords(), word);
  sortUnique(c.candidates);
  return c;
}

std::string commonPrefix(const std::vector<std::string>& candidates) {
  if (candidates.empty()) return {};
  std::string_view p = candidates.front();
  for (const std::string& c : candidates) {
    size_t n = 0;
    while (n < p.size() && n < c.size() && p[n] == c[n]) ++n;
    p = p.substr(0, n);
  }
  return std::string(p);
}

}  // namespace istio_lint::cli
