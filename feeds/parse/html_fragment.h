// feeds/parse/html_fragment.h
//
// Builds an HTML fragment of paragraphs and headings from plain text, with
// pugixml doing the escaping. Used for the agency text format, whose body is
// plain text, not markup.

#ifndef FEEDD_FEEDS_PARSE_HTML_FRAGMENT_H_
#define FEEDD_FEEDS_PARSE_HTML_FRAGMENT_H_

#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace feedd {

class HtmlFragment {
 public:
  void AddParagraph(std::string_view text) { Add("p", text); }
  /// |level| 1 to 6.
  void AddHeading(int level, std::string_view text);

  /// The blocks in order, one per line: "<p>a &amp; b</p>\n<h2>x</h2>".
  std::string Html() const;

 private:
  void Add(const char* element, std::string_view text);
  pugi::xml_document doc_;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_HTML_FRAGMENT_H_
