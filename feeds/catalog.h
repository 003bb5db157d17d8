// feeds/catalog.h
//
// The catalog gives each parsed article its stable id and its published and
// updated dates, following ../shared/DESIGN.md "Identity and dates":
//  - id: front matter id/guid, else the file name without extension; a name
//    another present file already holds gets a path-qualified id and a
//    warning; an id once given stays with its article.
//  - published: front matter date, else the moment first seen (the file's
//    mtime then), never changed afterwards.
//  - updated: front matter lastmod, else the moment the parsed content last
//    changed (a touch or a new view count changes nothing).
//  - a moved or renamed file with the same content keeps its id and dates.
//  - a file that stops parsing keeps its last good version published.
//
// Thread safety: not thread-safe; one caller at a time.

#ifndef FEEDD_FEEDS_CATALOG_H_
#define FEEDD_FEEDS_CATALOG_H_

#include <optional>
#include <vector>

#include "feeds/article.h"
#include "feeds/identity_ledger.h"
#include "feeds/problem.h"

namespace feedd {

/// One file found in a full scan.
struct ScannedFile {
  std::string rel_path;
  UnixTime mtime = 0;
  std::optional<Article> parsed;  ///< nullopt when the file failed to parse
  /// ContentHash(*parsed), when the caller kept it from an earlier parse;
  /// empty means "compute it". A caller that set it may pass an article
  /// whose content_html was dropped: the catalog then needs no body, since
  /// it writes the ledger only for new, moved or changed articles.
  std::string hash;
};

class Catalog {
 public:
  /// |ledger| must outlive the catalog.
  explicit Catalog(IdentityLedger* ledger) : ledger_(ledger) {}

  /// Resolves a full scan of the articles directory. Returns one article per
  /// file that parsed (or that failed but parsed before), with id, published
  /// and updated set, in path order; records what it learned in the ledger.
  /// Id conflicts and fallbacks to a last good version are warnings in
  /// |problems|.
  std::vector<Article> ResolveScan(std::vector<ScannedFile> files, Problems* problems);

 private:
  IdentityLedger* ledger_;
};

/// "world/000_x.txt" -> "000_x".
std::string IdFromFileName(const std::string& rel_path);
/// "world/000_x.txt" -> "world/000_x".
std::string PathQualifiedId(const std::string& rel_path);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CATALOG_H_
