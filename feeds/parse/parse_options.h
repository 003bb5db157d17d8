// feeds/parse/parse_options.h
//
// How articles are read: the agency text rules (roles, subheading length,
// boilerplate patterns) and the limits every file must meet. The config
// loader fills this from [articles] and [agency]; the defaults here are the
// built-in ones used without a config file.

#ifndef FEEDD_FEEDS_PARSE_PARSE_OPTIONS_H_
#define FEEDD_FEEDS_PARSE_PARSE_OPTIONS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "feeds/parse/line_patterns.h"

namespace feedd {

/// How much of an article a parser reads. The index needs the metadata and
/// a hash of the body; a feed that shows the article needs its summary and
/// HTML content too.
enum class ParseDepth { kMetadata, kFull };

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
  /// Site boilerplate, patterns in RE2 syntax searched in each trimmed body
  /// line: the first line matching a cut_from pattern, and everything after
  /// it, is dropped (site footers); lines matching drop_lines are dropped.
  Boilerplate boilerplate;
};

struct ParseOptions {
  AgencyRules agency;
  /// Files larger than this are reported and skipped. Default: 4 MiB.
  std::size_t max_file_size = 4 * 1024 * 1024;
  /// The charset of files that are not valid UTF-8 (an iconv name such as
  /// "WINDOWS-1251"). Empty: detect each file's (uchardet). Default: empty.
  std::string fallback_encoding;
  /// At most this many authors, categories and tags per article; the rest
  /// are dropped with a warning naming the file. Each author and category
  /// has a feed of its own that shows the article, so without a limit one
  /// file with thousands of names would write gigabytes.
  /// Defaults: 20, 20, 50.
  int max_authors = 20;
  int max_categories = 20;
  int max_tags = 50;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_PARSE_OPTIONS_H_
