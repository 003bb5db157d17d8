// feeds/text_sanitizer.h
//
// Makes raw file bytes safe to publish: invalid UTF-8 becomes U+FFFD and
// characters XML 1.0 forbids (C0 controls other than tab, LF and CR; lone
// surrogates; U+FFFE, U+FFFF) are removed. CRLF and lone CR line ends become
// LF. Every line that needed a repair is reported, so the caller can warn with
// file and line.

#ifndef FEEDD_FEEDS_TEXT_SANITIZER_H_
#define FEEDD_FEEDS_TEXT_SANITIZER_H_

#include <string>
#include <string_view>
#include <vector>

namespace feedd {

struct SanitizedText {
  std::string text;
  std::vector<int> lines_with_invalid_utf8;     ///< 1-based, ascending
  std::vector<int> lines_with_forbidden_chars;  ///< 1-based, ascending
};

SanitizedText SanitizeText(std::string_view raw);

/// True when SanitizeText() would change nothing: valid UTF-8, only
/// characters XML allows, no CR. Most files are like this, and checking is
/// much cheaper than repairing.
bool IsCleanText(std::string_view raw);

/// True when |text| has a NUL byte in its first 8 KiB, the usual sign of a
/// binary file.
bool LooksBinary(std::string_view text);

}  // namespace feedd

#endif  // FEEDD_FEEDS_TEXT_SANITIZER_H_
