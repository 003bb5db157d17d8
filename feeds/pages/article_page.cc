#include "feeds/pages/article_page.h"

#include "feeds/core/dates.h"
#include "feeds/core/routes.h"
#include "feeds/pages/html_page.h"

namespace feedd {

std::string RenderArticlePage(const FeedItem& item, const std::vector<FeedRef>& feeds,
                              const SiteInfo& site) {
  const Article& a = *item.article;
  HtmlPage page(a.language.empty() ? site.language : a.language, a.title + " — " + site.title);
  page.AddHeadLink("canonical", item.link);
  for (const FeedRef& feed : feeds) page.AddFeedLinks(site, feed.title, feed.path);
  if (!item.summary.empty()) {
    pugi::xml_node description = page.head().append_child("meta");
    description.append_attribute("name") = "description";
    description.append_attribute("content") = item.summary.c_str();
  }

  pugi::xml_node body = page.body();
  AppendLink(AppendElement(body, "header"), Route::Index().Url(site), site.title);
  pugi::xml_node article = AppendElement(body, "article");
  AppendElement(article, "h1", a.title);

  pugi::xml_node meta = AppendElement(article, "p");
  meta.append_attribute("class") = "meta";
  if (!a.authors.empty()) {
    std::string byline = "By ";
    for (std::size_t i = 0; i < a.authors.size(); ++i) {
      if (i > 0) byline += i + 1 == a.authors.size() ? " and " : ", ";
      byline += a.authors[i];
    }
    if (!a.author_role.empty()) byline += ", " + a.author_role;
    AppendElement(meta, "span", byline + ". ");
  }
  pugi::xml_node published = AppendElement(meta, "time", FormatReadable(a.published));
  published.append_attribute("datetime") = FormatRfc3339(a.published).c_str();
  if (a.updated > a.published) {
    meta.append_child(pugi::node_pcdata).set_value(" Updated ");
    pugi::xml_node updated = AppendElement(meta, "time", FormatReadable(a.updated));
    updated.append_attribute("datetime") = FormatRfc3339(a.updated).c_str();
    meta.append_child(pugi::node_pcdata).set_value(".");
  }

  if (!item.image_url.empty()) {
    pugi::xml_node figure = AppendElement(article, "figure");
    pugi::xml_node img = figure.append_child("img");
    img.append_attribute("src") = item.image_url.c_str();
    img.append_attribute("alt") = a.title.c_str();
    if (!a.image_credit.empty()) AppendElement(figure, "figcaption", a.image_credit);
  } else if (!a.image_credit.empty()) {
    AppendElement(article, "p", a.image_credit).append_attribute("class") = "meta";
  }

  pugi::xml_node content = AppendElement(article, "div");
  content.append_attribute("class") = "content";
  page.SetRawHtml(content, item.content_html);

  pugi::xml_node footer = AppendElement(body, "footer");
  pugi::xml_node subscribe = AppendElement(footer, "p", "Follow: ");
  bool first = true;
  for (const FeedRef& feed : feeds) {
    if (!first) subscribe.append_child(pugi::node_pcdata).set_value(" · ");
    first = false;
    AppendLink(subscribe, Route::Preview(feed.path).Url(site), feed.title);
  }
  return page.Html();
}

}  // namespace feedd
