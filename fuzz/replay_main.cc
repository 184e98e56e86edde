// Replays corpus files through a fuzz target's entry point without libFuzzer: the test suite
// runs every target's regression corpus this way, with any compiler and sanitizer.
//
// Usage: TARGET-replay [--max-seconds N] FILE|DIR...   (directories are read recursively, sorted)
// Exit 0 when every input ran within the time limit; a crash ends the process with its signal.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  double max_seconds = 10;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--max-seconds" && i + 1 < argc) {
      max_seconds = std::atof(argv[++i]);
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      for (fs::recursive_directory_iterator it(a, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path());
      }
    } else if (fs::is_regular_file(a, ec)) {
      files.push_back(a);
    } else {
      std::fprintf(stderr, "%s: no such file or directory\n", a.c_str());
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  int slow = 0;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto start = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (s > max_seconds) {
      std::fprintf(stderr, "%s: took %.2f s (limit %.2f s)\n", f.c_str(), s, max_seconds);
      ++slow;
    }
  }
  std::printf("replayed %zu input(s)\n", files.size());
  return slow ? 1 : 0;
}
