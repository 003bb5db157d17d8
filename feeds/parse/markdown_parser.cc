#include "feeds/parse/markdown_parser.h"

#include <md4c-html.h>
#include <md4c.h>
#include <xxhash.h>

#include "feeds/core/text_util.h"
#include "feeds/parse/front_matter.h"
#include "feeds/parse/html_entity.h"

namespace feedd {
namespace {

constexpr unsigned kParserFlags = MD_DIALECT_GITHUB;

void AppendHtml(const MD_CHAR* text, MD_SIZE size, void* out) {
  static_cast<std::string*>(out)->append(text, size);
}

// Collects the plain text of the first paragraph: references decoded,
// inline HTML tags left out.
struct FirstParagraph {
  int depth = 0;  // > 0 while inside the first top-level paragraph
  bool done = false;
  std::string text;
};

int EnterBlock(MD_BLOCKTYPE type, void*, void* user) {
  auto* fp = static_cast<FirstParagraph*>(user);
  if (!fp->done && type == MD_BLOCK_P) ++fp->depth;
  return 0;
}

int LeaveBlock(MD_BLOCKTYPE type, void*, void* user) {
  auto* fp = static_cast<FirstParagraph*>(user);
  if (fp->depth > 0 && type == MD_BLOCK_P) {
    fp->depth = 0;
    fp->done = true;
  }
  return 0;
}

int NoSpan(MD_SPANTYPE, void*, void*) { return 0; }

int Text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* user) {
  auto* fp = static_cast<FirstParagraph*>(user);
  if (fp->depth == 0) return 0;
  switch (type) {
    case MD_TEXT_SOFTBR:
    case MD_TEXT_BR:
      fp->text += ' ';
      break;
    case MD_TEXT_NULLCHAR:
      break;
    case MD_TEXT_ENTITY:
      // "&eacute;", "&#233;": the character, as a reader's browser shows it.
      fp->text += DecodeCharacterReference(std::string_view(text, size));
      break;
    case MD_TEXT_HTML:
      break;  // inline markup ("<b>", "<br/>") is not text; the text inside it is
    default:
      fp->text.append(text, size);
  }
  return 0;
}

std::string FirstParagraphText(std::string_view body) {
  FirstParagraph fp;
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = kParserFlags;
  parser.enter_block = EnterBlock;
  parser.leave_block = LeaveBlock;
  parser.enter_span = NoSpan;
  parser.leave_span = NoSpan;
  parser.text = Text;
  md_parse(body.data(), static_cast<MD_SIZE>(body.size()), &parser, &fp);
  return std::string(Trim(fp.text));
}

// Takes a leading ATX "# Title" line off |body|; returns the title or "".
std::string TakeLeadingH1(std::string_view* body) {
  std::string_view b = *body;
  while (!b.empty() && b.front() == '\n') b.remove_prefix(1);
  if (b.substr(0, 2) != "# ") return "";
  const std::size_t end = b.find('\n');
  std::string_view title = Trim(b.substr(2, end == std::string_view::npos ? b.size() : end - 2));
  while (!title.empty() && title.back() == '#') title = Trim(title.substr(0, title.size() - 1));
  *body = end == std::string_view::npos ? std::string_view() : b.substr(end + 1);
  return std::string(title);
}

}  // namespace

std::optional<Article> ParseMarkdown(std::string_view text, const std::string& file,
                                     ParseDepth depth, Problems* problems) {
  const FrontMatterSplit split = SplitFrontMatter(text);
  Article a;
  a.source_path = file;
  if (!ApplyFrontMatter(split, file, &a, problems)) return std::nullopt;

  std::string_view body = split.body;
  if (a.title.empty()) a.title = TakeLeadingH1(&body);
  if (a.title.empty()) {
    problems->push_back({file, split.body_first_line, Severity::kError,
                         "article has no title (set 'title' in the front matter or start "
                         "with a '# Heading')"});
    return std::nullopt;
  }
  // The source is what a reader sees, rendered: its hash stands for the body.
  a.body_hash = XXH3_64bits(body.data(), body.size());
  if (depth == ParseDepth::kMetadata) return a;
  if (md_html(body.data(), static_cast<MD_SIZE>(body.size()), AppendHtml, &a.content_html,
              kParserFlags, MD_HTML_FLAG_SKIP_UTF8_BOM) != 0) {
    problems->push_back({file, 0, Severity::kError, "Markdown could not be rendered"});
    return std::nullopt;
  }
  while (!a.content_html.empty() && a.content_html.back() == '\n') a.content_html.pop_back();
  if (a.summary.empty()) a.summary = FirstParagraphText(body);
  return a;
}

}  // namespace feedd
