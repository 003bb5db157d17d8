#include "feeds/pages/feed_page.h"

#include "feeds/core/dates.h"
#include "feeds/core/routes.h"
#include "feeds/pages/html_page.h"

namespace feedd {
namespace {

void AppendSubscribeBox(pugi::xml_node parent, const SiteInfo& site, const std::string& path) {
  pugi::xml_node box = AppendElement(parent, "div");
  box.append_attribute("class") = "subscribe";
  AppendElement(box, "p",
                "This is a web feed. Copy one of these addresses into your feed reader "
                "(newsboat, NetNewsWire, Feedly, Thunderbird...) to subscribe:");
  pugi::xml_node list = AppendElement(box, "ul");
  for (FeedFormat format : kAllFormats) {
    pugi::xml_node li = AppendElement(list, "li", std::string(FormatName(format)) + ": ");
    const std::string url = Route::Feed(path, format).Url(site);
    AppendLink(AppendElement(li, "code"), url, url);
  }
}

}  // namespace

std::string RenderFeedPage(const FeedView& feed, const SiteInfo& site) {
  HtmlPage page(site.language, feed.title);
  page.AddFeedLinks(site, feed.title, feed.path);
  pugi::xml_node body = page.body();
  AppendLink(AppendElement(body, "header"), Route::Index().Url(site), site.title + " feeds");
  AppendElement(body, "h1", feed.title);
  AppendElement(body, "p", feed.description);
  AppendSubscribeBox(body, site, feed.path);

  if (feed.items.empty()) AppendElement(body, "p", "No articles yet.");
  pugi::xml_node list = AppendElement(body, "ol");
  list.append_attribute("class") = "items";
  for (const FeedItem& item : feed.items) {
    const Article& a = *item.article;
    pugi::xml_node li = AppendElement(list, "li");
    AppendLink(AppendElement(li, "h2"), item.link, a.title);
    pugi::xml_node meta = AppendElement(li, "p");
    meta.append_attribute("class") = "meta";
    pugi::xml_node time = AppendElement(meta, "time", FormatReadable(a.published));
    time.append_attribute("datetime") = FormatRfc3339(a.published).c_str();
    if (!a.authors.empty()) {
      std::string by = " · ";
      for (std::size_t i = 0; i < a.authors.size(); ++i) by += (i ? ", " : "") + a.authors[i];
      meta.append_child(pugi::node_pcdata).set_value(by.c_str());
    }
    if (!item.summary.empty()) AppendElement(li, "p", item.summary);
  }
  return page.Html();
}

}  // namespace feedd
