#include "cli/simulate_prompt.h"

#include <histedit.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/history_file.h"
#include "cli/libedit.h"
#include "cli/json_text.h"
#include "cli/simulate_output.h"
#include "simulate/trace.h"

// libedit keeps the two strings of a function added with EL_ADDFN (wcsdup'ed name and help) past
// el_end(); builds with LeakSanitizer (scripts/test.sh --sanitize, scripts/fuzz) must not report
// them as leaks of istio-lint. libedit is the only caller of wcsdup in the program.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ISTIO_LINT_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(ISTIO_LINT_LSAN)
extern "C" const char* __lsan_default_suppressions() { return "leak:wcsdup\n"; }
#endif

namespace istio_lint::cli {

PromptSession::PromptSession(PromptModels& models, PromptOptions options, std::ostream& out, std::ostream& err)
    : models_(models), options_(std::move(options)), out_(out), err_(err), completion_(CompletionIndex::build(models.base())) {}

std::string PromptSession::helpText() const {
  std::string h =
      "One request per line, traced as `istio-lint simulate` traces it:\n"
      "\n"
      "  [METHOD] [SCHEME] TARGET [CLAUSE]...\n"
      "\n"
      "  METHOD  a word in capitals: GET, POST, PURGE, ... (default GET)\n"
      "  SCHEME  http (port 80), https, tls or tcp (port 443)\n"
      "  TARGET  [SCHEME://]HOST[:PORT][/PATH][?QUERY], or /PATH alone\n"
      "  CLAUSE  from NS/WORKLOAD   enter at that workload's sidecar        --from\n"
      "          via NS/GATEWAY     enter at that Gateway's workload         --gateway\n"
      "          to NS/WORKLOAD     enter the inbound side of its sidecar    --to\n"
      "                             (beside from/via: follow the request into it)\n"
      "          mtls               the connection is Istio mTLS (to, via)   --mtls\n"
      "          host H             the host (:authority)                    --host\n"
      "          sni S              the TLS server name (default: the host)  --sni\n"
      "          port N             the port the proxy listens on            --port\n"
      "          scheme S           http, https, tls or tcp                  --scheme\n"
      "          path P             the path with its query                  --path\n"
      "          method M           any method                               --method\n"
      "          header 'k: v'      a request header (also header k=v)       -H\n"
      "          random N           pick one cluster of a weighted split     --random-value\n"
      "\n"
      "Clauses may also be written as the flags: --from=NS/WORKLOAD, -H 'k: v'. What a line does not\n"
      "say comes from the command line's flags. Quote a word with '...' or \"...\".\n"
      "\n"
      "Examples:\n"
      "  GET https://shop.example.com/api/cart via istio-system/ingressgateway\n"
      "  tls api.stripe.com:443 from payments/payments\n"
      "  http shop.example.com/x -H 'x-canary: true' random 42\n"
      "  GET /reviews port 9080 to shop/reviews mtls\n"
      "\n"
      "Commands: help, history, quit (or exit, or Ctrl-D). Tab completes hosts, gateways, workloads\n"
      "and keywords.\n";
  const RequestFields& d = options_.defaults;
  std::string given;
  auto add = [&given](const std::string& s) { given += (given.empty() ? "" : ", ") + s; };
  if (d.entry) {
    const char* clause = d.entry->kind == EntryPoint::Kind::Gateway   ? "via "
                         : d.entry->kind == EntryPoint::Kind::Inbound ? "to "
                                                                      : "from ";
    add(clause + d.entry->text());
  }
  if (d.mtls.value_or(false)) add("mtls");
  if (d.scheme) add("scheme " + std::string(schemeName(*d.scheme)));
  if (d.host) add("host " + *d.host);
  if (d.sni) add("sni " + *d.sni);
  if (d.port) add("port " + std::to_string(*d.port));
  if (d.path) add("path " + *d.path);
  if (d.method) add("method " + *d.method);
  for (const auto& [k, v] : d.headers) add("header '" + k + ": " + v + "'");
  if (d.random) add("random " + std::to_string(*d.random));
  if (!given.empty()) h += "\nFrom the command line: " + given + ".\n";
  return h;
}

bool PromptSession::remember(std::string_view line) {
  if (!isHistoryEntry(line) || (!history_.empty() && history_.back() == line)) return false;
  if (line[line.find_first_not_of(" \t")] == '#') return false;  // a comment
  if (history_.size() >= kMaxHistoryEntries) history_.erase(history_.begin());
  history_.emplace_back(line);
  return true;
}

void PromptSession::reject(std::string_view line, size_t column, const std::string& message) {
  ++rejected_;
  if (options_.json) {
    nlohmann::json j{{"line", line_number_}, {"error", {{"column", column}, {"message", message}}}};
    out_ << jsonText(j) << "\n";
    out_.flush();
    return;
  }
  if (interactive_) {
    err_ << std::string(kPrompt.size() + column - 1, ' ') << "^ " << message << "\n";
    return;
  }
  err_ << "<stdin>:" << line_number_ << ":" << column << ": " << message << "\n";
  if (line.size() <= 200) err_ << "  " << printable(line) << "\n  " << std::string(column - 1, ' ') << "^\n";
}

bool PromptSession::handle(std::string_view line, size_t bytes) {
  ++line_number_;
  if (bytes > kMaxLineBytes) {
    reject({}, columnAt(line, kMaxLineBytes),
           "the line is too long: " + std::to_string(bytes) + " bytes (at most " + std::to_string(kMaxLineBytes) + ")");
    return true;
  }
  const ParsedLine p = parseRequestLine(line, options_.defaults);
  switch (p.kind) {
    case ParsedLine::Kind::Blank: return true;
    case ParsedLine::Kind::Quit: return false;
    case ParsedLine::Kind::Help: (options_.json ? err_ : out_) << helpText(); return true;
    case ParsedLine::Kind::History: {
      std::ostream& o = options_.json ? err_ : out_;
      for (size_t i = 0; i < history_.size(); ++i) {
        std::string n = std::to_string(i + 1);
        o << std::string(n.size() < 5 ? 5 - n.size() : 0, ' ') << n << "  " << history_[i] << "\n";
      }
      return true;
    }
    case ParsedLine::Kind::Error: reject(line, p.error.column, p.error.message); return true;
    case ParsedLine::Kind::Request: break;
  }
  const RequestSpec& spec = p.request;
  std::string error;
  const PromptModels::Entry entry = models_.enter(spec.entry, error, spec.deliver_to);
  const simulate::Proxy* start = entry.proxy;
  if (start == nullptr) {
    const size_t column = entry.deliver_to_failed ? spec.deliver_column : spec.entry_column;
    reject(line, column == 0 ? 1 : column, error);
    return true;
  }
  std::vector<simulate::Header> headers;
  const simulate::Request request = toRequest(spec, headers);
  const simulate::Trace trace = simulate::traceRequest(*entry.model, *start, request, 4, entry.deliver_to);
  const model::FileTable& files = entry.model->graph().files();
  if (options_.json) {
    nlohmann::json j = traceJson(files, spec, trace);
    j["line"] = line_number_;
    out_ << jsonText(j) << "\n";
  } else {
    if (traced_ > 0) out_ << "\n";
    printTraceText(out_, files, spec, trace);
  }
  ++traced_;
  out_.flush();
  if (std::optional<PortHint> hint = gatewayPortHint(entry.model->graph(), *start, spec.port)) {
    err_ << "hint: the gateway has no listener on port " << spec.port << "; " << hint->reason
         << ": add `port " << hint->listen_port << "`\n";
  }
  return true;
}

int runScriptedPrompt(std::FILE* in, PromptSession& session) {
  std::string line;
  for (;;) {
    line.clear();
    size_t bytes = 0;
    int c = 0;
    while ((c = getc_unlocked(in)) != EOF && c != '\n') {
      ++bytes;
      if (line.size() <= kMaxLineBytes) line.push_back(static_cast<char>(c));
    }
    if (c == EOF && bytes == 0) break;
    session.remember(line);
    if (!session.handle(line, bytes > kMaxLineBytes ? bytes : 0)) break;
    if (c == EOF) break;
  }
  return session.rejected() > 0 ? kExitUsage : kExitOk;
}

namespace {

struct EditorState {
  PromptSession* session = nullptr;
  std::FILE* out = nullptr;
};

char* promptText(EditLine*) {
  static std::string prompt(PromptSession::kPrompt);
  return prompt.data();
}

/// Tab: one candidate replaces the word (and a blank follows); several extend it to their
/// common prefix, or are listed when they share no more than the word.
unsigned char completeKey(EditLine* el, int) {
  const libedit::Api* ed = libedit::api();  // open: the prompt is running
  void* data = nullptr;
  ed->el_get(el, EL_CLIENTDATA, &data);
  const auto* st = static_cast<const EditorState*>(data);
  const LineInfo* li = ed->el_line(el);
  if (st == nullptr || li == nullptr) return CC_ERROR;
  const std::string_view before(li->buffer, static_cast<size_t>(li->cursor - li->buffer));
  const Completion c = complete(st->session->completion(), before);
  if (c.candidates.empty()) return CC_ERROR;
  const std::string_view word = before.substr(c.word_start);
  const int word_chars = static_cast<int>(columnAt(word, word.size()) - 1);
  std::string insert;
  if (c.candidates.size() == 1) {
    insert = c.candidates.front() + " ";
  } else if (std::string prefix = commonPrefix(c.candidates); prefix.size() > word.size()) {
    insert = std::move(prefix);
  }
  if (!insert.empty()) {
    ed->el_deletestr(el, word_chars);
    return ed->el_insertstr(el, insert.c_str()) == 0 ? CC_REFRESH : CC_ERROR;
  }
  constexpr size_t kShown = 100;
  std::string list = "\n";
  size_t width = 0;
  for (size_t i = 0; i < c.candidates.size() && i < kShown; ++i) {
    const std::string& s = c.candidates[i];
    if (width > 0 && width + 2 + s.size() > 100) {
      list += "\n";
      width = 0;
    }
    list += (width > 0 ? "  " : "") + s;
    width += (width > 0 ? 2 : 0) + s.size();
  }
  if (c.candidates.size() > kShown) list += "\n... and " + std::to_string(c.candidates.size() - kShown) + " more";
  list += "\n";
  std::fputs(list.c_str(), st->out);
  return CC_REDISPLAY;
}

}  // namespace

int runInteractivePrompt(PromptSession& session) {
  std::setlocale(LC_CTYPE, "");  // libedit reads multibyte input in the terminal's encoding
  std::FILE* out = ::isatty(STDOUT_FILENO) ? stdout : stderr;
  std::string unavailable;
  const libedit::Api* ed = libedit::api(&unavailable);
  if (ed == nullptr) {
    std::cerr << "istio-lint simulate: no line editing (" << unavailable << "); reading plain lines\n";
    return runScriptedPrompt(stdin, session);
  }
  EditLine* el = ed->el_init("istio-lint", stdin, out, stderr);
  if (el == nullptr) return runScriptedPrompt(stdin, session);
  session.setInteractive(true);
  History* hist = ed->history_init();
  HistEvent ev;
  ed->history(hist, &ev, H_SETSIZE, static_cast<int>(kMaxHistoryEntries));
  EditorState state{&session, out};
  ed->el_set(el, EL_EDITOR, "emacs");
  ed->el_set(el, EL_SIGNAL, 1);
  ed->el_set(el, EL_PROMPT, &promptText);
  ed->el_set(el, EL_HIST, ed->history, hist);
  ed->el_set(el, EL_CLIENTDATA, &state);
  ed->el_set(el, EL_ADDFN, "istio-lint-complete", "complete a host, gateway, workload or keyword", &completeKey);
  ed->el_set(el, EL_BIND, "^I", "istio-lint-complete", nullptr);
  ed->el_source(el, nullptr);  // ~/.editrc, as for other libedit programs

  std::string path = historyPath(std::getenv("HOME"));
  std::string error;
  for (const std::string& e : loadHistory(path, error)) {
    if (session.remember(e)) ed->history(hist, &ev, H_ENTER, e.c_str());
  }
  if (!error.empty()) {
    std::cerr << "istio-lint simulate: " << error << "; the history is kept for this session only\n";
    path.clear();
  }
  const size_t gateways = session.models().gatewayCount(), sidecars = session.models().sidecarWorkloads().size();
  std::cerr << "Routing model: " << gateways << " gateway" << (gateways == 1 ? "" : "s") << "; " << sidecars
            << " workload" << (sidecars == 1 ? "" : "s") << " with a sidecar (compiled when a line first enters it).\n"
            << "One request per line; `help` for the syntax, Tab to complete, Ctrl-D or `quit` to leave.\n";
  for (;;) {
    int count = 0;
    const char* raw = ed->el_gets(el, &count);
    if (raw == nullptr || count <= 0) {
      std::fputs("\n", out);
      break;
    }
    std::string line(raw, static_cast<size_t>(count));
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (session.remember(line)) {
      ed->history(hist, &ev, H_ENTER, line.c_str());
      if (!path.empty() && !appendHistory(path, line, error)) {
        std::cerr << "istio-lint simulate: " << error << "; the history is kept for this session only\n";
        path.clear();
      }
    }
    if (!session.handle(line)) break;
    std::cout.flush();
  }
  ed->history_end(hist);
  ed->el_end(el);
  return kExitOk;
}

}  // namespace istio_lint::cli
