// applicationUID.Analyzer: application containers of Pods and Deployments must not run as UID
// 1337, the sidecar proxy's user: the sidecar's iptables rules let that user's traffic bypass the
// proxy (IST0144).

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"

namespace istio_lint::analyzers {
namespace {

constexpr int64_t kProxyUid = 1337;

class ApplicationUIDAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "applicationUID.Analyzer",
        "Checks invalid application UID",
        {Kind::Pod, Kind::Deployment},
        {Code::IST0144}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const workloads::PodOwnership& pods = workloads::PodOwnership::of(g);
    for (Kind k : {Kind::Pod, Kind::Deployment}) {
      for (const model::Resource* r : g.ofKind(k)) {
        const auto& w = static_cast<const model::Workload&>(*r);
        if (w.synthetic || workloads::isControlPlane(w)) continue;
        // A Pod of a Deployment in the input runs the Deployment's template: reported there.
        if (k == Kind::Pod && pods.owned(w)) continue;
        check(ctx, w);
      }
    }
  }

 private:
  /// One finding per workload, at the first place that makes an application container run as
  /// 1337; the other places are notes.
  static void check(Context& ctx, const model::Workload& w) {
    std::vector<model::Span> where;
    bool pod_level = w.pod_run_as_user == kProxyUid;
    bool pod_level_used = false;
    for (const model::Container& c : w.containers) {
      if (c.name.value == workloads::kIstioProxy || c.name.value == "istio-operator") continue;
      if (c.run_as_user) {
        if (*c.run_as_user == kProxyUid) where.push_back(c.run_as_user_span.known() ? c.run_as_user_span : c.name.span);
      } else if (pod_level) {
        pod_level_used = true;  // the container inherits the pod's runAsUser
      }
    }
    if (pod_level_used) where.insert(where.begin(), w.pod_run_as_user_span);
    if (where.empty()) return;
    rules::Finding& f = ctx.report(Code::IST0144, w, where.front());
    f.message += " Run the application as another user (securityContext.runAsUser), or traffic it sends "
                 "bypasses the sidecar";
    for (size_t i = 1; i < where.size(); ++i) f.notes.push_back({"a container also runs as UID 1337 here", where[i]});
  }
};

}  // namespace

AnalyzerPtr makeApplicationUIDAnalyzer() { return std::make_unique<ApplicationUIDAnalyzer>(); }

}  // namespace istio_lint::analyzers
