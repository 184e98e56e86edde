#include "model/loader.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/ascii.h"
#include "model/credential_store.h"
#include "model/decode/decode.h"
#include "model/parallel.h"
#include "model/read_hook.h"

namespace istio_lint::model {
namespace fs = std::filesystem;
namespace {

testing::ReadHook& readHook() {
  static testing::ReadHook hook;
  return hook;
}

constexpr std::string_view kIgnoredNamespaces[] = {"kube-system", "kube-public", "kube-node-lease",
                                                   "local-path-storage"};

bool manifestExtension(const fs::path& p) {
  const std::string ext = asciiLower(p.extension().string());
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

struct FileJob {
  std::string path;
  std::optional<std::string> bytes;  // given (stdin or test), else read from path
  std::optional<LoadProblem> problem;  // a walk problem to report instead of reading
  std::string cluster = {};            // Source::cluster of the input the file came from
};

void walk(const std::string& root, std::vector<FileJob>& jobs, std::vector<LoadProblem>& problems,
          FileTable& files, std::vector<uint32_t>& ids) {
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  fs::directory_iterator it(root, ec);
  if (ec) {
    problems.push_back({LoadProblem::Type::Unreadable,
                        "cannot read directory " + root + ": " + ec.message(), Span{files.add(root), 0, 0}});
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().native() < b.path().native(); });
  for (const auto& e : entries) {
    std::error_code sec;
    bool is_link = e.is_symlink(sec);
    if (e.is_directory(sec)) {
      if (is_link) continue;  // never follow directory links: no cycles
      walk(e.path().string(), jobs, problems, files, ids);
    } else if (manifestExtension(e.path())) {
      // A manifest that cannot be read is reported, never silently left out: a link that loops
      // or leads nowhere, or a FIFO, socket or device (reading those could block for ever).
      std::string path = e.path().string();
      fs::file_status st = fs::status(e.path(), sec);
      std::string why;
      if (sec) {
        why = is_link ? "symbolic link that cannot be followed (" + sec.message() + ")" : sec.message();
      } else if (!fs::is_regular_file(st)) {
        why = std::string("not a regular file (") +
              (fs::is_fifo(st) ? "a FIFO" : fs::is_socket(st) ? "a socket" : "a device") + "); skipped";
      }
      if (why.empty()) {
        jobs.push_back({path, std::nullopt, std::nullopt});
      } else {
        jobs.push_back({path, std::nullopt,
                        LoadProblem{LoadProblem::Type::Unreadable, "cannot read " + path + ": " + why, Span{}}});
      }
    }
  }
}

/// A file's bytes; the allocation is reused from file to file.
struct ReadBuffer {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
  size_t size = 0;

  std::string_view view() const { return {data.get(), size}; }
  void reserve(size_t n) {
    if (n <= capacity) return;
    auto bigger = std::make_unique_for_overwrite<char[]>(n);
    if (size != 0) std::memcpy(bigger.get(), data.get(), size);
    data = std::move(bigger);
    capacity = n;
  }
};

/// Reads a whole file without blocking for ever on special files.
bool readFile(const std::string& path, uint64_t max_bytes, ReadBuffer& out, std::string& error) {
  out.size = 0;
  // O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait for a writer for ever.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = "is a directory";
    return false;
  }
  // Reads block again, so a pipe given on the command line (`<(kubectl get ...)`) is read to
  // its end; a FIFO without a writer reads as empty.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  // One byte more than the file's size, so the read that sees the end needs no bigger buffer.
  out.reserve(st.st_size > 0 ? static_cast<size_t>(std::min<uint64_t>(st.st_size, max_bytes)) + 1 : 1 << 16);
  for (;;) {
    if (out.capacity - out.size < 4096) out.reserve(out.capacity * 2);
    ssize_t n = ::read(fd, out.data.get() + out.size, out.capacity - out.size);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out.size += static_cast<size_t>(n);
    if (out.size > max_bytes) {
      error = "larger than " + std::to_string(max_bytes) + " bytes";
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

std::string groupOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(api_version.substr(0, slash));
}

void addResource(const yaml::Node& root, const yaml::DocumentPtr& doc, uint32_t file,
                 const LoadOptions& options, LoadResult& out, bool in_list) {
  auto problem = [&](std::string msg) {
    out.problems.push_back({LoadProblem::Type::NotAResource, std::move(msg), root.span(file)});
  };
  if (!root.isMap()) {
    if (!root.isNull()) problem("document is not a mapping; expected a Kubernetes resource");
    return;
  }
  const yaml::Node* api = root.get("apiVersion");
  const yaml::Node* kind = root.get("kind");
  bool api_ok = api && api->isString() && !api->text.empty();
  bool kind_ok = kind && kind->isString() && !kind->text.empty();
  if (!api_ok || !kind_ok) {
    std::string what = !api_ok && !kind_ok ? "apiVersion and kind" : !api_ok ? "apiVersion" : "kind";
    std::string hint;
    if (kind_ok && !api_ok) {
      hint = " (kind is " + kind->str() + "; add the apiVersion of its API group)";
    }
    problem("resource has no " + what + hint);
    return;
  }
  std::string group = groupOf(api->text);
  std::string_view kind_name = kind->text;
  const yaml::Node* items = root.get("items");
  if (!in_list && (kind_name == "List" || (kind_name.size() > 4 && kind_name.ends_with("List") &&
                                            items != nullptr))) {
    if (items && items->isSeq()) {
      for (uint32_t i = 0; i < items->size; ++i) addResource(items->at(i), doc, file, options, out, true);
    } else if (items && !items->isNull()) {
      problem("items of " + std::string(kind_name) + " must be a list");
    }
    return;
  }
  std::optional<Kind> k = kindFromManifest(group, kind_name);
  if (!k) {
    ++out.skipped_kinds[(group.empty() ? std::string() : group + "/") + std::string(kind_name)];
    return;
  }
  if (options.only_kinds && !options.only_kinds->count(*k)) return;
  ResourcePtr res = decode::decodeResource(*k, api->str(), root, doc, file);
  const KindInfo& info = kindInfo(*k);
  if (!info.namespaced) {
    res->meta.ns = Str{};
  } else if (!res->meta.ns_given) {
    res->meta.ns = Str{options.default_namespace, Span{}};
  }
  if (options.drop_ignored_namespaces) {
    std::string_view ns = *k == Kind::Namespace ? std::string_view(res->name()) : std::string_view(res->ns());
    for (std::string_view ignored : kIgnoredNamespaces) {
      if (ns == ignored) return;
    }
  }
  if (*k == Kind::Secret && out.credentials) out.credentials->prefetch(static_cast<const Secret&>(*res));
  out.resources.push_back(std::move(res));
}

}  // namespace

void loadBytes(std::string_view bytes, uint32_t file, const LoadOptions& options, LoadResult& out) {
  // Each document is decoded as soon as it is parsed, and dropped unless a resource keeps it.
  // Problems keep the order parse problems, then resource problems, before the sort below.
  std::vector<LoadProblem> earlier = std::move(out.problems);
  out.problems.clear();
  std::vector<SuppressionComment> comments = scanSuppressionComments(bytes, file);
  std::move(comments.begin(), comments.end(), std::back_inserter(out.suppression_comments));
  std::vector<yaml::ParseProblem> parse_problems =
      yaml::parseEach(bytes, file, options.limits, [&](yaml::DocumentPtr doc) {
        ++out.documents;
        addResource(*doc->root(), doc, file, options, out, false);
      });
  std::vector<LoadProblem> from_resources = std::move(out.problems);
  out.problems = std::move(earlier);
  out.problems.reserve(out.problems.size() + parse_problems.size() + from_resources.size());
  for (yaml::ParseProblem& p : parse_problems) {
    out.problems.push_back({p.type == yaml::ParseProblem::Type::Syntax ? LoadProblem::Type::Syntax
                                                                       : LoadProblem::Type::Limit,
                            std::move(p.message), p.span});
  }
  std::move(from_resources.begin(), from_resources.end(), std::back_inserter(out.problems));
  // Keep problems in position order within the file, interleaved as they occurred.
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const LoadProblem& a, const LoadProblem& b) { return a.span < b.span; });
}

testing::ReadHook testing::setReadHook(ReadHook hook) {
  std::swap(hook, readHook());
  return hook;
}

LoadResult load(const std::vector<Source>& inputs, const LoadOptions& options) {
  LoadResult result;
  std::vector<FileJob> jobs;
  std::vector<uint32_t> ids;
  auto addInput = [&](const Source& in) {
    if (in.bytes || in.name == "-") {
      jobs.push_back({in.name, in.bytes, std::nullopt});
      if (!in.bytes) {
        std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        jobs.back().bytes = std::move(all);
      }
      return;
    }
    std::error_code ec;
    fs::file_status st = fs::status(in.name, ec);
    if (ec || !fs::exists(st)) {
      jobs.push_back({in.name, std::nullopt,
                      LoadProblem{LoadProblem::Type::Unreadable,
                                  "no such file or directory: " + in.name, Span{}}});
    } else if (fs::is_directory(st)) {
      walk(in.name, jobs, result.problems, result.files, ids);
    } else {
      jobs.push_back({in.name, std::nullopt, std::nullopt});
    }
  };
  for (const Source& in : inputs) {
    const size_t first = jobs.size();
    addInput(in);
    for (size_t i = first; i < jobs.size(); ++i) jobs[i].cluster = in.cluster;
  }

  std::vector<LoadResult> partial(jobs.size());
  std::vector<uint32_t> file_ids(jobs.size());
  result.credentials = std::make_shared<CredentialCache>();
  for (size_t i = 0; i < jobs.size(); ++i) {
    file_ids[i] = result.files.add(jobs[i].path);
    partial[i].credentials = result.credentials;
  }

  std::atomic<size_t> next{0};
  auto worker = [&] {
    ReadBuffer buffer;
    for (size_t i = next++; i < jobs.size(); i = next++) {
      FileJob& job = jobs[i];
      LoadResult& out = partial[i];
      uint32_t id = file_ids[i];
      if (job.problem) {
        job.problem->span = Span{id, 0, 0};
        out.problems.push_back(*job.problem);
        continue;
      }
      std::string error;
      if (const testing::ReadHook& hook = readHook()) hook(job.path);
      if (!job.bytes && !readFile(job.path, options.max_file_bytes, buffer, error)) {
        out.problems.push_back({LoadProblem::Type::Unreadable, "cannot read " + job.path + ": " + error, Span{id, 0, 0}});
        continue;
      }
      ++out.files_read;
      loadBytes(job.bytes ? std::string_view(*job.bytes) : buffer.view(), id, options, out);
      job.bytes.reset();
    }
  };
  unsigned n = options.threads ? options.threads : parallel::cores();
  n = static_cast<unsigned>(std::min<size_t>(n, jobs.size()));
  parallel::onEveryCore(worker, std::max(1u, n));  // no files: nothing to share
  for (size_t i = 0; i < partial.size(); ++i) {
    LoadResult& p = partial[i];
    if (!jobs[i].cluster.empty()) {
      for (ResourcePtr& r : p.resources) r->cluster = jobs[i].cluster;
    }
    std::move(p.resources.begin(), p.resources.end(), std::back_inserter(result.resources));
    std::move(p.problems.begin(), p.problems.end(), std::back_inserter(result.problems));
    for (auto& [k, v] : p.skipped_kinds) result.skipped_kinds[k] += v;
    std::move(p.suppression_comments.begin(), p.suppression_comments.end(),
              std::back_inserter(result.suppression_comments));
    result.documents += p.documents;
    result.files_read += p.files_read;
  }
  return result;
}

}  // namespace istio_lint::model
