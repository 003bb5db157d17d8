#include "feeds/article_json.h"

#include <nlohmann/json.hpp>

namespace feedd {
namespace {

using Json = nlohmann::ordered_json;

Json OptionalTime(const std::optional<UnixTime>& t) { return t ? Json(*t) : Json(nullptr); }

std::optional<UnixTime> TimeFrom(const Json& j) {
  if (j.is_number_integer()) return j.get<UnixTime>();
  return std::nullopt;
}

}  // namespace

std::string ArticleToJson(const Article& a) {
  Json j;
  j["source_path"] = a.source_path;
  j["explicit_id"] = a.explicit_id;
  j["title"] = a.title;
  j["authors"] = a.authors;
  j["author_role"] = a.author_role;
  j["image_url"] = a.image_url;
  j["image_credit"] = a.image_credit;
  j["categories"] = a.categories;
  j["categories_from_folder"] = a.categories_from_folder;
  j["tags"] = a.tags;
  j["summary"] = a.summary;
  j["content_html"] = a.content_html;
  j["language"] = a.language;
  j["slug"] = a.slug;
  j["link"] = a.link;
  j["date"] = OptionalTime(a.date);
  j["lastmod"] = OptionalTime(a.lastmod);
  j["draft"] = a.draft;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<Article> ArticleFromJson(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    Article a;
    a.source_path = j.at("source_path").get<std::string>();
    a.explicit_id = j.at("explicit_id").get<std::string>();
    a.title = j.at("title").get<std::string>();
    a.authors = j.at("authors").get<std::vector<std::string>>();
    a.author_role = j.at("author_role").get<std::string>();
    a.image_url = j.at("image_url").get<std::string>();
    a.image_credit = j.at("image_credit").get<std::string>();
    a.categories = j.at("categories").get<std::vector<std::string>>();
    a.categories_from_folder = j.at("categories_from_folder").get<bool>();
    a.tags = j.at("tags").get<std::vector<std::string>>();
    a.summary = j.at("summary").get<std::string>();
    a.content_html = j.at("content_html").get<std::string>();
    a.language = j.at("language").get<std::string>();
    a.slug = j.at("slug").get<std::string>();
    a.link = j.at("link").get<std::string>();
    a.date = TimeFrom(j.at("date"));
    a.lastmod = TimeFrom(j.at("lastmod"));
    a.draft = j.at("draft").get<bool>();
    return a;
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

}  // namespace feedd
