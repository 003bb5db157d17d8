// feeds/core/article.h
//
// Article is one parsed article file: everything a feed item needs, in the
// form the renderers use (plain-text summary, HTML content). Parsers fill the
// fields they find; the article index then assigns the id and the published
// and updated dates (docs/identity.md). Read for the index, an article has
// its metadata and body_hash but no summary or content (ParseDepth::kMetadata);
// those are read again when a feed shows the article.

#ifndef FEEDD_FEEDS_CORE_ARTICLE_H_
#define FEEDD_FEEDS_CORE_ARTICLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "feeds/core/unix_time.h"

namespace feedd {

struct Article {
  // --- Read from the file ---------------------------------------------------
  /// Relative to the articles directory, '/'-separated. Empty in the index,
  /// whose record holds the path.
  std::string source_path;
  std::string explicit_id;  ///< front matter id/guid; empty when absent
  std::string title;
  std::vector<std::string> authors;
  std::string author_role;  ///< e.g. "Editor-in-Chief", split off the byline
  std::string image_url;
  std::string image_credit;  ///< "Photo by: X"
  std::vector<std::string> categories;
  /// The categories came from the first subfolder, not from the file: they
  /// change when the file moves, which is not a content change.
  bool categories_from_folder = false;
  std::vector<std::string> tags;
  std::string summary;  ///< plain text; a front matter summary, else (kFull) the lead
  bool summary_from_front_matter = false;
  std::string content_html;  ///< HTML fragment (kFull only); links as written
  /// A hash of the body as a reader sees it (paragraphs and headings for
  /// agency text, the Markdown source), filled at every depth.
  std::uint64_t body_hash = 0;
  std::string language;             ///< BCP 47 tag; empty means the site's language
  std::string slug;                 ///< front matter slug; empty means the id
  std::string link;                 ///< front matter link/url; empty means the configured template
  std::optional<UnixTime> date;     ///< front matter / header date
  std::optional<UnixTime> lastmod;  ///< front matter lastmod/updated
  bool draft = false;

  // --- Assigned by the catalog ----------------------------------------------
  std::string id;  ///< the stable id; the feeds carry it as a tag URI
  UnixTime published = 0;
  UnixTime updated = 0;
  /// The slug its links use when another present article owns the one it
  /// asks for ("<slug>-<id>", made unique); empty: its own slug, or its id.
  std::string page_slug;
};

/// A fingerprint of everything a reader can see that the file determines.
/// Equal for a touched file or one whose view counter changed; different
/// when the title, body, byline, credit, categories, ... change. The source
/// path and folder-derived categories are not part of it, so a moved file
/// keeps its hash. Never 0 (0 means "unknown" in the state store).
std::uint64_t ContentHash(const Article& article);

/// The slug used in item links: |page_slug| when the index set one, else
/// |slug| when set, else the id.
const std::string& EffectiveSlug(const Article& article);
/// The slug |article| asks for: |slug| when set, else the id.
const std::string& RequestedSlug(const Article& article);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_ARTICLE_H_
