// feeds/parse/html_entity.h
//
// Decodes one HTML character reference ("&eacute;", "&#x41;", "&#233;") the
// way a browser does, by handing it to an HTML5 parser (gumbo): named
// references from the full HTML table, numeric ones with HTML's repairs
// (zero, surrogates and out-of-range numbers become U+FFFD).

#ifndef FEEDD_FEEDS_PARSE_HTML_ENTITY_H_
#define FEEDD_FEEDS_PARSE_HTML_ENTITY_H_

#include <string>
#include <string_view>

namespace feedd {

/// The UTF-8 text |reference| stands for; a string that is not a whole
/// known reference ("&notanentity;", though HTML would read "&not" in it)
/// comes back as written, as CommonMark leaves it.
std::string DecodeCharacterReference(std::string_view reference);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PARSE_HTML_ENTITY_H_
