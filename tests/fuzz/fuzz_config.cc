// libFuzzer target: any text as the TOML configuration. A bad config is an
// error naming the file and line, never a crash or an exception.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const feedd::Result<feedd::Config> config =
      feedd::LoadConfigFromString(text, "fuzz.toml", "/nonexistent");
  if (!config.ok() && config.status().message().rfind("fuzz.toml", 0) != 0) __builtin_trap();
  return 0;
}
