#include "cli/report_files.h"

#include <filesystem>

namespace istio_lint::cli {
namespace {

namespace fs = std::filesystem;

std::string normal(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  return p.string();
}

}  // namespace

std::optional<ReportFiles> ReportFiles::make(const std::vector<std::string>& paths, std::string& error) {
  ReportFiles r;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      error = "--report-files " + p + ": no such file";
      return std::nullopt;
    }
    r.normal_.insert(normal(p));
  }
  return r;
}

bool ReportFiles::contains(const model::FileTable& files, uint32_t id) const {
  if (id == 0) return false;
  if (cache_.size() < files.size()) cache_.resize(files.size(), -1);
  if (cache_[id] < 0) cache_[id] = normal_.count(normal(files.path(id))) ? 1 : 0;
  return cache_[id] == 1;
}

}  // namespace istio_lint::cli
