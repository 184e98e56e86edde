#include "model/json_string.h"

#include "model/utf8.h"

namespace istio_lint::model {

void appendJsonString(std::string& out, std::string_view raw) {
  std::string repaired;
  std::string_view s = raw;
  if (!isValidUtf8(s)) s = repaired = toValidUtf8(raw);
  out += '"';
  size_t plain = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  }
  out.append(s, plain, s.size() - plain);
  out += '"';
}

}  // namespace istio_lint::model
