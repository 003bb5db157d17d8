#include "feeds/parse/text_sanitizer.h"

#include <cstdint>
#include <cstring>

#include "feeds/core/text_util.h"

namespace feedd {
namespace {

void AddLine(std::vector<int>* lines, int line) {
  if (lines->empty() || lines->back() != line) lines->push_back(line);
}

// Characters a feed may carry: what XML 1.0 allows, minus the C1 controls
// (U+0080-U+009F), the noncharacters (U+FDD0-U+FDEF and the last two of
// every plane) and U+FFFD, the mark of text already lost: no text means
// them, and the W3C feed validator flags them.
bool IsPublishable(std::uint32_t cp) {
  if (cp < 0x20) return cp == 0x9 || cp == 0xA || cp == 0xD;
  if (cp < 0x7F) return true;
  if (cp <= 0x9F) return cp == 0x7F;  // DEL is allowed; C1 is not
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  if (cp >= 0xFDD0 && cp <= 0xFDEF) return false;
  if ((cp & 0xFFFE) == 0xFFFE) return false;
  if (cp == 0xFFFD) return false;
  return cp <= 0x10FFFF;
}

}  // namespace

bool IsCleanText(std::string_view raw) {
  const std::size_t n = raw.size();
  std::size_t i = 0;
  while (i < n) {
    // Eight printable ASCII bytes at a time: no high bit, none below 0x20.
    if (i + 8 <= n) {
      std::uint64_t v;
      std::memcpy(&v, raw.data() + i, 8);
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      if ((v & kHigh) == 0 && ((v - 0x2020202020202020ULL) & ~v & kHigh) == 0) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c >= 0x20 && c < 0x80) {
      ++i;
      continue;
    }
    if (c == '\n' || c == '\t') {
      ++i;
      continue;
    }
    if (c < 0x80) return false;  // CR or another control character
    std::uint32_t cp = 0;
    const std::size_t len = DecodeUtf8(raw, i, &cp);
    if (len == 0 || !IsPublishable(cp)) return false;
    i += len;
  }
  return true;
}

SanitizedText SanitizeText(std::string_view raw) {
  SanitizedText out;
  out.text.reserve(raw.size());
  int line = 1;
  std::size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (c == '\r') {  // CRLF and lone CR both end a line
      out.text += '\n';
      ++line;
      i += (i + 1 < raw.size() && raw[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c == '\n') {
      out.text += '\n';
      ++line;
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = DecodeUtf8(raw, i, &cp);
    if (len == 0) {
      AddLine(&out.lines_with_invalid_utf8, line);
      ++i;
      continue;
    }
    if (!IsPublishable(cp)) {
      AddLine(&out.lines_with_forbidden_chars, line);
    } else {
      out.text.append(raw.substr(i, len));
    }
    i += len;
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool CleanDecodedText(std::string* text) {
  if (IsCleanText(*text)) return false;
  std::string out;
  out.reserve(text->size());
  bool changed = false;
  for (std::size_t i = 0; i < text->size();) {
    std::uint32_t cp = 0;
    const std::size_t len = DecodeUtf8(*text, i, &cp);
    if (len == 0) {
      changed = true;
      ++i;
      continue;
    }
    if (IsPublishable(cp) || cp == '\r') {
      out.append(*text, i, len);
    } else {
      changed = true;
    }
    i += len;
  }
  if (changed) text->swap(out);
  return changed;
}

bool LooksBinary(std::string_view text) {
  return text.substr(0, 8192).find('\0') != std::string_view::npos;
}

}  // namespace feedd
