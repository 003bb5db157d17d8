// feeds/render/content_links.h
//
// The links inside article bodies: relative href and src attributes made
// absolute against the article's link, and the images a body shows. The
// HTML is walked by gumbo, as a browser reads it, never with a regex.

#ifndef FEEDD_FEEDS_RENDER_CONTENT_LINKS_H_
#define FEEDD_FEEDS_RENDER_CONTENT_LINKS_H_

#include <string>
#include <vector>

namespace feedd {

/// |html| with every relative href and src attribute resolved against
/// |base|; all other bytes stay as they are. Attributes are found as a
/// browser finds them, quoted or not, whatever their case. Markup nested
/// more than 1,000 deep, or with more than 500,000 tags, is returned
/// unchanged: the parser's cost grows with the square of the nesting depth.
std::string AbsolutizeUrls(const std::string& html, const std::string& base);

/// The src of every <img> in |html|, as written (after entity decoding), in
/// document order; none for markup AbsolutizeUrls() would not parse.
std::vector<std::string> ImageSources(const std::string& html);

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_CONTENT_LINKS_H_
