#include "feeds/parse/text_decoding.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <cerrno>
#include <memory>

namespace feedd {
namespace {

std::string Detect(std::string_view bytes) {
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> detector(
      uchardet_new(), uchardet_delete);
  if (!detector || uchardet_handle_data(detector.get(), bytes.data(), bytes.size()) != 0) {
    return "";
  }
  uchardet_data_end(detector.get());
  const char* charset = uchardet_get_charset(detector.get());
  return charset ? charset : "";
}

std::optional<std::string> Convert(std::string_view bytes, const std::string& charset) {
  const iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.resize(bytes.size() * 4 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* to = out.data();
  std::size_t to_left = out.size();
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &to, &to_left) != static_cast<std::size_t>(-1)) continue;
    if (errno == EILSEQ || errno == EINVAL) {  // undefined in the charset, or cut short
      ++in;
      --in_left;
      continue;
    }
    iconv_close(cd);
    return std::nullopt;  // E2BIG cannot happen at four bytes per byte
  }
  iconv_close(cd);
  out.resize(out.size() - to_left);
  return out;
}

}  // namespace

bool KnownCharset(const std::string& charset) {
  const iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  iconv_close(cd);
  return true;
}

std::optional<Decoded> DecodeLegacy(std::string_view bytes, const std::string& charset) {
  Decoded decoded;
  decoded.charset = charset.empty() ? Detect(bytes) : charset;
  // uchardet answers ASCII or UTF-8 for text that is neither here (it saw
  // the invalid bytes): no charset to decode from.
  if (decoded.charset.empty() || decoded.charset == "ASCII" || decoded.charset == "UTF-8") {
    return std::nullopt;
  }
  std::optional<std::string> text = Convert(bytes, decoded.charset);
  if (!text) return std::nullopt;
  decoded.text = std::move(*text);
  return decoded;
}

}  // namespace feedd
