#include "feeds/agency_text_parser.h"

#include <algorithm>

#include "feeds/dates.h"
#include "feeds/front_matter.h"
#include "feeds/html_fragment.h"
#include "feeds/text_util.h"

namespace feedd {
namespace {

constexpr int kMaxBylineWords = 10;

struct Line {
  std::string text;  // trimmed
  int number;        // in the file
};

std::vector<Line> SplitLines(std::string_view body, int first_line) {
  std::vector<Line> lines;
  int number = first_line;
  while (true) {
    const std::size_t end = body.find('\n');
    lines.push_back({std::string(Trim(body.substr(0, end))), number++});
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return lines;
}

bool IsViewCounter(const std::string& s) {
  return !s.empty() &&
         std::all_of(
             s.begin(), s.end(),
             [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == ',' || c == '.'; }) &&
         s[0] >= '0' && s[0] <= '9';
}

// "Key: value" -> lower-case key and value; false when there is no colon
// or the key is not a single word.
bool SplitKeyValue(const std::string& s, std::string* key, std::string* value) {
  const std::size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string_view k = Trim(std::string_view(s).substr(0, colon));
  *key = AsciiLower(k);
  *value = std::string(Trim(std::string_view(s).substr(colon + 1)));
  return true;
}

bool IsCreditKey(const std::string& key) { return key == "photo by" || key == "photo"; }

bool IsMetadataKey(const std::string& key) {
  static const char* kKeys[] = {"date",       "author", "tags",    "category",
                                "categories", "image",  "language"};
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

bool IsBylineCandidate(const std::string& s) {
  return CountWords(s) <= kMaxBylineWords && !EndsWithSentencePunctuation(s);
}

// Whether every line of a group is something the header block may hold.
bool IsHeaderGroup(const std::vector<Line>& group) {
  int bylines = 0;
  for (const Line& line : group) {
    std::string key, value;
    if (IsViewCounter(line.text)) continue;
    if (SplitKeyValue(line.text, &key, &value) && (IsCreditKey(key) || IsMetadataKey(key))) {
      continue;
    }
    if (!IsBylineCandidate(line.text) || ++bylines > 1) return false;
  }
  return true;
}

class Reader {
 public:
  Reader(const std::string& file, const AgencyRules& rules, Problems* problems)
      : file_(file), rules_(rules), problems_(problems) {}

  bool ReadHeaderLine(const Line& line, Article* a) {
    std::string key, value;
    if (IsViewCounter(line.text)) return true;  // volatile, never content
    if (SplitKeyValue(line.text, &key, &value)) {
      if (IsCreditKey(key)) {
        a->image_credit = value;
        return true;
      }
      if (key == "date") {
        const auto t = ParseDate(value);
        if (!t) return Fail(line, "header 'Date' is not a date: '" + value + "'");
        a->date = t;
        return true;
      }
      if (key == "author") a->authors = SplitList(value, ',');
      if (key == "tags") a->tags = SplitList(value, ',');
      if (key == "category" || key == "categories") a->categories = SplitList(value, ',');
      if (key == "image") a->image_url = value;
      if (key == "language") a->language = value;
      if (IsMetadataKey(key)) return true;
    }
    std::string name, role;
    SplitByline(line.text, rules_.roles, &name, &role);
    if (!name.empty()) a->authors = {name};
    a->author_role = role;
    return true;
  }

  bool Fail(const Line& line, const std::string& message) {
    problems_->push_back({file_, line.number, Severity::kError, message});
    return false;
  }

 private:
  const std::string& file_;
  const AgencyRules& rules_;
  Problems* problems_;
};

// Groups consecutive non-blank lines, starting at |*pos|; leaves |*pos| after
// the group and any blank lines that follow.
std::vector<Line> NextGroup(const std::vector<Line>& lines, std::size_t* pos) {
  std::vector<Line> group;
  while (*pos < lines.size() && lines[*pos].text.empty()) ++*pos;
  while (*pos < lines.size() && !lines[*pos].text.empty()) group.push_back(lines[(*pos)++]);
  return group;
}

}  // namespace

void SplitByline(std::string_view byline, const std::vector<std::string>& roles, std::string* name,
                 std::string* role) {
  byline = Trim(byline);
  if (AsciiLower(byline.substr(0, 3)) == "by ") byline = Trim(byline.substr(3));
  const std::string lower = AsciiLower(byline);
  std::size_t best = 0;
  for (const std::string& r : roles) {
    const std::string lr = AsciiLower(r);
    if (lr.size() <= best || lr.size() >= lower.size()) continue;
    const std::size_t at = lower.size() - lr.size();
    if (lower.compare(at, lr.size(), lr) == 0 && (lower[at - 1] == ' ' || lower[at - 1] == ',')) {
      best = lr.size();
    }
  }
  if (best == 0) {
    *name = std::string(byline);
    role->clear();
    return;
  }
  *role = std::string(byline.substr(byline.size() - best));
  std::string_view rest = Trim(byline.substr(0, byline.size() - best));
  while (!rest.empty() && (rest.back() == ',' || rest.back() == '-' || rest.back() == ' ')) {
    rest.remove_suffix(1);
  }
  *name = std::string(rest);
}

std::optional<Article> ParseAgencyText(std::string_view text, const std::string& file,
                                       const AgencyRules& rules, Problems* problems) {
  const FrontMatterSplit split = SplitFrontMatter(text);
  if (split.kind == FrontMatterKind::kToml) {
    problems->push_back(
        {file, 1, Severity::kError, "agency text files take YAML front matter ('---'), not TOML"});
    return std::nullopt;
  }
  const std::vector<Line> lines = SplitLines(split.body, split.body_first_line);
  Article a;
  a.source_path = file;
  Reader reader(file, rules, problems);

  // Title: the first non-empty line.
  std::size_t pos = 0;
  while (pos < lines.size() && lines[pos].text.empty()) ++pos;
  const bool has_title_line = pos < lines.size();
  if (has_title_line) a.title = lines[pos++].text;

  // Header block: groups of header-like lines before the first paragraph.
  bool header_ok = true;
  for (;;) {
    std::size_t probe = pos;
    const std::vector<Line> group = NextGroup(lines, &probe);
    if (group.empty() || !IsHeaderGroup(group)) break;
    // The body must hold something after the header, or the "header" was the
    // body: a one-line article under its title.
    std::size_t after = probe;
    if (NextGroup(lines, &after).empty()) break;
    for (const Line& line : group) header_ok &= reader.ReadHeaderLine(line, &a);
    pos = probe;
  }
  if (!header_ok) return std::nullopt;

  // Body lines, minus boilerplate.
  std::vector<Line> body;
  for (; pos < lines.size(); ++pos) {
    const Line& line = lines[pos];
    const auto matches = [&](const LinePattern& p) { return p.Matches(line.text); };
    if (std::any_of(rules.cut_from.begin(), rules.cut_from.end(), matches)) break;
    if (std::any_of(rules.drop_lines.begin(), rules.drop_lines.end(), matches)) continue;
    body.push_back(line);
  }

  // Paragraphs: groups of lines joined by spaces.
  std::vector<std::string> paragraphs;
  for (std::size_t p = 0;;) {
    const std::vector<Line> group = NextGroup(body, &p);
    if (group.empty()) break;
    std::string joined;
    for (const Line& line : group) joined += (joined.empty() ? "" : " ") + line.text;
    paragraphs.push_back(std::move(joined));
  }

  auto is_heading = [&](std::size_t i) {
    const std::string& s = paragraphs[i];
    return i + 1 < paragraphs.size() && CountWords(s) <= rules.subheading_max_words &&
           !EndsWithSentencePunctuation(s) &&
           !(CountWords(paragraphs[i + 1]) <= rules.subheading_max_words &&
             !EndsWithSentencePunctuation(paragraphs[i + 1]));
  };
  HtmlFragment html;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    if (is_heading(i)) {
      html.AddHeading(2, paragraphs[i]);
    } else {
      if (a.summary.empty()) a.summary = paragraphs[i];
      html.AddParagraph(paragraphs[i]);
    }
  }
  a.content_html = html.Html();

  if (!ApplyFrontMatter(split, file, &a, problems)) return std::nullopt;
  if (a.title.empty()) {
    problems->push_back({file, has_title_line ? lines[0].number : split.body_first_line,
                         Severity::kError, "article has no title"});
    return std::nullopt;
  }
  return a;
}

}  // namespace feedd
