#include "feeds/publish/surrogate_keys.h"

namespace feedd {
namespace {

bool KeptAsIs(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

// Appends |key| to |out| after a space; unless |always|, only when it fits.
bool Append(const std::string& key, std::string* out, bool always = false) {
  if (!always && out->size() + 1 + key.size() > kMaxDocumentKeyBytes) return false;
  *out += ' ';
  *out += key;
  return true;
}

}  // namespace

std::string SurrogateKey(std::string_view kind, std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string key;
  key.reserve(kind.size() + 1 + name.size());
  key.append(kind);
  key += ':';
  for (unsigned char c : name) {
    if (KeptAsIs(c)) {
      key += static_cast<char>(c);
    } else {
      key += '%';
      key += kHex[c >> 4];
      key += kHex[c & 0xf];
    }
  }
  return key;
}

std::string DocumentKeys(std::string_view path, const std::vector<std::string>& feeds,
                         const std::vector<std::string_view>& article_ids) {
  std::string keys = DocKey(path);
  for (const std::string& feed : feeds) {
    Append(SurrogateKey("feed", feed), &keys, /*always=*/true);
  }
  for (std::string_view id : article_ids) {
    if (!Append(SurrogateKey("article", id), &keys)) break;
  }
  keys.shrink_to_fit();
  return keys;
}

std::string FeedDocumentKeys(std::string_view path, const FeedView& view) {
  std::vector<std::string_view> ids;
  ids.reserve(view.items.size());
  for (const FeedItem& item : view.items) ids.push_back(item.article->id);
  return DocumentKeys(path, {view.key}, ids);
}

}  // namespace feedd
