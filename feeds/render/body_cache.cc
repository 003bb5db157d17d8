#include "feeds/render/body_cache.h"

#include "feeds/render/content_links.h"

namespace feedd {

std::shared_ptr<const ArticleBody> BodyCache::Get(const IndexRecord& record,
                                                  const std::string& link, const BodyLoader& load) {
  Entry& entry = entries_[&record];
  if (entry.body && entry.hash == record.hash && entry.link == link) return entry.body;
  std::optional<ArticleBody> loaded = load ? load(record.path) : std::nullopt;
  if (!loaded && load) {
    if (entry.body) return entry.body;  // the last good version
    // Never read whole (the file moved or broke meanwhile): show what the
    // index knows, and keep nothing, so the next render reads it again.
    entries_.erase(&record);
    ArticleBody known{record.article->summary, PrepareBody(record.article->content_html, link)};
    return std::make_shared<const ArticleBody>(std::move(known));
  }
  if (!loaded) loaded = ArticleBody{record.article->summary, record.article->content_html};
  loaded->content_html = PrepareBody(loaded->content_html, link);
  entry.hash = record.hash;
  entry.link = link;
  entry.body = std::make_shared<const ArticleBody>(std::move(*loaded));
  return entry.body;
}

}  // namespace feedd
