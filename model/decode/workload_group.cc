#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/resources/workload_entry.h"

namespace istio_lint::model::decode {
namespace {

void checkNonNegative(Reader& r, const Node& probe, std::string_view key) {
  if (auto v = r.integer(probe, key); v && *v < 0) {
    auto g = r.field(key);
    r.issue(*probe.get(key), std::string(key) + " must be non-negative");
  }
}

void checkPort(Reader& r, const Node& parent, std::string_view method) {
  const Node* port = parent.get("port");
  if (port == nullptr || port->isNull()) {
    r.issue(parent, std::string(method) + " needs a port");
    return;
  }
  if (auto v = r.integer(parent, "port"); v && (*v < 1 || *v > 65535)) {
    auto g = r.field("port");
    r.issue(*port, "port number " + std::to_string(*v) + " must be in the range 1..65535");
  }
}

/// spec.probe (ReadinessProbe): exactly one health check method, with the fields it needs.
void readProbe(Reader& r, const Node& probe) {
  r.known(probe, {"initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                  "failureThreshold", "httpGet", "tcpSocket", "exec", "grpc"});
  for (std::string_view k : {"initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                             "failureThreshold"}) {
    checkNonNegative(r, probe, k);
  }
  int methods = 0;
  if (const Node* h = r.map(probe, "httpGet")) {
    ++methods;
    auto g = r.field("httpGet");
    r.known(*h, {"path", "port", "host", "scheme", "httpHeaders"});
    checkPort(r, *h, "httpGet");
    r.enumeration(*h, "scheme", {"HTTP", "HTTPS"});
    r.strOr(*h, "path");
    r.strOr(*h, "host");
    r.each(*h, "httpHeaders", [&](const Node& hdr) {
      if (!hdr.isMap()) {
        r.issue(hdr, "expected a mapping with name and value");
        return;
      }
      r.known(hdr, {"name", "value"});
      if (r.strOr(hdr, "name").empty()) r.issue(hdr, "header name is required");
      r.strOr(hdr, "value");
    });
  }
  if (const Node* t = r.map(probe, "tcpSocket")) {
    ++methods;
    auto g = r.field("tcpSocket");
    r.known(*t, {"host", "port"});
    r.strOr(*t, "host");
    checkPort(r, *t, "tcpSocket");
  }
  if (const Node* e = r.map(probe, "exec")) {
    ++methods;
    auto g = r.field("exec");
    r.known(*e, {"command"});
    if (r.strList(*e, "command").empty()) r.issue(*e, "exec.command is required");
  }
  if (const Node* gr = r.map(probe, "grpc")) {
    ++methods;
    auto g = r.field("grpc");
    r.known(*gr, {"port", "service"});
    checkPort(r, *gr, "grpc");
    r.strOr(*gr, "service");
  }
  if (methods == 0) r.issue(probe, "a probe needs one of httpGet, tcpSocket, exec or grpc");
  if (methods > 1) r.issue(probe, "only one of httpGet, tcpSocket, exec or grpc may be set");
}

}  // namespace

ResourcePtr decodeWorkloadGroup(Reader& r, const Node& spec) {
  auto wg = std::make_unique<WorkloadGroup>();
  r.known(spec, {"metadata", "template", "probe"});
  if (const Node* meta = r.map(spec, "metadata")) {
    auto g = r.field("metadata");
    r.known(*meta, {"labels", "annotations"});
    if (auto l = r.labels(*meta, "labels")) wg->labels = std::move(*l);
    if (auto a = r.labels(*meta, "annotations")) wg->annotations = std::move(*a);
  }
  if (const Node* t = r.map(spec, "template")) {
    auto g = r.field("template");
    wg->template_ = readWorkloadEntrySpec(r, *t, true);
  } else {
    r.issue(spec, "template is required");
  }
  if (const Node* p = r.map(spec, "probe")) {
    auto g = r.field("probe");
    wg->has_probe = true;
    readProbe(r, *p);
  }
  return wg;
}

}  // namespace istio_lint::model::decode
