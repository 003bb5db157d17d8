#include "feeds/parse/agency_text_parser.h"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

#include <algorithm>

#include "feeds/core/dates.h"
#include "feeds/core/text_util.h"
#include "feeds/parse/front_matter.h"
#include "feeds/parse/html_fragment.h"

namespace feedd {
namespace {

constexpr int kMaxBylineWords = 10;

// The body with every line trimmed, so the boilerplate patterns can search
// it in one pass; lines are views into |text|.
struct TrimmedLines {
  std::string text;  // trimmed lines, each ending in '\n'
  struct Line {
    std::string_view text;
    std::size_t offset;  // of text in TrimmedLines::text
    int number;          // in the file
  };
  std::vector<Line> lines;
};

TrimmedLines SplitLines(std::string_view body, int first_line) {
  TrimmedLines out;
  out.text.reserve(body.size() + 1);
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, size in out.text
  while (true) {
    const std::size_t end = body.find('\n');
    const std::string_view line = Trim(body.substr(0, end));
    spans.emplace_back(out.text.size(), line.size());
    out.text.append(line);
    out.text += '\n';
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  // Views only once the buffer stops growing.
  out.lines.reserve(spans.size());
  int number = first_line;
  for (const auto& [offset, size] : spans) {
    out.lines.push_back({std::string_view(out.text).substr(offset, size), offset, number++});
  }
  return out;
}

using Line = TrimmedLines::Line;

bool IsViewCounter(std::string_view s) {
  return !s.empty() && s[0] >= '0' && s[0] <= '9' && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == ',' || c == '.';
  });
}

// "Key: value" -> lower-case key and value; false when there is no colon.
bool SplitKeyValue(std::string_view s, std::string* key, std::string_view* value) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  *key = AsciiLower(Trim(s.substr(0, colon)));
  *value = Trim(s.substr(colon + 1));
  return true;
}

bool IsCreditKey(const std::string& key) { return key == "photo by" || key == "photo"; }

bool IsMetadataKey(const std::string& key) {
  static const char* kKeys[] = {"date",       "author", "tags",    "category",
                                "categories", "image",  "language"};
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

bool IsBylineCandidate(std::string_view s) {
  return !EndsWithSentencePunctuation(s) && CountWords(s, kMaxBylineWords) <= kMaxBylineWords;
}

// Whether every line of a group is something the header block may hold.
bool IsHeaderGroup(const std::vector<Line>& lines, std::size_t begin, std::size_t end) {
  int bylines = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const std::string_view text = lines[i].text;
    std::string key;
    std::string_view value;
    if (IsViewCounter(text)) continue;
    if (SplitKeyValue(text, &key, &value) && (IsCreditKey(key) || IsMetadataKey(key))) continue;
    if (!IsBylineCandidate(text) || ++bylines > 1) return false;
  }
  return true;
}

// The next group of consecutive non-blank lines at or after |*pos|, as
// [begin, end); leaves |*pos| at end. An empty group means none is left.
std::pair<std::size_t, std::size_t> NextGroup(const std::vector<Line>& lines, std::size_t* pos) {
  while (*pos < lines.size() && lines[*pos].text.empty()) ++*pos;
  const std::size_t begin = *pos;
  while (*pos < lines.size() && !lines[*pos].text.empty()) ++*pos;
  return {begin, *pos};
}

class HeaderReader {
 public:
  HeaderReader(const std::string& file, const AgencyRules& rules, Problems* problems)
      : file_(file), rules_(rules), problems_(problems) {}

  bool Read(const Line& line, Article* a) {
    std::string key;
    std::string_view value;
    if (IsViewCounter(line.text)) return true;  // volatile, never content
    if (SplitKeyValue(line.text, &key, &value)) {
      if (IsCreditKey(key)) {
        a->image_credit = std::string(value);
        return true;
      }
      if (key == "date") {
        const auto t = ParseDate(value);
        if (!t) {
          problems_->push_back({file_, line.number, Severity::kError,
                                "header 'Date' is not a date: '" + std::string(value) + "'"});
          return false;
        }
        a->date = t;
        return true;
      }
      if (key == "author") a->authors = SplitList(value, ',');
      if (key == "tags") a->tags = SplitList(value, ',');
      if (key == "category" || key == "categories") a->categories = SplitList(value, ',');
      if (key == "image") a->image_url = std::string(value);
      if (key == "language") a->language = std::string(value);
      if (IsMetadataKey(key)) return true;
    }
    std::string name, role;
    SplitByline(line.text, rules_.roles, &name, &role);
    if (!name.empty()) a->authors = {name};
    a->author_role = role;
    return true;
  }

 private:
  const std::string& file_;
  const AgencyRules& rules_;
  Problems* problems_;
};

// One paragraph of the body: consecutive kept lines, joined by spaces.
struct Paragraph {
  std::size_t first, last;  // indices into the kept lines, inclusive
  int words = 0;
  bool punctuated = false;  // ends with sentence punctuation
};

// The kept body lines: from |begin| on, up to the first cut_from match,
// without drop_lines matches.
std::vector<std::string_view> BodyLines(const TrimmedLines& t, std::size_t begin,
                                        const AgencyRules& rules) {
  std::vector<std::string_view> kept;
  if (begin >= t.lines.size()) return kept;
  const std::size_t base = t.lines[begin].offset;
  const Boilerplate::Found found = rules.boilerplate.Find(std::string_view(t.text).substr(base));
  auto next_dropped = found.dropped.begin();
  for (std::size_t i = begin; i < t.lines.size(); ++i) {
    const std::size_t at = t.lines[i].offset - base;
    if (at >= found.cut) break;
    if (next_dropped != found.dropped.end() && *next_dropped == at) {
      ++next_dropped;
      continue;
    }
    kept.push_back(t.lines[i].text);
  }
  return kept;
}

// Only an unpunctuated paragraph can be a subheading, so only those have
// their words counted, and only as far as |max_words| + 1.
std::vector<Paragraph> Paragraphs(const std::vector<std::string_view>& lines, int max_words) {
  std::vector<Paragraph> out;
  for (std::size_t i = 0; i < lines.size();) {
    if (lines[i].empty()) {
      ++i;
      continue;
    }
    Paragraph p{i, i};
    while (i < lines.size() && !lines[i].empty()) p.last = i++;
    p.punctuated = EndsWithSentencePunctuation(lines[p.last]);
    for (std::size_t l = p.first; !p.punctuated && l <= p.last && p.words <= max_words; ++l) {
      p.words += CountWords(lines[l], max_words - p.words);
    }
    out.push_back(p);
  }
  return out;
}

std::string Joined(const std::vector<std::string_view>& lines, const Paragraph& p) {
  std::string out;
  for (std::size_t i = p.first; i <= p.last; ++i) {
    if (i > p.first) out += ' ';
    out.append(lines[i]);
  }
  return out;
}

}  // namespace

void SplitByline(std::string_view byline, const std::vector<std::string>& roles, std::string* name,
                 std::string* role) {
  byline = Trim(byline);
  if (byline.size() >= 3 && EqualsIgnoringAsciiCase(byline.substr(0, 3), "by ")) {
    byline = Trim(byline.substr(3));
  }
  std::size_t best = 0;
  for (const std::string& r : roles) {
    if (r.size() <= best || r.size() >= byline.size()) continue;
    const std::size_t at = byline.size() - r.size();
    if ((byline[at - 1] == ' ' || byline[at - 1] == ',') &&
        EqualsIgnoringAsciiCase(byline.substr(at), r)) {
      best = r.size();
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

namespace {

// Reads the header block (groups of header-like lines before the first
// paragraph) into |a|, from |*pos| on, leaving |*pos| at the body. False
// when a header line is wrong (reported).
bool ReadHeader(const std::vector<Line>& lines, const AgencyRules& rules, const std::string& file,
                std::size_t* pos, Article* a, Problems* problems) {
  HeaderReader reader(file, rules, problems);
  bool ok = true;
  for (;;) {
    std::size_t probe = *pos;
    const auto [begin, end] = NextGroup(lines, &probe);
    if (begin == end || !IsHeaderGroup(lines, begin, end)) break;
    // The body must hold something after the header, or the "header" was the
    // body: a one-line article under its title.
    std::size_t after = probe;
    const auto [next_begin, next_end] = NextGroup(lines, &after);
    if (next_begin == next_end) break;
    for (std::size_t i = begin; i < end; ++i) ok &= reader.Read(lines[i], a);
    *pos = probe;
  }
  return ok;
}

// The body as a reader sees it: each block's kind and words go into the
// article's body hash and, at ParseDepth::kFull, into its summary (the
// first paragraph) and HTML (subheadings as <h2>).
void ReadBody(const std::vector<std::string_view>& body, const AgencyRules& rules, ParseDepth depth,
              Article* a) {
  const std::vector<Paragraph> paragraphs = Paragraphs(body, rules.subheading_max_words);
  const auto short_unpunctuated = [&](const Paragraph& p) {
    return !p.punctuated && p.words <= rules.subheading_max_words;
  };
  auto is_heading = [&](std::size_t i) {
    return i + 1 < paragraphs.size() && short_unpunctuated(paragraphs[i]) &&
           !short_unpunctuated(paragraphs[i + 1]);
  };
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  HtmlFragment html;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    const bool heading = is_heading(i);
    XXH3_64bits_update(&state, heading ? "\nh\n" : "\np\n", 3);
    for (std::size_t l = paragraphs[i].first; l <= paragraphs[i].last; ++l) {
      if (l > paragraphs[i].first) XXH3_64bits_update(&state, " ", 1);
      XXH3_64bits_update(&state, body[l].data(), body[l].size());
    }
    if (depth == ParseDepth::kFull) {
      const std::string joined = Joined(body, paragraphs[i]);
      if (heading) {
        html.AddHeading(2, joined);
      } else {
        if (a->summary.empty()) a->summary = joined;
        html.AddParagraph(joined);
      }
    }
  }
  a->body_hash = XXH3_64bits_digest(&state);
  if (depth == ParseDepth::kFull) a->content_html = html.Html();
}

}  // namespace

std::optional<Article> ParseAgencyText(std::string_view text, const std::string& file,
                                       const AgencyRules& rules, ParseDepth depth,
                                       Problems* problems) {
  const FrontMatterSplit split = SplitFrontMatter(text);
  if (split.kind == FrontMatterKind::kToml) {
    problems->push_back(
        {file, 1, Severity::kError, "agency text files take YAML front matter ('---'), not TOML"});
    return std::nullopt;
  }
  const TrimmedLines trimmed = SplitLines(split.body, split.body_first_line);
  const std::vector<Line>& lines = trimmed.lines;
  Article a;
  a.source_path = file;

  // Title: the first non-empty line.
  std::size_t pos = 0;
  while (pos < lines.size() && lines[pos].text.empty()) ++pos;
  const bool has_title_line = pos < lines.size();
  const int title_line = has_title_line ? lines[pos].number : split.body_first_line;
  if (has_title_line) a.title = std::string(lines[pos++].text);

  if (!ReadHeader(lines, rules, file, &pos, &a, problems)) return std::nullopt;
  ReadBody(BodyLines(trimmed, pos, rules), rules, depth, &a);

  if (!ApplyFrontMatter(split, file, &a, problems)) return std::nullopt;
  if (a.title.empty()) {
    problems->push_back({file, title_line, Severity::kError, "article has no title"});
    return std::nullopt;
  }
  return a;
}

}  // namespace feedd
