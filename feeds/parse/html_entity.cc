#include "feeds/parse/html_entity.h"

#include <gumbo.h>

namespace feedd {
namespace {

// The text of the first text node under |node|, depth first.
const char* FirstText(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEXT) return node->v.text.text;
  const GumboVector* children = node->type == GUMBO_NODE_DOCUMENT  ? &node->v.document.children
                                : node->type == GUMBO_NODE_ELEMENT ? &node->v.element.children
                                                                   : nullptr;
  if (!children) return nullptr;
  for (unsigned i = 0; i < children->length; ++i) {
    if (const char* text = FirstText(static_cast<const GumboNode*>(children->data[i]))) {
      return text;
    }
  }
  return nullptr;
}

}  // namespace

std::string DecodeCharacterReference(std::string_view reference) {
  // A reference is short and holds no markup; anything else is not one.
  if (reference.size() < 3 || reference.size() > 40 || reference.front() != '&' ||
      reference.find_first_of("<>", 0) != std::string_view::npos) {
    return std::string(reference);
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&options, reference.data(), reference.size());
  const char* text = FirstText(output->document);
  std::string decoded = text ? text : std::string(reference);
  gumbo_destroy_output(&options, output);
  // HTML also decodes a known prefix without its ';' ("&notit;" reads as
  // "\u00ACit;"); CommonMark, and so the rendered content, does not. A
  // result that still ends in ';' was such a prefix.
  if (decoded.size() > 1 && decoded.back() == ';') return std::string(reference);
  return decoded;
}

}  // namespace feedd
