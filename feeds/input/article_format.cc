#include "feeds/input/article_format.h"

#include <string>

#include "feeds/core/text_util.h"

namespace feedd {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

ArticleFormat FormatForPath(std::string_view rel_path) {
  // Any dot component (".git/", ".hidden.txt") hides the file.
  for (std::size_t start = 0; start <= rel_path.size();) {
    std::size_t end = rel_path.find('/', start);
    if (end == std::string_view::npos) end = rel_path.size();
    if (end > start && rel_path[start] == '.') return ArticleFormat::kIgnored;
    start = end + 1;
  }
  const std::size_t slash = rel_path.rfind('/');
  const std::string_view name =
      slash == std::string_view::npos ? rel_path : rel_path.substr(slash + 1);
  if (name.empty() || EndsWith(name, "~") || (name.front() == '#' && name.back() == '#')) {
    return ArticleFormat::kIgnored;
  }
  const std::string lower = AsciiLower(name);
  if (EndsWith(lower, ".txt")) return ArticleFormat::kAgencyText;
  if (EndsWith(lower, ".md") || EndsWith(lower, ".markdown")) return ArticleFormat::kMarkdown;
  return ArticleFormat::kIgnored;  // .swp, .tmp, .part and everything else
}

}  // namespace feedd
