// feeds/parse/markdown_parser.h
//
// Reads Markdown articles with YAML ("---") or TOML ("+++") front matter,
// the Hugo/Jekyll convention. The body is CommonMark with GitHub's tables,
// strikethrough and autolinks, rendered by md4c. Without a front matter
// title, a leading "# Heading" is the title (and is not repeated in the
// content); without a summary, the first paragraph's text is.

#ifndef FEEDD_FEEDS_PARSE_MARKDOWN_PARSER_H_
#define FEEDD_FEEDS_PARSE_MARKDOWN_PARSER_H_

#include <optional>
#include <string>
#include <string_view>

#include "feeds/core/article.h"
#include "feeds/core/problem.h"
#include "feeds/parse/parse_options.h"

namespace feedd {

/// Parses |text| (sanitized, "\n" line ends) read from |file|, to |depth|
/// (kMetadata skips rendering the body). Returns nullopt with an error in
/// |problems| when the front matter is broken or there is no title.
std::optional<Article> ParseMarkdown(std::string_view text, const std::string& file,
                                     ParseDepth depth, Problems* problems);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_MARKDOWN_PARSER_H_
