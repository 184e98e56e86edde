#include "cli/memory_usage.h"

#include <fstream>
#include <string>

namespace istio_lint::cli {

std::optional<MemoryUsage> memoryUsage() {
  std::ifstream in("/proc/self/status");
  if (!in) return std::nullopt;
  MemoryUsage m;
  bool peak = false, priv = false;
  // Lines such as "VmHWM:\t   17260 kB".
  for (std::string line; std::getline(in, line);) {
    auto kib = [&](const char* key, uint64_t& out) {
      const std::string prefix = std::string(key) + ":";
      if (line.rfind(prefix, 0) != 0) return false;
      out = std::stoull(line.substr(prefix.size())) * 1024;
      return true;
    };
    peak = kib("VmHWM", m.peak_resident) || peak;
    priv = kib("RssAnon", m.private_resident) || priv;
  }
  if (!peak || !priv) return std::nullopt;
  return m;
}

}  // namespace istio_lint::cli
