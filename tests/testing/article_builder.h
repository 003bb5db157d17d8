// tests/testing/article_builder.h
//
// Resolved articles for tests of the stages after the catalog (selection,
// rendering, publication): id, title, dates and categories set, a tiny body.

#ifndef FEEDD_TESTS_TESTING_ARTICLE_BUILDER_H_
#define FEEDD_TESTS_TESTING_ARTICLE_BUILDER_H_

#include <string>
#include <vector>

#include "feeds/article.h"

namespace feedd::testing {

inline Article MakeArticle(const std::string& id, UnixTime published,
                           std::vector<std::string> categories = {}) {
  Article a;
  a.id = id;
  a.title = "Title " + id;
  a.published = a.updated = published;
  a.categories = std::move(categories);
  a.content_html = "<p>x</p>";
  return a;
}

}  // namespace feedd::testing

#endif  // FEEDD_TESTS_TESTING_ARTICLE_BUILDER_H_
