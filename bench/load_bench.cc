// Times model::load() alone — read, parse, decode, no graph or analyzers — on a directory, a few
// times in one process, and prints wall and CPU time per run. Useful to see what the loader costs
// next to bench/yaml_parse_baseline on the same files.
//
//   load_bench DIR [RUNS=5] [THREADS=0 (one per core)]

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/loader.h"

namespace {

double cpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [RUNS] [THREADS]\n", argv[0]);
    return 64;
  }
  int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  istio_lint::model::LoadOptions options;
  options.threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 0;
  double best_wall = 1e9, best_cpu = 1e9;
  for (int i = 0; i < runs; ++i) {
    double cpu0 = cpuSeconds();
    auto t0 = std::chrono::steady_clock::now();
    istio_lint::model::LoadResult r = istio_lint::model::load({{argv[1], std::nullopt}}, options);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = cpuSeconds() - cpu0;
    best_wall = std::min(best_wall, wall);
    best_cpu = std::min(best_cpu, cpu);
    std::printf("run %d: %zu resources, %zu problems, wall %.1f ms, cpu %.1f ms\n", i + 1, r.resources.size(),
                r.problems.size(), wall * 1e3, cpu * 1e3);
  }
  std::printf("best: wall %.1f ms, cpu %.1f ms\n", best_wall * 1e3, best_cpu * 1e3);
  return 0;
}
