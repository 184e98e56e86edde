#pragma once

// Typed admissionregistration.k8s.io resources: MutatingWebhookConfiguration and
// ValidatingWebhookConfiguration (one model for both), and the Kubernetes LabelSelector their
// webhooks use to pick namespaces and objects.

#include <optional>
#include <string>
#include <vector>

#include "model/resources/resource.h"

namespace istio_lint::model {

/// One `matchExpressions` entry: key, operator (In, NotIn, Exists, DoesNotExist) and values.
struct LabelSelectorRequirement {
  Str key;
  Str op;
  std::vector<std::string> values;
  Span span;
};

/// A metav1.LabelSelector. Every requirement must hold (matchLabels are `key In [value]`).
struct LabelSelector {
  Labels match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;
  Span span;

  bool empty() const { return match_labels.empty() && match_expressions.empty(); }

  /// Whether `labels` satisfy the selector, as metav1.LabelSelectorAsSelector().Matches does. An
  /// unknown operator, or In/NotIn without values, makes the selector invalid: it matches nothing.
  bool matches(const Labels& labels) const {
    for (const auto& [k, v] : match_labels) {
      auto it = labels.find(k);
      if (it == labels.end() || it->second != v) return false;
    }
    for (const LabelSelectorRequirement& e : match_expressions) {
      auto it = labels.find(e.key.value);
      const bool has = it != labels.end();
      auto in = [&] {
        for (const std::string& v : e.values) {
          if (has && it->second == v) return true;
        }
        return false;
      };
      if (e.op.value == "In") {
        if (e.values.empty() || !in()) return false;
      } else if (e.op.value == "NotIn") {
        if (e.values.empty() || in()) return false;
      } else if (e.op.value == "Exists") {
        if (!has) return false;
      } else if (e.op.value == "DoesNotExist") {
        if (has) return false;
      } else {
        return false;
      }
    }
    return true;
  }
};

struct WebhookServiceRef {
  Str name, ns, path;
  std::optional<uint32_t> port;
  Span span;
};

struct WebhookClientConfig {
  std::optional<Str> url;                  // absent (or null) when not given
  std::optional<WebhookServiceRef> service;
  Span span;
};

struct Webhook {
  Str name;
  WebhookClientConfig client_config;
  std::optional<LabelSelector> namespace_selector;  // absent: matches every namespace
  std::optional<LabelSelector> object_selector;     // absent: matches every object
  Str failure_policy;
  Span span;
};

/// A MutatingWebhookConfiguration or ValidatingWebhookConfiguration (`kind` tells which).
struct WebhookConfiguration : Resource {
  std::vector<Webhook> webhooks;
};

}  // namespace istio_lint::model
