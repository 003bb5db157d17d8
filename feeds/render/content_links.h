// feeds/render/content_links.h
//
// Article bodies as feedd publishes them, in feeds and pages alike: what
// could run code is removed (script and plugin elements, event handlers,
// javascript: and data: URLs) because readers differ in what they strip,
// and relative links are made absolute against the article's link. Also
// the images a body shows. The HTML is walked by gumbo, as a browser reads
// it, never with a regex.

#ifndef FEEDD_FEEDS_RENDER_CONTENT_LINKS_H_
#define FEEDD_FEEDS_RENDER_CONTENT_LINKS_H_

#include <string>
#include <vector>

namespace feedd {

/// |html| without script, object, embed, applet, base, meta, link and frame
/// elements (and what they hold), without on* event handlers and srcdoc,
/// without URL attributes whose scheme is javascript:, vbscript: or data:
/// (but for data:image/ in an img src, SVG excepted); with every relative
/// href, src and srcset URL resolved against |base| (none when |base| is
/// empty). All other bytes stay as they are. Attributes are found as a
/// browser finds them, quoted or not, whatever their case. Markup nested
/// more than 1,000 deep, or with more than 500,000 tags, is published as
/// escaped text: the parser's cost grows with the square of the depth.
std::string PrepareBody(const std::string& html, const std::string& base);

/// The src and srcset URLs of every <img> (and the srcset of every
/// <source>) in |html|, as written (after entity decoding), in document
/// order; none for markup PrepareBody() would not parse.
std::vector<std::string> ImageSources(const std::string& html);

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_CONTENT_LINKS_H_
