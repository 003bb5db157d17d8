// feeds/parse/line_patterns.h
//
// Regular expressions (RE2 syntax) searched in single lines, as the agency
// rules `cut_from` and `drop_lines` use them. RE2 matches in time linear in
// the input and never recurses per character, so no line, however long, and
// no pattern, however nested, can overflow the stack.
//
// Boilerplate searches a whole body at once instead of line by line: each
// pattern is looked for in the whole text (a leading "^" dropped, which only
// finds more), and each line found is confirmed with the patterns as
// written. RE2 skips through text at memchr speed to a pattern's literal
// start, so "^Theme$" and "^Footer text" cost little, where an alternation
// such as "^(Theme|Autoreload)$" is stepped through byte by byte. "^" and "$"
// match at the start and end of each line.
//
// Thread safety: immutable after Set*(); share freely.

#ifndef FEEDD_FEEDS_PARSE_LINE_PATTERNS_H_
#define FEEDD_FEEDS_PARSE_LINE_PATTERNS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace feedd {

/// One list of patterns.
class LinePatterns {
 public:
  /// Compiles |sources|. On a pattern RE2 rejects, returns false with its
  /// index in |bad| and RE2's reason in |error|, and leaves this unchanged.
  bool Compile(std::vector<std::string> sources, std::size_t* bad, std::string* error);

  const std::vector<std::string>& sources() const { return sources_; }
  bool empty() const { return sources_.empty(); }

  /// Whether any pattern matches somewhere in |line| (which holds no '\n').
  bool MatchesLine(std::string_view line) const;

 private:
  std::vector<std::string> sources_;
  std::vector<std::shared_ptr<const re2::RE2>> each_;
};

/// cut_from and drop_lines together.
class Boilerplate {
 public:
  /// Replace one list; false (nothing changed) as LinePatterns::Compile().
  bool SetCutFrom(std::vector<std::string> sources, std::size_t* bad, std::string* error);
  bool SetDropLines(std::vector<std::string> sources, std::size_t* bad, std::string* error);

  const LinePatterns& cut_from() const { return cut_from_; }
  const LinePatterns& drop_lines() const { return drop_lines_; }

  struct Found {
    /// Offset of the first line matching cut_from; npos when none does.
    std::size_t cut = std::string_view::npos;
    /// Offsets of the lines before the cut that match drop_lines, ascending.
    std::vector<std::size_t> dropped;
  };
  /// Searches |text|, lines separated by '\n'.
  Found Find(std::string_view text) const;

 private:
  bool Set(LinePatterns* list, std::vector<std::string> sources, std::size_t* bad,
           std::string* error);
  bool Prepare(std::string* error);

  LinePatterns cut_from_;
  LinePatterns drop_lines_;
  std::vector<std::shared_ptr<const re2::RE2>> search_;  // every pattern, multi-line, for a body
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_LINE_PATTERNS_H_
