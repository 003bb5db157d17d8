#include "feeds/render/xml_output.h"

#include <sstream>

namespace feedd {

void StartXmlDocument(pugi::xml_document* doc, const std::string& stylesheet) {
  pugi::xml_node decl = doc->append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
  if (stylesheet.find_first_of("\"<>&?") != std::string::npos) return;
  pugi::xml_node pi = doc->append_child(pugi::node_pi);
  pi.set_name("xml-stylesheet");
  pi.set_value(("type=\"text/xsl\" href=\"" + stylesheet + "\"").c_str());
}

std::string SaveXml(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent | pugi::format_skip_control_chars, pugi::encoding_utf8);
  return out.str();
}

}  // namespace feedd
