// libFuzzer target: any text as the TOML configuration. A bad config is a
// ConfigError naming a line, never a crash.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    feedd::LoadConfigFromString(text, "fuzz.toml", "/nonexistent");
  } catch (const feedd::ConfigError&) {
  }
  return 0;
}
