#include "feeds/core/media_types.h"

#include <cctype>

namespace feedd {

namespace {

struct FormatNames {
  const char* extension;
  const char* media_type;
  const char* name;
};

const FormatNames& NamesOf(FeedFormat format) {
  static constexpr FormatNames kRss{".rss", "application/rss+xml", "RSS"};
  static constexpr FormatNames kAtom{".atom", "application/atom+xml", "Atom"};
  static constexpr FormatNames kJson{".json", "application/feed+json", "JSON Feed"};
  return format == FeedFormat::kRss ? kRss : format == FeedFormat::kAtom ? kAtom : kJson;
}

}  // namespace

const char* FileExtension(FeedFormat format) { return NamesOf(format).extension; }

const char* MediaType(FeedFormat format) { return NamesOf(format).media_type; }

std::string ContentType(FeedFormat format) {
  return std::string(MediaType(format)) + "; charset=utf-8";
}

const char* FormatName(FeedFormat format) { return NamesOf(format).name; }

std::string ImageMediaType(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return "";
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png" || ext == "gif" || ext == "webp" || ext == "avif") return "image/" + ext;
  if (ext == "svg") return "image/svg+xml";
  return "";
}

}  // namespace feedd
