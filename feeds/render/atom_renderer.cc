// Atom 1.0 (RFC 4287). Part of feeds/render/renderers.h.

#include <string>

#include "feeds/core/dates.h"
#include "feeds/render/feed_stylesheet.h"
#include "feeds/render/renderers.h"
#include "feeds/render/xml_output.h"

namespace feedd {
namespace {

pugi::xml_node Text(pugi::xml_node parent, const char* name, const std::string& value) {
  pugi::xml_node node = parent.append_child(name);
  node.text().set(value.c_str());
  return node;
}

void Link(pugi::xml_node parent, const char* rel, const char* type, const std::string& href) {
  pugi::xml_node link = parent.append_child("link");
  link.append_attribute("rel") = rel;
  if (type) link.append_attribute("type") = type;
  link.append_attribute("href") = href.c_str();
}

void Author(pugi::xml_node parent, const std::string& name) {
  Text(parent.append_child("author"), "name", name);
}

// One <entry>, in the feed's language unless the article says otherwise.
void AddEntry(pugi::xml_node root, const FeedItem& item_view, const SiteInfo& site,
              bool summary_only) {
  const FeedItem* it = &item_view;
  const Article& a = *it->article;
  pugi::xml_node entry = root.append_child("entry");
  if (!a.language.empty() && a.language != site.language) {
    entry.append_attribute("xml:lang") = a.language.c_str();
  }
  Text(entry, "id", it->tag_id);
  Text(entry, "title", a.title).append_attribute("type") = "text";
  Link(entry, "alternate", "text/html", it->link);
  if (!it->image_url.empty() && !it->image_type.empty()) {
    pugi::xml_node enclosure = entry.append_child("link");
    enclosure.append_attribute("rel") = "enclosure";
    enclosure.append_attribute("type") = it->image_type.c_str();
    enclosure.append_attribute("href") = it->image_url.c_str();
    if (it->image_length > 0) {
      enclosure.append_attribute("length") = std::to_string(it->image_length).c_str();
    }
  }
  Text(entry, "published", FormatRfc3339(a.published));
  Text(entry, "updated", FormatRfc3339(a.updated));
  for (const std::string& author : a.authors) Author(entry, author);
  for (const std::string& c : a.categories) {
    entry.append_child("category").append_attribute("term") = c.c_str();
  }
  for (const std::string& t : a.tags) {
    entry.append_child("category").append_attribute("term") = t.c_str();
  }
  if (!it->summary.empty()) {
    Text(entry, "summary", it->summary).append_attribute("type") = "text";
  }
  if (!summary_only) {
    Text(entry, "content", it->content_html).append_attribute("type") = "html";
  }
}

}  // namespace

std::string RenderAtom(const FeedView& feed, const SiteInfo& site) {
  pugi::xml_document doc;
  StartXmlDocument(&doc, FeedStylesheetHref(site));
  pugi::xml_node root = doc.append_child("feed");
  root.append_attribute("xmlns") = "http://www.w3.org/2005/Atom";
  root.append_attribute("xmlns:fh") = "http://purl.org/syndication/history/1.0";
  root.append_attribute("xml:lang") = site.language.c_str();

  Text(root, "id", feed.tag_id);
  Text(root, "title", feed.title).append_attribute("type") = "text";
  Text(root, "subtitle", feed.description).append_attribute("type") = "text";
  Link(root, "alternate", "text/html", site.link);
  Link(root, "self", "application/atom+xml", feed.SelfUrl(site, FeedFormat::kAtom));
  for (const std::string& hub : site.hubs) {
    pugi::xml_node link = root.append_child("link");
    link.append_attribute("rel") = "hub";
    link.append_attribute("href") = hub.c_str();
  }
  // Feed history (RFC 5005).
  const FeedView::History history = feed.HistoryUrls(site, FeedFormat::kAtom);
  for (const auto& [rel, url] :
       {std::pair<const char*, const std::string&>{"current", history.current},
        {"prev-archive", history.prev_archive},
        {"next-archive", history.next_archive}}) {
    if (!url.empty()) Link(root, rel, "application/atom+xml", url);
  }
  if (feed.archive()) root.append_child("fh:archive");
  if (feed.complete) root.append_child("fh:complete");
  Text(root, "updated", FormatRfc3339(FeedUpdated(feed, site)));
  Author(root, site.author.empty() ? site.title : site.author);
  pugi::xml_node generator = Text(root, "generator", "feedd");
  generator.append_attribute("version") = FEEDD_VERSION;
  if (!site.icon.empty()) Text(root, "icon", site.icon);
  if (!site.logo.empty()) Text(root, "logo", site.logo);

  for (const FeedItem& item : feed.items) AddEntry(root, item, site, feed.summary_only);
  return SaveXml(doc);
}

}  // namespace feedd
