#include "feeds/publish/article_reader.h"

#include "feeds/parse/article_parser.h"
#include "feeds/publish/local_images.h"

namespace feedd {

std::optional<LoadedArticle> ArticleReader::Read(const std::string& path,
                                                 Problems* problems) const {
  Problems read_problems;  // a read error was reported when the index read the file
  const std::shared_ptr<const ArticleFolder> folder = open_folder_();
  std::string bytes;
  if (!folder->Read(path, parse_.max_file_size, &bytes, &read_problems)) return std::nullopt;
  ParsedFile parsed = ParseArticleFile(path, bytes, parse_, ParseDepth::kFull);
  for (Problem& p : parsed.problems) problems->push_back(std::move(p));
  if (!parsed.article) return std::nullopt;
  const std::optional<LocalImage> image = FindLocalImage(*folder, site_, *parsed.article);
  return LoadedArticle{std::move(*parsed.article), image ? image->size : 0};
}

ArticleLoader ArticleReader::MakePageLoader() const {
  return [reader = *this](const std::string& path) {
    Problems ignored;  // reported when the index read the file
    return reader.Read(path, &ignored);
  };
}

BodyLoader ArticleReader::MakeBodyLoader() const {
  return [reader = *this](const std::string& path) -> std::optional<ArticleBody> {
    Problems ignored;
    std::optional<LoadedArticle> loaded = reader.Read(path, &ignored);
    if (!loaded) return std::nullopt;
    return BodyOf(std::move(*loaded));
  };
}

ArticleBody BodyOf(LoadedArticle loaded) {
  return ArticleBody{std::move(loaded.article.summary), std::move(loaded.article.content_html),
                     loaded.image_length};
}

}  // namespace feedd
