#include "feeds/parse/article_checks.h"

#include <cctype>

#include "feeds/core/text_util.h"
#include "feeds/core/urls.h"
#include "feeds/parse/text_decoding.h"
#include "feeds/parse/text_sanitizer.h"

namespace feedd {
namespace {

void Warn(const std::string& rel_path, std::string message, Problems* problems) {
  problems->push_back({rel_path, 0, Severity::kWarning, std::move(message)});
}

// Keeps the first |limit| of |values|, warning about the rest.
void Limit(std::vector<std::string>* values, int limit, const char* what, const char* key,
           const std::string& rel_path, Problems* problems) {
  if (limit < 0 || values->size() <= static_cast<std::size_t>(limit)) return;
  Warn(rel_path,
       std::to_string(values->size()) + " " + what + ": only the first " + std::to_string(limit) +
           " are published (articles." + key + ")",
       problems);
  values->resize(static_cast<std::size_t>(limit));
}

// The scheme of |url| in lower case ("https"), or "" when it has none.
std::string SchemeOf(std::string_view url) {
  url = Trim(url);
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return "";
  for (std::size_t i = 1; i < url.size(); ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (c == ':') return AsciiLower(url.substr(0, i));
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return "";
  }
  return "";
}

void CheckUrl(std::string* url, const char* field, const std::string& rel_path,
              Problems* problems) {
  if (url->empty() || AllowedArticleUrl(*url)) return;
  Warn(rel_path,
       std::string(field) + " \"" + EscapeControls(*url) +
           "\" is not an http(s) or relative URL: ignored",
       problems);
  url->clear();
}

}  // namespace

bool AllowedArticleUrl(const std::string& url) {
  // Browsers drop tabs and newlines inside a scheme ("java\tscript:").
  std::string squeezed;
  for (char c : url) {
    if (c != '\t' && c != '\n' && c != '\r') squeezed += c;
  }
  const std::string scheme = SchemeOf(squeezed);
  return scheme.empty() || scheme == "http" || scheme == "https";
}

std::string FolderCategory(const std::string& rel_path, const ParseOptions& options,
                           bool* repaired) {
  *repaired = false;
  const std::size_t slash = rel_path.find('/');
  if (slash == std::string::npos) return "";
  std::string name = rel_path.substr(0, slash);
  if (!IsValidUtf8(name)) {
    *repaired = true;
    if (std::optional<Decoded> decoded = DecodeLegacy(name, options.fallback_encoding)) {
      name = std::move(decoded->text);
    }
  }
  *repaired |= CleanDecodedText(&name);
  return std::string(Trim(name));
}

void CheckArticle(const std::string& rel_path, const ParseOptions& options, Article* article,
                  Problems* problems) {
  if (article->categories.empty()) {
    bool repaired = false;
    std::string category = FolderCategory(rel_path, options, &repaired);
    if (repaired) {
      Warn(rel_path,
           "its folder's name is not UTF-8 text a feed can carry; the category is \"" + category +
               "\" (articles.fallback_encoding chooses the charset)",
           problems);
    }
    if (!category.empty()) {
      article->categories = {std::move(category)};
      article->categories_from_folder = true;
    }
  }
  Limit(&article->authors, options.max_authors, "authors", "max_authors", rel_path, problems);
  Limit(&article->categories, options.max_categories, "categories", "max_categories", rel_path,
        problems);
  Limit(&article->tags, options.max_tags, "tags", "max_tags", rel_path, problems);
  CheckUrl(&article->link, "link", rel_path, problems);
  CheckUrl(&article->image_url, "image", rel_path, problems);
  if (!article->slug.empty() && !StaysBeneath(article->slug, /*dot_names=*/true)) {
    Warn(rel_path,
         "slug \"" + EscapeControls(article->slug) +
             "\" would leave articles/ (\"..\", \".\", an empty part or a backslash): the id is "
             "used instead",
         problems);
    article->slug.clear();
  }
}

}  // namespace feedd
