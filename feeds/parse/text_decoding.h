// feeds/parse/text_decoding.h
//
// Legacy encodings. A file that is not valid UTF-8 was most likely saved in
// a legacy charset (a Cyrillic export in Windows-1251, a Western one in
// Windows-1252): its charset is detected (uchardet) or taken from the
// configuration, and it is converted to UTF-8 (iconv). Without this every
// letter outside ASCII would become U+FFFD.

#ifndef FEEDD_FEEDS_PARSE_TEXT_DECODING_H_
#define FEEDD_FEEDS_PARSE_TEXT_DECODING_H_

#include <optional>
#include <string>
#include <string_view>

namespace feedd {

struct Decoded {
  std::string text;     ///< UTF-8
  std::string charset;  ///< what it was decoded from, e.g. "WINDOWS-1251"
};

/// |bytes| (not valid UTF-8) converted to UTF-8 from |charset| when given,
/// else from the charset uchardet detects. nullopt when no charset is found
/// or the conversion fails; bytes the charset does not define are dropped.
std::optional<Decoded> DecodeLegacy(std::string_view bytes, const std::string& charset);

/// Whether iconv knows |charset| (for validating configuration).
bool KnownCharset(const std::string& charset);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_TEXT_DECODING_H_
