#include "feeds/xml_output.h"

#include <sstream>

namespace feedd {

void AddXmlDeclaration(pugi::xml_document* doc) {
  pugi::xml_node decl = doc->prepend_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
}

void AddXslStylesheet(pugi::xml_document* doc, const std::string& href) {
  if (href.find_first_of("\"<>&?") != std::string::npos) return;
  pugi::xml_node pi = doc->insert_child_after(pugi::node_pi, doc->first_child());
  pi.set_name("xml-stylesheet");
  pi.set_value(("type=\"text/xsl\" href=\"" + href + "\"").c_str());
}

std::string SaveXml(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent | pugi::format_skip_control_chars, pugi::encoding_utf8);
  return out.str();
}

}  // namespace feedd
