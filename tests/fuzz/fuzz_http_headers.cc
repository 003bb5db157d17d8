// libFuzzer target: the header values feedd decides on by itself:
// Accept-Encoding, If-None-Match, If-Modified-Since.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "daemon/http/negotiation.h"
#include "feeds/core/dates.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = text.find('\n');
  const std::string_view first = text.substr(0, cut);
  const std::string_view rest = cut == std::string_view::npos ? "" : text.substr(cut + 1);
  feedd::http::ChooseCoding(first);
  feedd::http::IfNoneMatchHits(first, "\"0123456789abcdef\"");
  feedd::ParseHttpDate(first);
  feedd::http::NotModified(first, rest, "\"0123456789abcdef-gz\"", 1772323200);
  feedd::http::NotModified(std::nullopt, rest, "\"x\"", 1772323200);
  return 0;
}
