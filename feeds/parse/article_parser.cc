#include "feeds/parse/article_parser.h"

#include <xxhash.h>

#include <cstdio>

#include "feeds/core/text_util.h"
#include "feeds/parse/agency_text_parser.h"
#include "feeds/parse/article_checks.h"
#include "feeds/parse/markdown_parser.h"
#include "feeds/parse/text_decoding.h"
#include "feeds/parse/text_sanitizer.h"

namespace feedd {
namespace {

// Runs CleanDecodedText() over every text field; true when any changed.
bool CleanArticle(Article* a) {
  bool changed = false;
  for (std::string* field :
       {&a->explicit_id, &a->title, &a->author_role, &a->image_url, &a->image_credit, &a->summary,
        &a->content_html, &a->language, &a->slug, &a->link}) {
    changed |= CleanDecodedText(field);
  }
  for (std::vector<std::string>* list : {&a->authors, &a->categories, &a->tags}) {
    for (std::string& item : *list) changed |= CleanDecodedText(&item);
  }
  return changed;
}

std::string LinesList(const std::vector<int>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < 5; ++i) {
    out += (i ? ", " : "") + std::to_string(lines[i]);
  }
  if (lines.size() > 5) out += ", ...";
  return out;
}

}  // namespace

ParsedFile ParseArticleFile(const std::string& rel_path, std::string_view bytes,
                            const ParseOptions& options, ParseDepth depth) {
  ParsedFile out;
  auto error = [&](std::string message) {
    out.problems.push_back({rel_path, 0, Severity::kError, std::move(message)});
    return std::move(out);
  };
  if (bytes.size() > options.max_file_size) {
    return error("file is over the size limit of " + std::to_string(options.max_file_size) +
                 " bytes (articles.max_file_size)");
  }
  if (Trim(bytes).empty()) return error("file is empty");
  if (LooksBinary(bytes)) return error("binary file (it contains NUL bytes), not an article");

  // Bytes to text: UTF-8 as it is; a legacy charset decoded; then repaired.
  std::string_view text = bytes;
  SanitizedText clean;
  if (!IsCleanText(bytes)) {
    std::optional<Decoded> decoded;
    if (!IsValidUtf8(bytes)) decoded = DecodeLegacy(bytes, options.fallback_encoding);
    if (decoded) {
      out.problems.push_back({rel_path, 0, Severity::kWarning,
                              "not UTF-8: read as " + decoded->charset +
                                  (options.fallback_encoding.empty()
                                       ? " (detected; set articles.fallback_encoding to choose)"
                                       : " (articles.fallback_encoding)")});
    }
    clean = SanitizeText(decoded ? std::string_view(decoded->text) : bytes);
    text = clean.text;
    if (!clean.lines_with_invalid_utf8.empty()) {
      out.problems.push_back(
          {rel_path, clean.lines_with_invalid_utf8.front(), Severity::kWarning,
           "invalid UTF-8 removed on line(s) " + LinesList(clean.lines_with_invalid_utf8)});
    }
    if (!clean.lines_with_forbidden_chars.empty()) {
      out.problems.push_back({rel_path, clean.lines_with_forbidden_chars.front(),
                              Severity::kWarning,
                              "control characters, noncharacters and U+FFFD removed on line(s) " +
                                  LinesList(clean.lines_with_forbidden_chars)});
    }
  }

  // Every exception a parser library throws is a problem with this file.
  try {
    out.article = FormatForPath(rel_path) == ArticleFormat::kMarkdown
                      ? ParseMarkdown(text, rel_path, depth, &out.problems)
                      : ParseAgencyText(text, rel_path, options.agency, depth, &out.problems);
  } catch (const std::exception& e) {
    out.article.reset();
    out.problems.push_back(
        {rel_path, 0, Severity::kError, std::string("cannot be read as an article: ") + e.what()});
    return out;
  }
  // References and escapes ("&#xFFFF;", YAML's "\uFFFE") decode into
  // characters a feed must not carry: clean every field once more.
  if (out.article && CleanArticle(&*out.article)) {
    out.problems.push_back(
        {rel_path, 0, Severity::kWarning, std::string(kDecodedCharactersRemoved)});
  }
  if (out.article) CheckArticle(rel_path, options, &*out.article, &out.problems);
  return out;
}

std::string ParseFingerprint(const ParseOptions& options) {
  // Bump when a parser reads the same bytes differently.
  constexpr int kParserVersion = 4;
  std::string text = "parser " + std::to_string(kParserVersion) + "\n";
  text += "max_file_size " + std::to_string(options.max_file_size) + "\n";
  text += "fallback_encoding " + options.fallback_encoding + "\n";
  text += "limits " + std::to_string(options.max_authors) + " " +
          std::to_string(options.max_categories) + " " + std::to_string(options.max_tags) + "\n";
  text += "subheading_max_words " + std::to_string(options.agency.subheading_max_words) + "\n";
  for (const std::string& r : options.agency.roles) text += "role " + r + "\n";
  for (const std::string& p : options.agency.boilerplate.cut_from().sources()) {
    text += "cut_from " + p + "\n";
  }
  for (const std::string& p : options.agency.boilerplate.drop_lines().sources()) {
    text += "drop " + p + "\n";
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(text.data(), text.size())));
  return hex;
}

}  // namespace feedd
