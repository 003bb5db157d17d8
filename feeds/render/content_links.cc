#include "feeds/render/content_links.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <functional>
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

// Cheap test before parsing: could any href or src attribute be here?
bool MayHoldRelativeUrl(std::string_view html) {
  for (std::size_t at = html.find('='); at != std::string_view::npos; at = html.find('=', at + 1)) {
    std::size_t end = at;
    while (end > 0 && std::isspace(static_cast<unsigned char>(html[end - 1]))) --end;
    const std::string_view before = html.substr(end >= 4 ? end - 4 : 0, end >= 4 ? 4 : end);
    std::string lower(before);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "href" || (lower.size() >= 3 && lower.substr(lower.size() - 3) == "src")) {
      return true;
    }
  }
  return false;
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

// Calls |visit| with (element, attribute name, value, offset, length of the
// value as written) for every attribute of every element of |html|, read as
// a browser reads it (gumbo). Values gumbo made up are skipped.
void ForEachUrlAttribute(
    const std::string& html,
    const std::function<void(std::string_view, std::string_view, const std::string&, std::size_t,
                             std::size_t)>& visit) {
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
      children = &node->v.element.children;
      const GumboVector& attributes = node->v.element.attributes;
      for (unsigned i = 0; i < attributes.length; ++i) {
        const auto* attr = static_cast<const GumboAttribute*>(attributes.data[i]);
        const GumboStringPiece& raw = attr->original_value;
        if (raw.length == 0 || raw.data < html.data() ||
            raw.data + raw.length > html.data() + html.size()) {
          continue;  // no value, or one gumbo made up
        }
        visit(gumbo_normalized_tagname(node->v.element.tag), attr->name, attr->value,
              static_cast<std::size_t>(raw.data - html.data()), raw.length);
      }
    }
    if (children) {
      for (unsigned i = children->length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children->data[i]));
      }
    }
  }
  gumbo_destroy_output(&options, output);
}

}  // namespace

std::string AbsolutizeUrls(const std::string& html, const std::string& base) {
  if (base.empty() || !MayHoldRelativeUrl(html) || !CheapToParse(html)) return html;

  struct Edit {
    std::size_t at, size;
    std::string text;
  };
  std::vector<Edit> edits;
  ForEachUrlAttribute(html, [&](std::string_view, std::string_view name, const std::string& value,
                                std::size_t at, std::size_t size) {
    if (name != "href" && name != "src") return;
    if (HasScheme(value)) return;
    const std::string resolved = ResolveUrl(base, value);
    if (resolved == value) return;
    edits.push_back({at, size, "\"" + EscapeAttribute(resolved) + "\""});
  });

  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at < b.at; });
  std::string out;
  out.reserve(html.size() + edits.size() * 32);
  std::size_t done = 0;
  for (const Edit& e : edits) {
    if (e.at < done) continue;  // overlapping: cannot happen with source positions
    out.append(html, done, e.at - done);
    out += e.text;
    done = e.at + e.size;
  }
  out.append(html, done, std::string::npos);
  return out;
}

std::vector<std::string> ImageSources(const std::string& html) {
  std::vector<std::string> sources;
  if (html.find("src") == std::string::npos || !CheapToParse(html)) return sources;
  ForEachUrlAttribute(html, [&](std::string_view element, std::string_view name,
                                const std::string& value, std::size_t, std::size_t) {
    if (element == "img" && name == "src") sources.push_back(value);
  });
  return sources;
}

}  // namespace feedd
