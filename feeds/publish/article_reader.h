// feeds/publish/article_reader.h
//
// Reads an article file again in full, when a document needs what the index
// does not keep: its body, its summary, the size of its local image. The
// index holds metadata only; article pages, feeds' bodies and archives come
// back here. It holds copies of what it needs, so it (and the loaders made
// from it) may outlive its maker and run on any thread.

#ifndef FEEDD_FEEDS_PUBLISH_ARTICLE_READER_H_
#define FEEDD_FEEDS_PUBLISH_ARTICLE_READER_H_

#include <optional>
#include <string>

#include "feeds/core/problem.h"
#include "feeds/core/site.h"
#include "feeds/input/article_folder.h"
#include "feeds/parse/parse_options.h"
#include "feeds/publish/article_pages.h"
#include "feeds/render/body_cache.h"

namespace feedd {

class ArticleReader {
 public:
  ArticleReader(OpenArticleFolder open_folder, ParseOptions parse, SiteInfo site)
      : open_folder_(std::move(open_folder)), parse_(std::move(parse)), site_(std::move(site)) {}

  /// The article at |path|, read and parsed in full, with its local
  /// image's size; nothing when it cannot be read or no longer parses.
  /// What is wrong with the file goes to |problems| (a read error was
  /// reported when the index read it, and is not repeated).
  std::optional<LoadedArticle> Read(const std::string& path, Problems* problems) const;

  /// Read() as the article pages ask for it, problems dropped (the index
  /// reported them).
  ArticleLoader MakePageLoader() const;
  /// The summary, body and image size, for feeds rendered on request.
  BodyLoader MakeBodyLoader() const;

 private:
  OpenArticleFolder open_folder_;
  ParseOptions parse_;
  SiteInfo site_;
};

/// The body part of |loaded|.
ArticleBody BodyOf(LoadedArticle loaded);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_ARTICLE_READER_H_
