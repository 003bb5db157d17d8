#include "feeds/parse/html_fragment.h"

#include <sstream>
#include <string>

namespace feedd {

void HtmlFragment::AddHeading(int level, std::string_view text) {
  const std::string name = "h" + std::to_string(level < 1 ? 1 : level > 6 ? 6 : level);
  Add(name.c_str(), text);
}

void HtmlFragment::Add(const char* element, std::string_view text) {
  doc_.append_child(element).append_child(pugi::node_pcdata).set_value(std::string(text).c_str());
}

std::string HtmlFragment::Html() const {
  std::ostringstream out;
  bool first = true;
  for (const pugi::xml_node block : doc_.children()) {
    if (!first) out << '\n';
    first = false;
    block.print(out, "", pugi::format_raw | pugi::format_skip_control_chars);
  }
  return out.str();
}

}  // namespace feedd
