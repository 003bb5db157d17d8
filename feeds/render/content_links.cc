#include "feeds/render/content_links.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <iterator>
#include <optional>
#include <vector>

#include "feeds/core/urls.h"

namespace feedd {
namespace {

// Gumbo builds its tree in time that grows with the square of the nesting
// depth (100,000 nested <div>s: 17 s); flat markup is linear (10,000 links
// in a list: 30 ms). Past these, links stay as written.
constexpr int kMaxDepthToRewrite = 1000;
constexpr std::size_t kMaxTagsToRewrite = 500000;

bool IsVoidElement(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",   "base",  "br",    "col",  "embed",
                                               "hr",     "img",   "input", "link", "meta",
                                               "source", "track", "wbr"};
  for (std::string_view v : kVoid) {
    if (name.size() == v.size() &&
        std::equal(name.begin(), name.end(), v.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return true;
    }
  }
  return false;
}

// Whether gumbo may be given |html|: an upper bound of its nesting depth
// (every start tag that is not void or self-closed opens, every end tag
// closes) and its number of tags stay within the limits above.
bool CheapToParse(std::string_view html) {
  int depth = 0, deepest = 0;
  std::size_t tags = 0;
  for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    if (++tags > kMaxTagsToRewrite) return false;
    if (at + 1 >= html.size()) break;
    if (html[at + 1] == '/') {
      depth = std::max(depth - 1, 0);
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(html[at + 1]))) continue;
    std::size_t end = at + 1;
    while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
    const std::size_t close = html.find('>', end);
    const bool self_closed = close != std::string_view::npos && close > 0 && html[close - 1] == '/';
    if (self_closed || IsVoidElement(html.substr(at + 1, end - at - 1))) continue;
    deepest = std::max(deepest, ++depth);
    if (deepest > kMaxDepthToRewrite) return false;
  }
  return true;
}

// "https:", "mailto:", "data:": a scheme (RFC 3986 §3.1) means absolute.
bool HasScheme(std::string_view url) {
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return false;
  for (std::size_t i = 1; i < url.size(); ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (c == ':') return true;
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

bool EqualsLower(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

// Elements a published body never keeps, with all they hold: what runs
// code, loads plugins, or changes how the page's links and caching work.
constexpr std::string_view kDroppedElements[] = {"script",   "object",  "embed",   "applet",
                                                 "base",     "meta",    "link",    "frame",
                                                 "frameset", "noembed", "noframes"};

bool IsDroppedElement(std::string_view name) {
  return std::any_of(std::begin(kDroppedElements), std::end(kDroppedElements),
                     [&](std::string_view d) { return EqualsLower(name, d); });
}

// Cheap test before parsing: with no attribute and no dropped element
// there is nothing to resolve or remove (most agency bodies: <p>, <h2>).
bool MayNeedWork(std::string_view html) {
  if (html.find('=') != std::string_view::npos) return true;
  for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    std::size_t end = at + 1;
    while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
    if (IsDroppedElement(html.substr(at + 1, end - at - 1))) return true;
  }
  return false;
}

// The scheme of |url| as a browser reads it (tabs and newlines inside are
// ignored, case does not matter), or "" when it has none.
std::string BrowserScheme(std::string_view url) {
  std::string scheme;
  for (char c : url) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (scheme.empty() && (c == ' ' || static_cast<unsigned char>(c) < 0x20)) continue;
    if (c == ':') return scheme;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return "";
    }
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return "";
}

// Whether a URL in attribute |name| of |element| could run code.
bool RunsCode(std::string_view element, std::string_view name, std::string_view value) {
  const std::string scheme = BrowserScheme(value);
  if (scheme == "javascript" || scheme == "vbscript") return true;
  if (scheme != "data") return false;
  // Inline images are fine; a data: document is a page of its own.
  const bool image = EqualsLower(element, "img") && EqualsLower(name, "src");
  std::string lower;
  for (char c : value.substr(0, 20))
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return !(image && lower.find("data:image/") != std::string::npos &&
           lower.find("svg") == std::string::npos);
}

bool IsUrlAttribute(std::string_view name) {
  for (std::string_view n : {"href", "src", "action", "formaction", "poster", "background", "cite",
                             "data", "xlink:href", "longdesc", "ping", "manifest"}) {
    if (EqualsLower(name, n)) return true;
  }
  return false;
}

// One srcset candidate: its URL and what follows it ("2x", "640w").
struct SrcsetCandidate {
  std::string url;
  std::string descriptor;
};

// The candidates of a srcset value (HTML's "parse a srcset attribute",
// without its error recovery).
std::vector<SrcsetCandidate> ParseSrcset(std::string_view value) {
  std::vector<SrcsetCandidate> out;
  std::size_t i = 0;
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  };
  while (i < value.size()) {
    while (i < value.size() && (space(value[i]) || value[i] == ',')) ++i;
    if (i >= value.size()) break;
    std::size_t start = i;
    while (i < value.size() && !space(value[i])) ++i;
    std::string_view url = value.substr(start, i - start);
    bool ended = false;
    while (!url.empty() && url.back() == ',') {
      url.remove_suffix(1);
      ended = true;
    }
    SrcsetCandidate candidate{std::string(url), ""};
    if (!ended) {
      while (i < value.size() && space(value[i])) ++i;
      start = i;
      while (i < value.size() && value[i] != ',') ++i;
      std::string_view descriptor = value.substr(start, i - start);
      while (!descriptor.empty() && space(descriptor.back())) descriptor.remove_suffix(1);
      candidate.descriptor = std::string(descriptor);
    }
    if (!candidate.url.empty()) out.push_back(std::move(candidate));
  }
  return out;
}

// An attribute value inside double quotes: the characters HTML gives a
// meaning there are written as references.
std::string EscapeAttribute(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Walks the element tree gumbo reads from |html| as a browser would,
// calling |visit| with each element that stands in the source (not those
// gumbo implied). Its children are visited only when |visit| returns true.
void ForEachElement(const std::string& html,
                    const std::function<bool(const GumboElement&)>& visit) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // errors are not needed, only the tree
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  std::vector<const GumboNode*> stack = {output->document};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
      const GumboElement& element = node->v.element;
      const bool in_source = element.original_tag.length > 0 &&
                             element.original_tag.data >= html.data() &&
                             element.original_tag.data < html.data() + html.size();
      if (!in_source || visit(element)) children = &element.children;
    }
    if (children) {
      for (unsigned i = children->length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children->data[i]));
      }
    }
  }
  gumbo_destroy_output(&options, output);
}

std::string_view TagName(const GumboElement& element) {
  if (element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element.tag);
  GumboStringPiece name = element.original_tag;
  gumbo_tag_from_original_text(&name);
  return {name.data, name.length};
}

// Where an attribute stands in the source: [begin, end), its value (as
// written, quotes included) at [value_at, value_at + value_size).
struct AttributeSpan {
  std::size_t begin = 0, end = 0, value_at = 0, value_size = 0;
};

std::optional<AttributeSpan> SpanOf(const GumboAttribute& attr, const std::string& html) {
  const char* const first = html.data();
  const char* const last = html.data() + html.size();
  const GumboStringPiece& name = attr.original_name;
  if (name.length == 0 || name.data < first || name.data + name.length > last) return std::nullopt;
  AttributeSpan span;
  span.begin = static_cast<std::size_t>(name.data - first);
  span.end = span.begin + name.length;
  const GumboStringPiece& value = attr.original_value;
  if (value.length > 0 && value.data >= first && value.data + value.length <= last) {
    span.value_at = static_cast<std::size_t>(value.data - first);
    span.value_size = value.length;
    span.end = span.value_at + span.value_size;
  }
  return span;
}

// Where an element stands in the source, from its start tag to the end of
// its end tag (or of the input, for a script left open).
std::pair<std::size_t, std::size_t> ElementSpan(const GumboElement& element,
                                                const std::string& html) {
  const std::size_t begin = static_cast<std::size_t>(element.original_tag.data - html.data());
  std::size_t end = begin + element.original_tag.length;
  if (element.original_end_tag.length > 0) {
    end = std::max(end, element.end_pos.offset + element.original_end_tag.length);
  } else {
    end = std::max(end, static_cast<std::size_t>(element.end_pos.offset));
  }
  return {begin, std::min(end, html.size())};
}

// Text with what HTML gives a meaning written as references, for a body
// too deeply nested to read safely (quotes too: harmless in text).
std::string EscapeAll(std::string_view text) { return "<p>" + EscapeAttribute(text) + "</p>"; }

struct Edit {
  std::size_t at, size;
  std::string text;
};

std::string ApplyEdits(const std::string& html, std::vector<Edit> edits) {
  if (edits.empty()) return html;
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at < b.at; });
  std::string out;
  out.reserve(html.size() + edits.size() * 32);
  std::size_t done = 0;
  for (const Edit& e : edits) {
    if (e.at < done) continue;  // inside an element already removed
    out.append(html, done, e.at - done);
    out += e.text;
    done = e.at + e.size;
  }
  out.append(html, done, std::string::npos);
  return out;
}

// The edits one attribute of a kept element needs: removed when it is an
// event handler, srcdoc, or a URL that runs code; resolved against |base|
// when it is a relative URL.
void EditAttribute(std::string_view element, const GumboAttribute& attr, const std::string& html,
                   const std::string& base, std::vector<Edit>* edits) {
  const std::optional<AttributeSpan> span = SpanOf(attr, html);
  if (!span) return;
  const std::string_view name = attr.name;
  const std::string value = attr.value;
  const bool handler = name.size() > 2 && EqualsLower(name.substr(0, 2), "on");
  const bool url = IsUrlAttribute(name);
  if (handler || EqualsLower(name, "srcdoc") || (url && RunsCode(element, name, value))) {
    edits->push_back({span->begin, span->end - span->begin, ""});
    return;
  }
  if (base.empty() || span->value_size == 0) return;
  std::string resolved;
  if (EqualsLower(name, "href") || EqualsLower(name, "src")) {
    if (HasScheme(value)) return;
    resolved = ResolveUrl(base, value);
    if (resolved == value) return;
  } else if (EqualsLower(name, "srcset")) {
    for (const SrcsetCandidate& c : ParseSrcset(value)) {
      if (!resolved.empty()) resolved += ", ";
      resolved += HasScheme(c.url) ? c.url : ResolveUrl(base, c.url);
      if (!c.descriptor.empty()) resolved += " " + c.descriptor;
    }
    if (resolved == value) return;
  } else {
    return;
  }
  edits->push_back({span->value_at, span->value_size, "\"" + EscapeAttribute(resolved) + "\""});
}

}  // namespace

std::string PrepareBody(const std::string& html, const std::string& base) {
  if (!MayNeedWork(html)) return html;
  if (!CheapToParse(html)) return EscapeAll(html);
  std::vector<Edit> edits;
  ForEachElement(html, [&](const GumboElement& element) {
    const std::string_view tag = TagName(element);
    if (IsDroppedElement(tag)) {
      const auto [begin, end] = ElementSpan(element, html);
      edits.push_back({begin, end - begin, ""});
      return false;
    }
    for (unsigned i = 0; i < element.attributes.length; ++i) {
      EditAttribute(tag, *static_cast<const GumboAttribute*>(element.attributes.data[i]), html,
                    base, &edits);
    }
    return true;
  });
  return ApplyEdits(html, std::move(edits));
}

namespace {

// Whether |html| has a "<name" anywhere, in any case: a page without an
// <img> or <source> is not parsed at all (pages carry "src" in their CSP).
bool MayHaveTag(const std::string& html, std::string_view name) {
  for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    if (html.size() - at - 1 >= name.size() &&
        EqualsLower(std::string_view(html).substr(at + 1, name.size()), name)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> ImageSources(const std::string& html) {
  std::vector<std::string> sources;
  if (!MayHaveTag(html, "img") && !MayHaveTag(html, "source")) return sources;
  if (!CheapToParse(html)) return sources;
  ForEachElement(html, [&](const GumboElement& element) {
    const std::string_view tag = TagName(element);
    const bool img = EqualsLower(tag, "img");
    if (!img && !EqualsLower(tag, "source")) return true;
    for (unsigned i = 0; i < element.attributes.length; ++i) {
      const auto* attr = static_cast<const GumboAttribute*>(element.attributes.data[i]);
      const std::string_view name = attr->name;
      if (img && EqualsLower(name, "src")) sources.push_back(attr->value);
      if (EqualsLower(name, "srcset")) {
        for (SrcsetCandidate& c : ParseSrcset(attr->value)) sources.push_back(std::move(c.url));
      }
    }
    return true;
  });
  return sources;
}

}  // namespace feedd
