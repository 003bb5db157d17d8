// feeds/core/text_util.h
//
// Small string helpers shared by the parsers: trimming, word counts,
// splitting lists, ASCII case folding.

#ifndef FEEDD_FEEDS_CORE_TEXT_UTIL_H_
#define FEEDD_FEEDS_CORE_TEXT_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace feedd {

std::string_view Trim(std::string_view s);
std::string AsciiLower(std::string_view s);
/// |a| == |b| with A-Z and a-z the same; other bytes compared as they are.
bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);
/// Words (runs of non-blanks) in |s|; counting stops once it passes
/// |stop_after|, so the result is then stop_after + 1.
int CountWords(std::string_view s, int stop_after = 1 << 30);
/// |s| on one line and in UTF-8: control characters and bytes that are not
/// UTF-8 written as escapes ("\n", "\t", "\x1b", "\xe9"), so text from a
/// file (or a file name from a legacy share) cannot forge a line of a log
/// or a report, nor make it undecodable.
std::string EscapeControls(std::string_view s);

/// Decodes one UTF-8 sequence at |s[i]| into |cp|. Returns its length, or
/// 0 when the bytes there are not a valid, shortest-form sequence.
std::size_t DecodeUtf8(std::string_view s, std::size_t i, std::uint32_t* cp);
/// Splits on |sep|, trims each part and drops empty ones.
std::vector<std::string> SplitList(std::string_view s, char sep);
/// Replaces every occurrence of |from| in |s|.
void ReplaceAll(std::string* s, std::string_view from, const std::string& to);
/// True when |s| ends with sentence punctuation, looking past closing quotes
/// and brackets: "." "!" "?" "…" ":" ";" ",".
bool EndsWithSentencePunctuation(std::string_view s);

/// Lower-case, '-' for anything that is not a letter or digit: "World News" -> "world-news".
/// Letters outside ASCII are kept. '+' and '#' are words of their own,
/// "plus" and "sharp": "C++" -> "c-plus-plus", "C#" -> "c-sharp", "C" -> "c".
/// Leading and trailing separators are dropped, runs of them are one '-'.
std::string Slugify(std::string_view text);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_TEXT_UTIL_H_
