#include "feeds/pages/index_page.h"

#include "feeds/core/dates.h"
#include "feeds/core/routes.h"
#include "feeds/pages/html_page.h"

namespace feedd {

std::string RenderIndexPage(const std::vector<FeedListing>& feeds, const SiteInfo& site) {
  HtmlPage page(site.language, site.title + " feeds");
  for (const FeedListing& feed : feeds) page.AddFeedLinks(site, feed.title, feed.path);

  pugi::xml_node body = page.body();
  AppendElement(body, "h1", site.title + " feeds");
  AppendElement(body, "p", site.description);
  pugi::xml_node p =
      AppendElement(body, "p", "Copy a feed's address into your feed reader. Home page: ");
  AppendLink(p, site.link, site.link);

  pugi::xml_node table = AppendElement(body, "table");
  pugi::xml_node header = AppendElement(AppendElement(table, "thead"), "tr");
  for (const char* h : {"Feed", "Items", "Last updated", "Formats"}) AppendElement(header, "th", h);
  pugi::xml_node rows = AppendElement(table, "tbody");
  for (const FeedListing& feed : feeds) {
    pugi::xml_node row = AppendElement(rows, "tr");
    AppendLink(AppendElement(row, "td"), Route::Preview(feed.path).Url(site), feed.title);
    AppendElement(row, "td", std::to_string(feed.items));
    pugi::xml_node updated = AppendElement(row, "td");
    if (feed.updated > 0) {
      AppendElement(updated, "time", FormatReadable(feed.updated)).append_attribute("datetime") =
          FormatRfc3339(feed.updated).c_str();
    } else {
      updated.text().set("never");
    }
    pugi::xml_node formats = AppendElement(row, "td");
    bool first = true;
    for (FeedFormat format : kAllFormats) {
      if (!first) formats.append_child(pugi::node_pcdata).set_value(" · ");
      first = false;
      AppendLink(formats, Route::Feed(feed.path, format).Url(site), FormatName(format));
    }
  }
  AppendElement(AppendElement(body, "footer"), "p",
                std::string("Published by feedd ") + FEEDD_VERSION + ".");
  return page.Html();
}

}  // namespace feedd
