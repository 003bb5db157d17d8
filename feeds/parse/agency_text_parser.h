// feeds/parse/agency_text_parser.h
//
// Reads the news agency plain-text export (docs/formats.md "Agency plain
// text"): title line, a header block (view counter, byline with role, photo
// credit, Key: value lines), then paragraphs with short unpunctuated lines
// as subheadings, minus the site's boilerplate. Optional YAML front matter
// wins over anything inferred.

#ifndef FEEDD_FEEDS_PARSE_AGENCY_TEXT_PARSER_H_
#define FEEDD_FEEDS_PARSE_AGENCY_TEXT_PARSER_H_

#include <optional>
#include <string>
#include <string_view>

#include "feeds/core/article.h"
#include "feeds/core/problem.h"
#include "feeds/parse/parse_options.h"

namespace feedd {

/// Parses |text| (sanitized, "\n" line ends) read from |file|, to |depth|.
/// Returns the article, or nullopt with an error in |problems| when it has no
/// title or its front matter or header lines are broken.
std::optional<Article> ParseAgencyText(std::string_view text, const std::string& file,
                                       const AgencyRules& rules, ParseDepth depth,
                                       Problems* problems);

/// Splits "Arman Korzhumbayev Editor-in-Chief" into name and role using
/// |roles|; the role is empty when none matches. A leading "By " is dropped.
void SplitByline(std::string_view byline, const std::vector<std::string>& roles, std::string* name,
                 std::string* role);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_AGENCY_TEXT_PARSER_H_
