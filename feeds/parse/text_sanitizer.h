// feeds/parse/text_sanitizer.h
//
// Makes text safe to publish: invalid UTF-8 and the characters a feed must
// not carry are removed: those XML 1.0 forbids (C0 controls other than tab,
// LF and CR; surrogates; U+FFFE, U+FFFF), the C1 controls (U+0080-U+009F),
// the other noncharacters (U+FDD0-U+FDEF, U+nFFFE, U+nFFFF) and U+FFFD, the
// replacement character, which marks text lost before feedd saw it.
// SanitizeText() repairs raw file bytes (CRLF and lone CR become LF) and
// reports every line it repaired, so the caller can warn with file and line;
// CleanDecodedText() repairs a field after the parsers decoded references and
// escapes, which can produce such characters again.

#ifndef FEEDD_FEEDS_PARSE_TEXT_SANITIZER_H_
#define FEEDD_FEEDS_PARSE_TEXT_SANITIZER_H_

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

/// True when |text| is valid UTF-8 (whatever characters it holds).
bool IsValidUtf8(std::string_view text);

/// Removes what a feed must not carry from |text|, invalid UTF-8 included
/// (CR is kept); true when it changed anything.
bool CleanDecodedText(std::string* text);

/// True when |text| has a NUL byte in its first 8 KiB, the usual sign of a
/// binary file.
bool LooksBinary(std::string_view text);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_TEXT_SANITIZER_H_
