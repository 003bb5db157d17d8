// `feedd show FILE`. See daemon/cli/commands.h.

#include <cstdio>
#include <ostream>

#include "daemon/base/exit_codes.h"
#include "daemon/cli/commands.h"
#include "feeds/core/dates.h"
#include "feeds/index/article_index.h"
#include "feeds/input/article_tree.h"
#include "feeds/parse/article_parser.h"

namespace fs = std::filesystem;

namespace feedd {
namespace {

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

// The path the parser sees: relative to the articles directory when the
// file is inside it (so the first subfolder is the category), else its name.
std::string RelativePath(const Config& config, const fs::path& file) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(config.articles_dir, ec);
  const fs::path full = fs::weakly_canonical(file, ec);
  const fs::path rel = full.lexically_relative(root);
  if (!ec && !rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return file.filename().string();
}

std::string HexHash(std::uint64_t hash) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace

int RunShow(const Config& config, const fs::path& file, std::ostream& out, std::ostream& err) {
  const std::string rel = RelativePath(config, file);
  if (FormatForPath(rel) == ArticleFormat::kIgnored) {
    err << file.string() << ": ignored: not an article file (.txt, .md or .markdown; "
        << "no dotfiles, editor or partial files)\n";
    return kExitDataError;
  }
  Problems problems;
  const fs::path parent = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const ArticleTree folder(parent, /*follow_symlinks=*/true);
  std::string bytes;
  if (!folder.Read(file.filename().string(), config.parse.max_file_size, &bytes, &problems)) {
    err << file.string() << ": cannot read the file\n";
    return kExitNoInput;
  }
  ParsedFile parsed = ParseArticleFile(rel, bytes, config.parse);
  for (Problem p : parsed.problems) {
    p.file = file.string();
    err << p.ToString() << "\n";
  }
  if (!parsed.article) return kExitDataError;

  const Article& a = *parsed.article;
  auto date = [](const std::optional<UnixTime>& t) {
    return t ? FormatRfc3339(*t) : std::string("(none: first seen / last changed)");
  };
  const bool markdown = FormatForPath(rel) == ArticleFormat::kMarkdown;
  out << "file:        " << file.string() << "\n"
      << "format:      " << (markdown ? "markdown" : "agency text") << "\n"
      << "id:          "
      << (a.explicit_id.empty() ? IdFromFileName(rel) + " (from the file name)"
                                : a.explicit_id + " (from the front matter)")
      << "\n"
      << "title:       " << a.title << "\n"
      << "authors:     " << Join(a.authors) << "\n"
      << "role:        " << a.author_role << "\n"
      << "image:       " << a.image_url << "\n"
      << "credit:      " << a.image_credit << "\n"
      << "categories:  " << Join(a.categories) << "\n"
      << "tags:        " << Join(a.tags) << "\n"
      << "language:    " << a.language << "\n"
      << "date:        " << date(a.date) << "\n"
      << "lastmod:     " << date(a.lastmod) << "\n"
      << "draft:       " << (a.draft ? "yes" : "no") << "\n"
      << "slug:        " << a.slug << "\n"
      << "link:        " << a.link << "\n"
      << "hash:        " << HexHash(ContentHash(a)) << "\n"
      << "summary:     " << a.summary << "\n"
      << "content:\n"
      << a.content_html << "\n";
  return kExitOk;
}

}  // namespace feedd
