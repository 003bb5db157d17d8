// feeds/pages/html_page.h
//
// The frame of every HTML page feedd serves (the index, feed previews,
// article pages): an HTML5 document with charset, viewport, title, the one
// small stylesheet and the feeds' autodiscovery links, built as a pugixml
// tree so every text and attribute is escaped by pugixml. Only void
// elements are left empty, so an HTML parser reads the output as written.
// One fragment of trusted HTML (an article body) can be placed raw with
// SetRawHtml(). Deterministic: the same input gives the same bytes.

#ifndef FEEDD_FEEDS_PAGES_HTML_PAGE_H_
#define FEEDD_FEEDS_PAGES_HTML_PAGE_H_

#include <pugixml.hpp>
#include <string>

#include "feeds/core/site.h"

namespace feedd {

class HtmlPage {
 public:
  HtmlPage(const std::string& language, const std::string& title);

  /// <link rel=|rel| type=|type| title=|title| href=|href|> in the head.
  void AddHeadLink(const char* rel, const std::string& href, const char* type = nullptr,
                   const std::string& title = "");

  /// Autodiscovery: a <link rel="alternate"> to the feed at |path| in each
  /// format, titled "|title| (RSS)" and so on.
  void AddFeedLinks(const SiteInfo& site, const std::string& title, const std::string& path);

  pugi::xml_node head() const { return head_; }
  pugi::xml_node body() const { return body_; }

  /// Places |html| at |parent|'s end, written out as it is. At most one.
  void SetRawHtml(pugi::xml_node parent, std::string html);

  /// The page, starting with <!DOCTYPE html>.
  std::string Html();

 private:
  pugi::xml_document doc_;
  pugi::xml_node head_;
  pugi::xml_node body_;
  std::string raw_;
};

/// Appends <|name|>|text|</|name|> to |parent|; returns the element.
pugi::xml_node AppendElement(pugi::xml_node parent, const char* name, const std::string& text = "");

/// Appends <a href=|href|>|text|</a>.
pugi::xml_node AppendLink(pugi::xml_node parent, const std::string& href, const std::string& text);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PAGES_HTML_PAGE_H_
