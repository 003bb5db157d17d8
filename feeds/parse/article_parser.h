// feeds/parse/article_parser.h
//
// The one entry point from file bytes to an Article (which files are
// articles is feeds/input/article_format.h): refuses what cannot be published (too large,
// empty, binary), repairs text (invalid UTF-8, XML-forbidden characters) with
// a warning per line, picks the parser by extension and fills the category
// from the first subfolder when the file names none.

#ifndef FEEDD_FEEDS_PARSE_ARTICLE_PARSER_H_
#define FEEDD_FEEDS_PARSE_ARTICLE_PARSER_H_

#include <optional>
#include <string>
#include <string_view>

#include "feeds/core/article.h"
#include "feeds/core/problem.h"
#include "feeds/input/article_format.h"
#include "feeds/parse/parse_options.h"

namespace feedd {

/// The warning for characters that appear only once references and escapes
/// are decoded; at ParseDepth::kFull a body can add it.
inline constexpr std::string_view kDecodedCharactersRemoved =
    "characters a feed cannot carry (from references or escapes) were removed";

struct ParsedFile {
  std::optional<Article> article;  ///< nullopt when the file cannot be published
  Problems problems;               ///< errors (when no article) and warnings
};

/// Parses |bytes| read from |rel_path| (relative to the articles directory)
/// to |depth|. REQUIRES: FormatForPath(rel_path) != kIgnored.
ParsedFile ParseArticleFile(const std::string& rel_path, std::string_view bytes,
                            const ParseOptions& options, ParseDepth depth = ParseDepth::kFull);

/// A fingerprint of how files are read: the parse options and the parsers'
/// own version. Metadata stored under another fingerprint is stale.
std::string ParseFingerprint(const ParseOptions& options);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_ARTICLE_PARSER_H_
