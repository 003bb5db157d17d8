// feeds/article_json.h
//
// Lossless JSON form of an Article's parsed fields (not the assigned id and
// dates). The state store keeps the last good version of each article in this
// form, and ContentHash() hashes it.

#ifndef FEEDD_FEEDS_ARTICLE_JSON_H_
#define FEEDD_FEEDS_ARTICLE_JSON_H_

#include <optional>
#include <string>

#include "feeds/article.h"

namespace feedd {

/// Serialises the fields read from the file, in a fixed order.
std::string ArticleToJson(const Article& article);

/// Parses what ArticleToJson() wrote; nullopt when |json| is not such a text.
std::optional<Article> ArticleFromJson(const std::string& json);

}  // namespace feedd

#endif  // FEEDD_FEEDS_ARTICLE_JSON_H_
