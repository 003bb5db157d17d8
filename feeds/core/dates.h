// feeds/core/dates.h
//
// The date formats feeds use, and the ones editors write in front matter.
// All times are UTC seconds; output is always UTC, so it does not depend on
// the machine's time zone.

#ifndef FEEDD_FEEDS_CORE_DATES_H_
#define FEEDD_FEEDS_CORE_DATES_H_

#include <optional>
#include <string>
#include <string_view>

#include "feeds/core/unix_time.h"

namespace feedd {

/// Accepts "2026-03-01", "2026-03-01 14:30[:05]", "2026-03-01T14:30[:05][.123]"
/// each optionally followed by "Z" or "+06:00"/"-0500". A time without a zone
/// is UTC. Returns nullopt for anything else, or an impossible date.
std::optional<UnixTime> ParseDate(std::string_view text);

/// RFC 822 as RSS 2.0 wants it, four-digit year: "Sat, 07 Sep 2002 09:42:31 +0000".
std::string FormatRfc822(UnixTime t);

/// RFC 3339 in UTC, as Atom and JSON Feed want it: "2002-09-07T09:42:31Z".
std::string FormatRfc3339(UnixTime t);

/// For people reading a page: "7 Sep 2002, 09:42 UTC".
std::string FormatReadable(UnixTime t);

/// IMF-fixdate for HTTP headers: "Sat, 07 Sep 2002 09:42:31 GMT".
std::string FormatHttpDate(UnixTime t);

/// An HTTP date (RFC 9110 §5.6.7) in any of its three forms: IMF-fixdate
/// ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94
/// 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"), whatever the
/// machine's locale. Nothing for anything else.
std::optional<UnixTime> ParseHttpDate(std::string_view text);

/// A calendar month (UTC) as a number: year * 12 + month - 1.
using Month = int;
Month MonthOf(UnixTime t);
/// "2026-03".
std::string MonthName(Month month);
/// The month "2026-03" names; nullopt for anything else.
std::optional<Month> ParseMonthName(std::string_view name);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_DATES_H_
