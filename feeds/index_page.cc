#include "feeds/index_page.h"

#include <pugixml.hpp>
#include <sstream>

#include "feeds/dates.h"
#include "feeds/feed_view.h"

namespace feedd {
namespace {

pugi::xml_node Element(pugi::xml_node parent, const char* name, const std::string& text = "") {
  pugi::xml_node node = parent.append_child(name);
  if (!text.empty()) node.text().set(text.c_str());
  return node;
}

}  // namespace

std::string RenderIndexPage(const std::vector<FeedListing>& feeds, const SiteInfo& site) {
  pugi::xml_document doc;
  doc.append_child(pugi::node_doctype).set_value("html");
  pugi::xml_node html = doc.append_child("html");
  html.append_attribute("lang") = site.language.c_str();
  pugi::xml_node head = Element(html, "head");
  pugi::xml_node charset = Element(head, "meta");
  charset.append_attribute("charset") = "utf-8";
  pugi::xml_node viewport = Element(head, "meta");
  viewport.append_attribute("name") = "viewport";
  viewport.append_attribute("content") = "width=device-width, initial-scale=1";
  Element(head, "title", site.title + " feeds");
  for (const FeedListing& feed : feeds) {
    for (FeedFormat format : kAllFormats) {
      pugi::xml_node link = Element(head, "link");
      link.append_attribute("rel") = "alternate";
      link.append_attribute("type") = MediaType(format);
      link.append_attribute("title") = (feed.title + " (" + FormatName(format) + ")").c_str();
      link.append_attribute("href") = FeedUrl(site, feed.path, format).c_str();
    }
  }

  pugi::xml_node body = Element(html, "body");
  Element(body, "h1", site.title + " feeds");
  Element(body, "p", site.description);
  pugi::xml_node p = Element(body, "p", "Copy a feed's address into your feed reader. Home page: ");
  pugi::xml_node home = Element(p, "a", site.link);
  home.append_attribute("href") = site.link.c_str();

  pugi::xml_node table = Element(body, "table");
  pugi::xml_node header = Element(Element(table, "thead"), "tr");
  for (const char* h : {"Feed", "Items", "Last updated", "Formats"}) Element(header, "th", h);
  pugi::xml_node rows = Element(table, "tbody");
  for (const FeedListing& feed : feeds) {
    pugi::xml_node row = Element(rows, "tr");
    Element(row, "td", feed.title);
    Element(row, "td", std::to_string(feed.items));
    Element(row, "td", feed.updated > 0 ? FormatRfc3339(feed.updated) : "never");
    pugi::xml_node formats = Element(row, "td");
    bool first = true;
    for (FeedFormat format : kAllFormats) {
      if (!first) formats.append_child(pugi::node_pcdata).set_value(" · ");
      first = false;
      pugi::xml_node a = Element(formats, "a", FormatName(format));
      a.append_attribute("href") = FeedUrl(site, feed.path, format).c_str();
    }
  }
  Element(body, "p", std::string("Published by feedd ") + FEEDD_VERSION + ".");

  std::ostringstream out;
  doc.save(out, "  ",
           pugi::format_indent | pugi::format_no_declaration | pugi::format_skip_control_chars);
  return out.str();
}

}  // namespace feedd
