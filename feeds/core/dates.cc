#include "feeds/core/dates.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace feedd {
namespace {

// Reads exactly |n| digits at |s[*pos]|.
bool Digits(std::string_view s, std::size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = s[*pos + k];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, std::size_t* pos, char c) {
  if (*pos < s.size() && s[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

std::string Format(UnixTime t, const char* fmt) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kLongDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads one of |names| at |s[*pos]|; its index, or -1.
int Name(std::string_view s, std::size_t* pos, const char* const* names, int count) {
  for (int i = 0; i < count; ++i) {
    const std::string_view name(names[i]);
    if (s.substr(*pos, name.size()) == name) {
      *pos += name.size();
      return i;
    }
  }
  return -1;
}

// Seconds since the epoch of a UTC calendar time; nothing for an impossible
// one (30 February).
std::optional<UnixTime> Utc(int year, int month, int day, int hour, int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t t = timegm(&tm);
  std::tm check{};
  gmtime_r(&t, &check);
  if (check.tm_mday != day) return std::nullopt;
  return static_cast<UnixTime>(t);
}

// "08:49:37"
bool Time(std::string_view s, std::size_t* pos, int* hour, int* minute, int* second) {
  return Digits(s, pos, 2, hour) && Expect(s, pos, ':') && Digits(s, pos, 2, minute) &&
         Expect(s, pos, ':') && Digits(s, pos, 2, second);
}

// strftime's %a and %b follow the C locale only when LC_TIME is "C"; feeds
// need the English names whatever the machine's locale, so spell them out.
std::string FormatEnglish(UnixTime t, const char* zone) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return std::string(kDays[tm.tm_wday]) + ", " + Format(t, "%d ") + kMonths[tm.tm_mon] +
         Format(t, " %Y %H:%M:%S ") + zone;
}

}  // namespace

std::optional<UnixTime> ParseDate(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::size_t pos = 0;
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!Digits(s, &pos, 4, &year) || !Expect(s, &pos, '-') || !Digits(s, &pos, 2, &month) ||
      !Expect(s, &pos, '-') || !Digits(s, &pos, 2, &day)) {
    return std::nullopt;
  }
  long offset_seconds = 0;
  if (pos < s.size()) {
    if (!Expect(s, &pos, 'T') && !Expect(s, &pos, 't') && !Expect(s, &pos, ' ')) {
      return std::nullopt;
    }
    if (!Digits(s, &pos, 2, &hour) || !Expect(s, &pos, ':') || !Digits(s, &pos, 2, &minute)) {
      return std::nullopt;
    }
    if (Expect(s, &pos, ':') && !Digits(s, &pos, 2, &second)) return std::nullopt;
    if (Expect(s, &pos, '.')) {  // fractional seconds are dropped
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    }
    if (pos < s.size() && s[pos] == ' ') ++pos;
    if (Expect(s, &pos, 'Z') || Expect(s, &pos, 'z')) {
      // UTC
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      const int sign = s[pos] == '-' ? -1 : 1;
      ++pos;
      int oh, om;
      if (!Digits(s, &pos, 2, &oh)) return std::nullopt;
      Expect(s, &pos, ':');
      if (!Digits(s, &pos, 2, &om)) return std::nullopt;
      offset_seconds = sign * (oh * 3600L + om * 60L);
    }
    if (pos != s.size()) return std::nullopt;
  }
  const std::optional<UnixTime> t = Utc(year, month, day, hour, minute, second);
  if (!t) return std::nullopt;  // 2026-02-30 and the like
  return *t - offset_seconds;
}

std::string FormatRfc822(UnixTime t) { return FormatEnglish(t, "+0000"); }

std::string FormatRfc3339(UnixTime t) { return Format(t, "%Y-%m-%dT%H:%M:%SZ"); }

std::string FormatHttpDate(UnixTime t) { return FormatEnglish(t, "GMT"); }

std::string FormatReadable(UnixTime t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return std::to_string(tm.tm_mday) + " " + kMonths[tm.tm_mon] + Format(t, " %Y, %H:%M UTC");
}

std::optional<UnixTime> ParseHttpDate(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  int day = 0, month = 0, year = 0, hour = 0, minute = 0, second = 0;
  std::size_t pos = 0;
  // Sun, 06 Nov 1994 08:49:37 GMT (IMF-fixdate)
  if (Name(s, &pos, kDays, 7) >= 0 && Expect(s, &pos, ',') && Expect(s, &pos, ' ') &&
      Digits(s, &pos, 2, &day) && Expect(s, &pos, ' ') &&
      (month = Name(s, &pos, kMonths, 12) + 1) > 0 && Expect(s, &pos, ' ') &&
      Digits(s, &pos, 4, &year) && Expect(s, &pos, ' ') && Time(s, &pos, &hour, &minute, &second) &&
      s.substr(pos) == " GMT") {
    return Utc(year, month, day, hour, minute, second);
  }
  // Sunday, 06-Nov-94 08:49:37 GMT (RFC 850; a two-digit year is taken as
  // 1970-2069)
  pos = 0;
  if (Name(s, &pos, kLongDays, 7) >= 0 && Expect(s, &pos, ',') && Expect(s, &pos, ' ') &&
      Digits(s, &pos, 2, &day) && Expect(s, &pos, '-') &&
      (month = Name(s, &pos, kMonths, 12) + 1) > 0 && Expect(s, &pos, '-') &&
      Digits(s, &pos, 2, &year) && Expect(s, &pos, ' ') && Time(s, &pos, &hour, &minute, &second) &&
      s.substr(pos) == " GMT") {
    return Utc(year < 70 ? 2000 + year : 1900 + year, month, day, hour, minute, second);
  }
  // Sun Nov  6 08:49:37 1994 (asctime)
  pos = 0;
  if (Name(s, &pos, kDays, 7) >= 0 && Expect(s, &pos, ' ') &&
      (month = Name(s, &pos, kMonths, 12) + 1) > 0 && Expect(s, &pos, ' ')) {
    int tens = 0;
    const bool ok = Expect(s, &pos, ' ') ? Digits(s, &pos, 1, &day)
                                         : (Digits(s, &pos, 2, &tens) && (day = tens, true));
    if (ok && Expect(s, &pos, ' ') && Time(s, &pos, &hour, &minute, &second) &&
        Expect(s, &pos, ' ') && Digits(s, &pos, 4, &year) && pos == s.size()) {
      return Utc(year, month, day, hour, minute, second);
    }
  }
  return std::nullopt;
}

Month MonthOf(UnixTime t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

std::string MonthName(Month month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", month / 12, month % 12 + 1);
  return buf;
}

std::optional<Month> ParseMonthName(std::string_view name) {
  if (name.size() != 7 || name[4] != '-') return std::nullopt;
  int year = 0, mon = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    (i < 4 ? year : mon) = (i < 4 ? year : mon) * 10 + (name[i] - '0');
  }
  if (mon < 1 || mon > 12) return std::nullopt;
  return year * 12 + mon - 1;
}

}  // namespace feedd
