// feeds/parse/article_checks.h
//
// What a parsed article must satisfy before the index sees it, whatever its
// format: the category taken from its folder is text a feed can carry (a
// folder name from a legacy share may be Latin-1, or hold U+FFFE), it names
// at most the configured number of authors, categories and tags, its own
// link and image are http(s) or relative URLs (never javascript: or data:),
// and its slug stays beneath articles/. Each repair is a warning naming the
// file; the article is still published.

#ifndef FEEDD_FEEDS_PARSE_ARTICLE_CHECKS_H_
#define FEEDD_FEEDS_PARSE_ARTICLE_CHECKS_H_

#include <string>

#include "feeds/core/article.h"
#include "feeds/core/problem.h"
#include "feeds/parse/parse_options.h"

namespace feedd {

/// The category of an article at |rel_path| that names none: its first
/// folder, decoded (articles.fallback_encoding, else detected) when it is
/// not UTF-8 and cleaned of what XML forbids; empty at the top level.
/// |repaired| tells whether the name needed that.
std::string FolderCategory(const std::string& rel_path, const ParseOptions& options,
                           bool* repaired);

/// Applies every check to |article|, read from |rel_path|.
void CheckArticle(const std::string& rel_path, const ParseOptions& options, Article* article,
                  Problems* problems);

/// Whether |url| may be an article's link or image: http, https, or
/// relative (no scheme at all).
bool AllowedArticleUrl(const std::string& url);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_ARTICLE_CHECKS_H_
