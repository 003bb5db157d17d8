#include "daemon/http/access_log.h"

#include <cstdio>
#include <ctime>

namespace feedd::http {
namespace {

// A client-supplied field: quotes, backslashes, controls and bytes above
// ASCII as \xHH, as nginx writes them.
void AppendEscaped(std::string* out, std::string_view text) {
  for (unsigned char c : text) {
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out->append(hex);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

void AppendQuotedOrDash(std::string* out, std::string_view text) {
  out->push_back('"');
  if (text.empty()) {
    out->push_back('-');
  } else {
    AppendEscaped(out, text);
  }
  out->push_back('"');
}

}  // namespace

std::string FormatAccessLine(const AccessRecord& r) {
  std::string line;
  line.reserve(160 + r.target.size() + r.user_agent.size());
  line.append(r.client.empty() ? "-" : r.client).append(" - - [");
  const std::time_t t = static_cast<std::time_t>(r.time);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char when[40];
  std::snprintf(when, sizeof when, "%02d/%s/%04d:%02d:%02d:%02d +0000", tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  line.append(when).append("] \"");
  if (r.method.empty()) {
    line.push_back('-');
  } else {
    AppendEscaped(&line, r.method);
    line.push_back(' ');
    AppendEscaped(&line, r.target);
    line.append(r.version == 10 ? " HTTP/1.0" : " HTTP/1.1");
  }
  line.append("\" ").append(std::to_string(r.status)).append(" ");
  line.append(std::to_string(r.body_bytes)).append(" ");
  AppendQuotedOrDash(&line, r.referer);
  line.push_back(' ');
  AppendQuotedOrDash(&line, r.user_agent);
  return line;
}

}  // namespace feedd::http
