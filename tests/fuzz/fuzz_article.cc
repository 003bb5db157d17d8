// libFuzzer target: any bytes as an article file, agency text or Markdown
// (with YAML or TOML front matter), read to full depth. Must never crash,
// hang or leak; a problem is a value.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/parse/article_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the format; the rest is the file.
  const std::string path = data[0] & 1 ? "world/fuzz.md" : "world/fuzz.txt";
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  static const feedd::ParseOptions options = [] {
    feedd::ParseOptions o;
    std::size_t bad;
    std::string error;
    o.agency.boilerplate.SetCutFrom({"^Agency is registered"}, &bad, &error);
    o.agency.boilerplate.SetDropLines({"^Theme$", "©"}, &bad, &error);
    return o;
  }();
  feedd::ParseArticleFile(path, bytes, options, feedd::ParseDepth::kFull);
  feedd::ParseArticleFile(path, bytes, options, feedd::ParseDepth::kMetadata);
  return 0;
}
