// feeds/parse/front_matter.h
//
// Front matter at the top of an article file: YAML between "---" lines or
// TOML between "+++" lines (the Hugo/Jekyll convention). SplitFrontMatter()
// finds it; ApplyFrontMatter() parses it (yaml-cpp, toml++) and sets the
// Article fields it names, which win over anything inferred from the body.

#ifndef FEEDD_FEEDS_PARSE_FRONT_MATTER_H_
#define FEEDD_FEEDS_PARSE_FRONT_MATTER_H_

#include <string>
#include <string_view>

#include "feeds/core/article.h"
#include "feeds/core/problem.h"

namespace feedd {

enum class FrontMatterKind { kNone, kYaml, kToml };

struct FrontMatterSplit {
  FrontMatterKind kind = FrontMatterKind::kNone;
  std::string_view header;    ///< between the fences
  std::string_view body;      ///< after the closing fence (the whole text without front matter)
  int body_first_line = 1;    ///< line number of body's first line in the file
  bool unterminated = false;  ///< an opening fence without a closing one
};

/// REQUIRES: |text| has "\n" line ends (see SanitizeText).
FrontMatterSplit SplitFrontMatter(std::string_view text);

/// Parses |split.header| and copies the known fields into |article|:
/// title, date, lastmod/updated, author/authors, role, categories/category,
/// tags, summary/description, slug, id/guid, draft, image, credit, link/url,
/// language/lang. Other keys are ignored. Returns false, with an error naming
/// |file| and the line, when the front matter is not valid YAML/TOML or a
/// field has an unusable value (a date that does not parse, a list where a
/// string belongs).
bool ApplyFrontMatter(const FrontMatterSplit& split, const std::string& file, Article* article,
                      Problems* problems);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_FRONT_MATTER_H_
