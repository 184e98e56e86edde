#pragma once

// Inline `# expect:` markers of fixture files, shared by the rule fixture harness
// (fixture_test.cc) and the scenario test (scenario_test.cc):
//
//   host: reviews-bogus   # expect: IST0101 Referenced host not found
//   # expect-next-line: IST0112 exposes multiple ports
//   # expect@+2: CODE optional message substring
//
// `# expect:` is a trailing comment on the line the finding points at; `# expect-next-line:` sits
// on its own line and means the next line that is not blank or a comment (so several can be
// stacked); `# expect@+N:` (or `@-N`) means N lines away. The text after the code, if any, must
// be a substring of the message.

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/catalog.h"

namespace istio_lint::testing {

/// "Now" for the certificate checks of every fixture and scenario, so that expiry findings do
/// not depend on today's date (model::CertificateOptions reads ISTIO_LINT_NOW).
inline constexpr const char* kFixtureNow = "2026-06-01T00:00:00Z";
inline bool setFixtureNow() { return ::setenv("ISTIO_LINT_NOW", kFixtureNow, 1) == 0; }

inline std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      if (!cur.empty() && cur.back() == '\r') cur.pop_back();
      lines.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) lines.push_back(std::move(cur));
  return lines;
}

inline std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

inline bool commentOrBlank(const std::string& line) {
  std::string t = trim(line);
  return t.empty() || t[0] == '#';
}

struct Marker {
  uint32_t at = 0;      // the line the marker is written on (1-based)
  uint32_t target = 0;  // the line the finding must point at
  rules::Code code{};
  std::string code_text;
  std::string text;     // message substring, may be empty
  bool matched = false;
};

/// Position of the next `#<spaces>expect` at or after `from`, or npos.
inline size_t findMarker(const std::string& line, size_t from) {
  for (size_t pos = line.find('#', from); pos != std::string::npos; pos = line.find('#', pos + 1)) {
    size_t p = line.find_first_not_of(" \t", pos + 1);
    if (p != std::string::npos && line.compare(p, 6, "expect") == 0) return pos;
  }
  return std::string::npos;
}

/// Parses every marker of a file; malformed ones become errors.
inline std::vector<Marker> parseMarkers(const std::vector<std::string>& lines, std::vector<std::string>& errors) {
  std::vector<Marker> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const uint32_t lineno = static_cast<uint32_t>(i + 1);
    for (size_t pos = findMarker(line, 0); pos != std::string::npos;) {
      size_t next = findMarker(line, pos + 1);
      std::string body = line.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
      size_t p = body.find("expect") + 6;
      auto bad = [&](const std::string& why) {
        errors.push_back(std::to_string(lineno) + ": malformed marker \"" + trim(body) + "\": " + why);
      };
      std::optional<int64_t> target;
      if (body.compare(p, 1, ":") == 0) {
        target = lineno;
        p += 1;
      } else if (body.compare(p, 11, "-next-line:") == 0) {
        p += 11;
        for (size_t j = i + 1; j < lines.size(); ++j) {
          if (!commentOrBlank(lines[j])) {
            target = static_cast<int64_t>(j + 1);
            break;
          }
        }
        if (!target) {
          bad("no line follows it");
          pos = next;
          continue;
        }
      } else if (body.compare(p, 1, "@") == 0) {
        size_t colon = body.find(':', p);
        std::string off = colon == std::string::npos ? "" : body.substr(p + 1, colon - p - 1);
        bool ok = off.size() >= 2 && (off[0] == '+' || off[0] == '-') &&
                  off.find_first_not_of("0123456789", 1) == std::string::npos;
        if (!ok) {
          bad("expected expect@+N: or expect@-N:");
          pos = next;
          continue;
        }
        target = static_cast<int64_t>(lineno) + std::stoll(off);
        if (*target < 1 || *target > static_cast<int64_t>(lines.size())) {
          bad("points outside the file");
          pos = next;
          continue;
        }
        p = colon + 1;
      } else {
        bad("expected `# expect:`, `# expect-next-line:` or `# expect@+N:`");
        pos = next;
        continue;
      }
      std::string payload = trim(body.substr(p));
      size_t sp = payload.find_first_of(" \t");
      Marker m;
      m.at = lineno;
      m.target = static_cast<uint32_t>(*target);
      m.code_text = payload.substr(0, sp);
      m.text = sp == std::string::npos ? "" : trim(payload.substr(sp));
      auto code = rules::codeFromString(m.code_text);
      if (m.code_text.empty() || !code) {
        bad("\"" + m.code_text + "\" is not a known code");
      } else {
        m.code = *code;
        out.push_back(std::move(m));
      }
      pos = next;
    }
  }
  return out;
}

}  // namespace istio_lint::testing
