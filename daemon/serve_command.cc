// `feedd serve`: the long-running daemon. See daemon/commands.h and
// daemon/daemon.h, which owns its parts.

#include "daemon/commands.h"
#include "daemon/daemon.h"

namespace feedd {

int RunServe(const Config& config, ReloadConfig reload, std::ostream& err) {
  Daemon daemon(config, std::move(reload));
  return daemon.Run(err);
}

}  // namespace feedd
