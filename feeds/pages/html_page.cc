#include "feeds/pages/html_page.h"

#include <algorithm>
#include <sstream>
#include <string_view>

#include "feeds/core/media_types.h"
#include "feeds/core/routes.h"

namespace feedd {
namespace {

// Where SetRawHtml()'s fragment goes; a comment pugixml writes verbatim.
constexpr const char* kRawMarker = "feedd-raw-html";

// Plain and readable on a phone and a desktop, light or dark; no web fonts,
// no script.
constexpr const char* kStyle = R"(
:root { color-scheme: light dark; }
body { font: 1.05rem/1.55 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; }
header, footer { font-size: 0.9rem; color: GrayText; }
h1 { line-height: 1.2; }
img { max-width: 100%; height: auto; }
figure { margin: 1.5rem 0; }
figcaption, .meta { font-size: 0.9rem; color: GrayText; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid GrayText; }
code { word-break: break-all; }
.subscribe { border: 1px solid GrayText; border-radius: 0.4rem; padding: 0.5rem 1rem; }
ol.items li { margin-bottom: 1.2rem; }
)";

}  // namespace

pugi::xml_node AppendElement(pugi::xml_node parent, const char* name, const std::string& text) {
  pugi::xml_node node = parent.append_child(name);
  if (!text.empty()) node.text().set(text.c_str());
  return node;
}

pugi::xml_node AppendLink(pugi::xml_node parent, const std::string& href, const std::string& text) {
  pugi::xml_node a = AppendElement(parent, "a", text);
  a.append_attribute("href") = href.c_str();
  return a;
}

HtmlPage::HtmlPage(const std::string& language, const std::string& title) {
  doc_.append_child(pugi::node_doctype).set_value("html");
  pugi::xml_node html = doc_.append_child("html");
  html.append_attribute("lang") = language.c_str();
  head_ = html.append_child("head");
  head_.append_child("meta").append_attribute("charset") = "utf-8";
  // The page keeps its policy when it is served by something else (the
  // static export behind nginx or a CDN), not only under feedd serve.
  pugi::xml_node policy = head_.append_child("meta");
  policy.append_attribute("http-equiv") = "Content-Security-Policy";
  policy.append_attribute("content") = kPageContentSecurityPolicy;
  pugi::xml_node viewport = head_.append_child("meta");
  viewport.append_attribute("name") = "viewport";
  viewport.append_attribute("content") = "width=device-width, initial-scale=1";
  AppendElement(head_, "title", title);
  AppendElement(head_, "style", kStyle);
  body_ = html.append_child("body");
}

void HtmlPage::AddHeadLink(const char* rel, const std::string& href, const char* type,
                           const std::string& title) {
  pugi::xml_node link = head_.append_child("link");
  link.append_attribute("rel") = rel;
  if (type) link.append_attribute("type") = type;
  if (!title.empty()) link.append_attribute("title") = title.c_str();
  link.append_attribute("href") = href.c_str();
}

void HtmlPage::AddFeedLinks(const SiteInfo& site, const std::string& title,
                            const std::string& path) {
  for (FeedFormat format : kAllFormats) {
    AddHeadLink("alternate", Route::Feed(path, format).Url(site), MediaType(format),
                title + " (" + FormatName(format) + ")");
  }
}

void HtmlPage::SetRawHtml(pugi::xml_node parent, std::string html) {
  parent.append_child(pugi::node_comment).set_value(kRawMarker);
  raw_ = std::move(html);
}

std::string HtmlPage::Html() {
  // <td/> would open an element an HTML parser never sees closed: every
  // empty element but the void ones gets an empty text, so </td> is written.
  struct Closer : pugi::xml_tree_walker {
    bool for_each(pugi::xml_node& node) override {
      static constexpr std::string_view kVoid[] = {"meta", "link", "img", "br", "hr", "input"};
      if (node.type() == pugi::node_element && !node.first_child() &&
          std::find(std::begin(kVoid), std::end(kVoid), node.name()) == std::end(kVoid)) {
        node.append_child(pugi::node_pcdata);
      }
      return true;
    }
  } closer;
  doc_.traverse(closer);
  std::ostringstream out;
  doc_.save(out, "  ",
            pugi::format_indent | pugi::format_no_declaration | pugi::format_skip_control_chars);
  std::string page = out.str();
  const std::string marker = std::string("<!--") + kRawMarker + "-->";
  if (const std::size_t at = page.find(marker); at != std::string::npos) {
    page.replace(at, marker.size(), raw_);
  }
  return page;
}

}  // namespace feedd
