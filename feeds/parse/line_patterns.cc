#include "feeds/parse/line_patterns.h"

#include <re2/re2.h>

#include <algorithm>

namespace feedd {
namespace {

RE2::Options Options() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  return options;
}

}  // namespace

bool LinePatterns::Compile(std::vector<std::string> sources, std::size_t* bad, std::string* error) {
  std::vector<std::shared_ptr<const re2::RE2>> each;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto re = std::make_shared<const re2::RE2>(sources[i], Options());
    if (!re->ok()) {
      *bad = i;
      *error = re->error();
      return false;
    }
    each.push_back(std::move(re));
  }
  sources_ = std::move(sources);
  each_ = std::move(each);
  return true;
}

bool LinePatterns::MatchesLine(std::string_view line) const {
  const re2::StringPiece input(line.data(), line.size());
  for (const auto& re : each_) {
    if (re2::RE2::PartialMatch(input, *re)) return true;
  }
  return false;
}

bool Boilerplate::SetCutFrom(std::vector<std::string> sources, std::size_t* bad,
                             std::string* error) {
  return Set(&cut_from_, std::move(sources), bad, error);
}

bool Boilerplate::SetDropLines(std::vector<std::string> sources, std::size_t* bad,
                               std::string* error) {
  return Set(&drop_lines_, std::move(sources), bad, error);
}

bool Boilerplate::Set(LinePatterns* list, std::vector<std::string> sources, std::size_t* bad,
                      std::string* error) {
  LinePatterns previous = *list;
  if (!list->Compile(std::move(sources), bad, error)) return false;
  if (Prepare(error)) return true;
  *bad = list->sources().size() - 1;
  *list = std::move(previous);
  return false;
}

bool Boilerplate::Prepare(std::string* error) {
  std::vector<std::shared_ptr<const re2::RE2>> search;
  for (const LinePatterns* list : {&cut_from_, &drop_lines_}) {
    for (const std::string& source : list->sources()) {
      // Without its leading "^" a pattern matches wherever it did and more;
      // the line check restores exactness, and RE2 can then jump to a
      // literal start instead of stepping through every byte.
      const bool anchored = source.size() > 1 && source[0] == '^' && source[1] != '*' &&
                            source[1] != '+' && source[1] != '?' && source[1] != '{';
      auto re = std::make_shared<const re2::RE2>(
          "(?m)(?:" + (anchored ? source.substr(1) : source) + ")", Options());
      if (!re->ok()) {
        *error = re->error();
        return false;
      }
      search.push_back(std::move(re));
    }
  }
  search_ = std::move(search);
  return true;
}

Boilerplate::Found Boilerplate::Find(std::string_view text) const {
  Found found;
  if (search_.empty()) return found;
  constexpr std::size_t kNone = std::string_view::npos;
  const re2::StringPiece input(text.data(), text.size());
  // Where each pattern next matches at or after |from|; kNone for never.
  std::vector<std::size_t> next(search_.size(), 0);
  auto seek = [&](std::size_t i, std::size_t from) {
    re2::StringPiece match;
    next[i] = from <= text.size() &&
                      search_[i]->Match(input, from, text.size(), re2::RE2::UNANCHORED, &match, 1)
                  ? static_cast<std::size_t>(match.data() - text.data())
                  : kNone;
  };
  for (std::size_t i = 0; i < search_.size(); ++i) seek(i, 0);
  for (;;) {
    const std::size_t at = *std::min_element(next.begin(), next.end());
    if (at == kNone) break;
    // The line holding the match's first character (or, for an empty match
    // right after a '\n', the line that starts there).
    std::size_t start = at == 0 ? kNone : text.rfind('\n', at - 1);
    start = start == kNone ? 0 : start + 1;
    std::size_t end = text.find('\n', start);
    if (end == kNone) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (cut_from_.MatchesLine(line)) {
      found.cut = start;
      break;
    }
    if (drop_lines_.MatchesLine(line)) found.dropped.push_back(start);
    for (std::size_t i = 0; i < search_.size(); ++i) {
      if (next[i] <= end) seek(i, end + 1);
    }
  }
  return found;
}

}  // namespace feedd
