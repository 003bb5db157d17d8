// feeds/core/unix_time.h
//
// Time as feedd keeps it: whole seconds since 1970-01-01 UTC. Its own header
// so that code needing only the type (dates, HTTP, pings) does not pull in
// the article model.

#ifndef FEEDD_FEEDS_CORE_UNIX_TIME_H_
#define FEEDD_FEEDS_CORE_UNIX_TIME_H_

#include <cstdint>

namespace feedd {

using UnixTime = std::int64_t;

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_UNIX_TIME_H_
