#include "config/config.h"

#include <cstdlib>

namespace feedd {

Config DefaultConfig() {
  Config config;
  const char* systemd_state = std::getenv("STATE_DIRECTORY");
  config.state_dir = systemd_state && *systemd_state ? systemd_state : "/var/lib/feedd";
  return config;
}

}  // namespace feedd
