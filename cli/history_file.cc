#include "cli/history_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/request_line.h"

namespace istio_lint::cli {
namespace {

std::string systemError(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string historyPath(const char* home) {
  if (home == nullptr || *home == '\0') return {};
  std::string p = home;
  if (p.back() != '/') p += '/';
  return p + ".istio-lint_history";
}

bool isHistoryEntry(std::string_view line) {
  if (line.empty() || line.size() > kMaxLineBytes) return false;
  if (line.find_first_not_of(" \t") == std::string_view::npos) return false;
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) return false;
  }
  return true;
}

std::vector<std::string> loadHistory(const std::string& path, std::string& error) {
  std::vector<std::string> entries;
  if (path.empty()) return entries;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO must not block
  if (fd < 0) {
    if (errno != ENOENT) error = systemError("cannot read", path);
    return entries;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = "cannot read " + path + ": not a regular file";
    ::close(fd);
    return entries;
  }
  const auto size = static_cast<size_t>(st.st_size);
  const size_t from = size > kMaxHistoryBytes ? size - kMaxHistoryBytes : 0;
  std::string text(size - from, '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::pread(fd, text.data() + got, text.size() - got, static_cast<off_t>(from + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = systemError("cannot read", path);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  size_t start = 0;
  if (from > 0) {  // the first line is cut
    size_t nl = text.find('\n');
    start = nl == std::string::npos ? text.size() : nl + 1;
  }
  size_t lines = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line(text.data() + start, (nl == std::string::npos ? text.size() : nl) - start);
    ++lines;
    if (isHistoryEntry(line)) entries.emplace_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  if (entries.size() > kMaxHistoryEntries) {
    entries.erase(entries.begin(), entries.end() - static_cast<std::ptrdiff_t>(kMaxHistoryEntries));
  }
  if (error.empty() && (from > 0 || lines > entries.size())) {
    // Keep the file to what is used: write the entries to a new file and move it over the old one.
    std::string data;
    for (const std::string& e : entries) data += e + "\n";
    const std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      error = systemError("cannot write", tmp);
      return entries;
    }
    bool ok = writeAll(fd, data);
    ok = ::close(fd) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
      error = systemError("cannot write", path);
      ::unlink(tmp.c_str());
    }
  }
  return entries;
}

bool appendHistory(const std::string& path, std::string_view entry, std::string& error) {
  if (path.empty() || !isHistoryEntry(entry)) return true;
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
  if (fd < 0) {
    error = systemError("cannot write", path);
    return false;
  }
  std::string line(entry);
  line += '\n';
  bool ok = writeAll(fd, line);
  if (::close(fd) != 0) ok = false;
  if (!ok) error = systemError("cannot write", path);
  return ok;
}

}  // namespace istio_lint::cli
