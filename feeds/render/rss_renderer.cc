// RSS 2.0 (rssboard.org/rss-specification) with the RSS Best Practices
// Profile's extensions. Part of feeds/render/renderers.h.

#include <string>

#include "feeds/core/dates.h"
#include "feeds/render/feed_stylesheet.h"
#include "feeds/render/renderers.h"
#include "feeds/render/xml_output.h"

namespace feedd {
namespace {

void Text(pugi::xml_node parent, const char* name, const std::string& value) {
  parent.append_child(name).text().set(value.c_str());
}

void AddMedia(pugi::xml_node item, const FeedItem& it) {
  const Article& a = *it.article;
  if (it.image_url.empty() && a.image_credit.empty()) return;
  pugi::xml_node credit_parent = item;
  if (!it.image_url.empty()) {
    credit_parent = item.append_child("media:content");
    credit_parent.append_attribute("url") = it.image_url.c_str();
    credit_parent.append_attribute("medium") = "image";
    if (!it.image_type.empty()) credit_parent.append_attribute("type") = it.image_type.c_str();
    if (it.image_length > 0) {
      credit_parent.append_attribute("fileSize") = std::to_string(it.image_length).c_str();
    }
  }
  if (!a.image_credit.empty()) {
    pugi::xml_node credit = credit_parent.append_child("media:credit");
    credit.append_attribute("role") = "photographer";
    credit.text().set(a.image_credit.c_str());
  }
}

// One <item>: what every reader shows, then the extensions.
void AddItem(pugi::xml_node channel, const FeedItem& item_view, bool summary_only) {
  const FeedItem* it = &item_view;
  const Article& a = *it->article;
  pugi::xml_node item = channel.append_child("item");
  Text(item, "title", a.title);
  Text(item, "link", it->link);
  pugi::xml_node guid = item.append_child("guid");
  guid.append_attribute("isPermaLink") = "false";
  guid.text().set(it->tag_id.c_str());
  Text(item, "pubDate", FormatRfc822(a.published));
  for (const std::string& author : a.authors) Text(item, "dc:creator", author);
  for (const std::string& c : a.categories) Text(item, "category", c);
  for (const std::string& t : a.tags) Text(item, "category", t);
  if (!it->summary.empty()) Text(item, "description", it->summary);
  if (!summary_only) Text(item, "content:encoded", it->content_html);
  if (!it->image_url.empty() && !it->image_type.empty()) {
    pugi::xml_node enclosure = item.append_child("enclosure");
    enclosure.append_attribute("url") = it->image_url.c_str();
    enclosure.append_attribute("length") = std::to_string(it->image_length).c_str();
    enclosure.append_attribute("type") = it->image_type.c_str();
  }
  AddMedia(item, *it);
}

}  // namespace

std::string RenderRss(const FeedView& feed, const SiteInfo& site, const FeedSettings& settings) {
  pugi::xml_document doc;
  StartXmlDocument(&doc, FeedStylesheetHref(site));
  pugi::xml_node rss = doc.append_child("rss");
  rss.append_attribute("version") = "2.0";
  rss.append_attribute("xmlns:atom") = "http://www.w3.org/2005/Atom";
  rss.append_attribute("xmlns:content") = "http://purl.org/rss/1.0/modules/content/";
  rss.append_attribute("xmlns:dc") = "http://purl.org/dc/elements/1.1/";
  rss.append_attribute("xmlns:fh") = "http://purl.org/syndication/history/1.0";
  rss.append_attribute("xmlns:media") = "http://search.yahoo.com/mrss/";
  rss.append_attribute("xmlns:sy") = "http://purl.org/rss/1.0/modules/syndication/";

  pugi::xml_node channel = rss.append_child("channel");
  Text(channel, "title", feed.title);
  Text(channel, "link", site.link);
  Text(channel, "description", feed.description);
  pugi::xml_node self = channel.append_child("atom:link");
  self.append_attribute("href") = feed.SelfUrl(site, FeedFormat::kRss).c_str();
  self.append_attribute("rel") = "self";
  self.append_attribute("type") = "application/rss+xml";
  for (const std::string& hub : site.hubs) {
    pugi::xml_node link = channel.append_child("atom:link");
    link.append_attribute("href") = hub.c_str();
    link.append_attribute("rel") = "hub";
  }
  // Feed history (RFC 5005), through atom:link as RFC 5005 §2 allows.
  auto history_link = [&](const char* rel, const std::string& url) {
    if (url.empty()) return;
    pugi::xml_node link = channel.append_child("atom:link");
    link.append_attribute("href") = url.c_str();
    link.append_attribute("rel") = rel;
    link.append_attribute("type") = "application/rss+xml";
  };
  const FeedView::History history = feed.HistoryUrls(site, FeedFormat::kRss);
  history_link("current", history.current);
  history_link("prev-archive", history.prev_archive);
  history_link("next-archive", history.next_archive);
  if (feed.archive()) channel.append_child("fh:archive");
  if (feed.complete) channel.append_child("fh:complete");
  Text(channel, "language", site.language);
  if (feed.updated > 0) Text(channel, "lastBuildDate", FormatRfc822(feed.updated));
  Text(channel, "generator", std::string("feedd ") + FEEDD_VERSION);
  Text(channel, "ttl", std::to_string(settings.ttl_minutes));
  Text(channel, "sy:updatePeriod", settings.update_period);
  Text(channel, "sy:updateFrequency", std::to_string(settings.update_frequency));
  if (!site.logo.empty() || !site.icon.empty()) {
    pugi::xml_node image = channel.append_child("image");
    Text(image, "url", site.logo.empty() ? site.icon : site.logo);
    Text(image, "title", feed.title);
    Text(image, "link", site.link);
  }

  for (const FeedItem& item : feed.items) AddItem(channel, item, feed.summary_only);
  return SaveXml(doc);
}

}  // namespace feedd
