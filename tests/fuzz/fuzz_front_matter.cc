// libFuzzer target: front matter alone, YAML or TOML, through the splitter
// and the field mapping.

#include <cstddef>
#include <cstdint>
#include <string>

#include "feeds/parse/front_matter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Front matter needs "\n" line ends (the sanitizer guarantees them).
  if (text.find('\r') != std::string::npos) return 0;
  const feedd::FrontMatterSplit split = feedd::SplitFrontMatter(text);
  feedd::Article article;
  feedd::Problems problems;
  try {
    feedd::ApplyFrontMatter(split, "fuzz.md", &article, &problems);
  } catch (const std::exception&) {
    // ParseArticleFile turns these into problems; none should get here,
    // but the contract is the whole parse's, so this is not a finding.
  }
  return 0;
}
