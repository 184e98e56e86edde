#pragma once

// Tab completion of `simulate -i` lines: which words fit where the cursor is. Pure functions over
// an index built once from the routing model, so they are tested without a terminal.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace istio_lint::simulate {
class RoutingModel;
}

namespace istio_lint::cli {

struct CompletionIndex {
  /// Concrete hosts (no wildcards), lower-case: VirtualService hosts, Service and ServiceEntry
  /// hosts, Gateway server hosts (without their namespace part).
  std::vector<std::string> hosts;
  std::vector<std::string> gateways;   // NS/NAME of every Gateway resource
  std::vector<std::string> workloads;  // NS/NAME of every workload with a sidecar (no gateway's)
  /// From a model with every gateway compiled (sidecars need not be).
  static CompletionIndex build(const simulate::RoutingModel& model);
};

struct Completion {
  size_t word_start = 0;                // where the word being completed begins (byte offset)
  std::vector<std::string> candidates;  // replacements for that word, sorted, without duplicates
};

/// The candidates for the word that ends at the cursor; `before_cursor` is the line up to it.
/// After `from` workloads, after `via` gateways, after `host`/`sni` hosts, after `scheme` and
/// `method` their values; at the start of a line commands, methods, schemes and hosts; after
/// `https://` hosts with that prefix; a word starting with `-` the flags; else the clauses.
Completion complete(const CompletionIndex& index, std::string_view before_cursor);

/// The longest prefix all candidates share (what one Tab inserts when there are several).
std::string commonPrefix(const std::vector<std::string>& candidates);

}  // namespace istio_lint::cli
