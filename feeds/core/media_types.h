// feeds/core/media_types.h
//
// What feedd serves, by type: the three feed formats with their file
// extensions, media types and names, the HTML and stylesheet types, and
// image types by extension.

#ifndef FEEDD_FEEDS_CORE_MEDIA_TYPES_H_
#define FEEDD_FEEDS_CORE_MEDIA_TYPES_H_

#include <string>

namespace feedd {

enum class FeedFormat { kRss, kAtom, kJson };

/// ".rss", ".atom", ".json".
const char* FileExtension(FeedFormat format);
/// The media type: "application/rss+xml", "application/atom+xml",
/// "application/feed+json".
const char* MediaType(FeedFormat format);
/// The media type with charset, e.g. "application/rss+xml; charset=utf-8".
std::string ContentType(FeedFormat format);
/// "RSS", "Atom", "JSON Feed".
const char* FormatName(FeedFormat format);
inline constexpr FeedFormat kAllFormats[] = {FeedFormat::kRss, FeedFormat::kAtom,
                                             FeedFormat::kJson};

/// The type of every HTML page feedd makes.
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";
/// The type of the XSL stylesheet feeds point at.
inline constexpr const char* kStylesheetType = "application/xslt+xml; charset=utf-8";

/// The policy every HTML page and SVG image is served under (as a header
/// by feedd serve, in a <meta http-equiv> of the page itself for the
/// static export): no script runs, nothing loads but images, media and the
/// inline style. Article bodies may hold raw HTML from Markdown.
inline constexpr const char* kPageContentSecurityPolicy =
    "default-src 'none'; img-src * data:; media-src *; style-src 'unsafe-inline'";

/// The media type of an image URL or path, by its extension ("image/jpeg"),
/// or "" when it does not name an image.
std::string ImageMediaType(const std::string& url);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_MEDIA_TYPES_H_
