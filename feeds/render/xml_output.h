// feeds/render/xml_output.h
//
// How every XML document feedd writes is serialised: UTF-8, a declaration,
// two-space indentation, control characters skipped (pugixml would otherwise
// write them as "&#NN;", which XML 1.0 forbids). One function so RSS and
// Atom cannot drift apart.

#ifndef FEEDD_FEEDS_RENDER_XML_OUTPUT_H_
#define FEEDD_FEEDS_RENDER_XML_OUTPUT_H_

#include <pugixml.hpp>
#include <string>

namespace feedd {

/// Starts the empty |doc| with the <?xml version="1.0" encoding="utf-8"?>
/// declaration and <?xml-stylesheet type="text/xsl" href="|stylesheet|"?>
/// (left out when |stylesheet| holds a character that needs escaping).
void StartXmlDocument(pugi::xml_document* doc, const std::string& stylesheet);

/// The serialised document, ending in a newline.
std::string SaveXml(const pugi::xml_document& doc);

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_XML_OUTPUT_H_
