// `feedd serve`: the long-running daemon. See daemon/cli/commands.h and
// daemon/serve/daemon.h, which owns its parts.

#include "daemon/cli/commands.h"
#include "daemon/serve/daemon.h"

namespace feedd {

int RunServe(const Config& config, ReloadConfig reload, std::ostream& err) {
  Daemon daemon(config, std::move(reload));
  return daemon.Run(err);
}

}  // namespace feedd
