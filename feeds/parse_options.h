// feeds/parse_options.h
//
// How articles are read: the agency text rules (roles, subheading length,
// boilerplate patterns) and the limits every file must meet. The config
// loader fills this from [articles] and [agency]; the defaults here are the
// built-in ones used without a config file.

#ifndef FEEDD_FEEDS_PARSE_OPTIONS_H_
#define FEEDD_FEEDS_PARSE_OPTIONS_H_

#include <cstddef>
#include <regex>
#include <string>
#include <vector>

namespace feedd {

/// A regular expression (ECMAScript syntax) matched anywhere in a line.
struct LinePattern {
  std::string source;
  std::regex regex;

  /// Throws std::regex_error when |source| is not a valid expression.
  explicit LinePattern(std::string src)
      : source(std::move(src)), regex(source, std::regex::ECMAScript | std::regex::optimize) {}
  bool Matches(const std::string& line) const { return std::regex_search(line, regex); }
};

struct AgencyRules {
  /// A byline ending in one of these is split into name and role
  /// (case-insensitive; the longest match wins).
  std::vector<std::string> roles = {"Editor-in-Chief", "Deputy Editor-in-Chief",
                                    "Managing Editor", "Executive Editor",
                                    "Senior Editor",   "News Editor",
                                    "Editor",          "Special Correspondent",
                                    "Correspondent",   "Senior Reporter",
                                    "Reporter",        "Columnist",
                                    "Staff Writer",    "Contributor",
                                    "Photographer",    "Analyst",
                                    "Observer"};
  /// A body line of at most this many words, without final punctuation,
  /// followed by a paragraph, is a subheading.
  int subheading_max_words = 12;
  /// The first body line matching any of these, and everything after it, is
  /// dropped (site footers).
  std::vector<LinePattern> cut_from;
  /// Body lines matching any of these are dropped.
  std::vector<LinePattern> drop_lines;
};

struct ParseOptions {
  AgencyRules agency;
  /// Files larger than this are reported and skipped. Default: 4 MiB.
  std::size_t max_file_size = 4 * 1024 * 1024;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_OPTIONS_H_
