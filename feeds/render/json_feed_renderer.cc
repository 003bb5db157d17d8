// JSON Feed 1.1 (jsonfeed.org/version/1.1). Part of feeds/render/renderers.h.

#include <nlohmann/json.hpp>
#include <string>

#include "feeds/core/dates.h"
#include "feeds/render/renderers.h"

namespace feedd {
namespace {

using Json = nlohmann::ordered_json;

Json Authors(const std::vector<std::string>& names) {
  Json authors = Json::array();
  for (const std::string& name : names) authors.push_back({{"name", name}});
  return authors;
}

// One item; a summary-only document still gives every item content_text,
// which JSON Feed requires.
Json ItemJson(const FeedItem& item_view, bool summary_only) {
  const FeedItem* it = &item_view;
  const Article& a = *it->article;
  Json item;
  item["id"] = it->tag_id;
  item["url"] = it->link;
  item["title"] = a.title;
  if (summary_only) {
    item["content_text"] = it->summary.empty() ? a.title : it->summary;
  } else {
    item["content_html"] = it->content_html;
  }
  if (!it->summary.empty()) item["summary"] = it->summary;
  if (!it->image_url.empty()) {
    item["image"] = it->image_url;
    if (!it->image_type.empty()) {
      Json attachment = {{"url", it->image_url}, {"mime_type", it->image_type}};
      if (!a.image_credit.empty()) attachment["title"] = a.image_credit;
      if (it->image_length > 0) attachment["size_in_bytes"] = it->image_length;
      item["attachments"] = Json::array({std::move(attachment)});
    }
  }
  item["date_published"] = FormatRfc3339(a.published);
  item["date_modified"] = FormatRfc3339(a.updated);
  if (!a.authors.empty()) {
    item["authors"] = Authors(a.authors);
    item["author"] = item["authors"][0];
  }
  Json tags = Json::array();
  for (const std::string& c : a.categories) tags.push_back(c);
  for (const std::string& t : a.tags) tags.push_back(t);
  if (!tags.empty()) item["tags"] = tags;
  if (!a.language.empty()) item["language"] = a.language;
  if (!a.image_credit.empty()) item["_feedd"] = {{"image_credit", a.image_credit}};
  return item;
}

}  // namespace

std::string RenderJsonFeed(const FeedView& feed, const SiteInfo& site) {
  Json root;
  root["version"] = "https://jsonfeed.org/version/1.1";
  root["title"] = feed.title;
  root["home_page_url"] = site.link;
  root["feed_url"] = feed.SelfUrl(site, FeedFormat::kJson);
  root["description"] = feed.description;
  root["language"] = site.language;
  if (!site.icon.empty()) root["icon"] = site.icon;
  if (!site.hubs.empty()) {
    Json hubs = Json::array();
    for (const std::string& hub : site.hubs) hubs.push_back({{"type", "WebSub"}, {"url", hub}});
    root["hubs"] = hubs;
  }
  // Feed history: next_url pages to older items (the next older archive);
  // the rest of RFC 5005 as a "_fh" extension object.
  const FeedView::History history = feed.HistoryUrls(site, FeedFormat::kJson);
  if (!history.prev_archive.empty()) root["next_url"] = history.prev_archive;
  if (feed.archive() || feed.complete) {
    Json fh;
    if (feed.archive()) fh["archive"] = true;
    if (feed.complete) fh["complete"] = true;
    if (!history.current.empty()) fh["current"] = history.current;
    if (!history.prev_archive.empty()) fh["prev_archive"] = history.prev_archive;
    if (!history.next_archive.empty()) fh["next_archive"] = history.next_archive;
    root["_fh"] = std::move(fh);
  }
  const Json site_authors = Authors({site.author.empty() ? site.title : site.author});
  root["authors"] = site_authors;
  root["author"] = site_authors[0];

  Json items = Json::array();
  for (const FeedItem& item : feed.items) items.push_back(ItemJson(item, feed.summary_only));
  root["items"] = std::move(items);
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace feedd
