// libFuzzer target: a fuzzed article through index, registry and all three
// renderers. Whatever the article holds, RSS and Atom must be well-formed
// XML (pugixml) and JSON Feed valid JSON (nlohmann); otherwise abort.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string_view>

#include "feeds/parse/article_parser.h"
#include "feeds/render/renderers.h"
#include "tests/testing/article_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string path = data[0] & 1 ? "world/fuzz.md" : "world/fuzz.txt";
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  feedd::ParsedFile parsed =
      feedd::ParseArticleFile(path, bytes, feedd::ParseOptions{}, feedd::ParseDepth::kFull);
  if (!parsed.article) return 0;
  feedd::Article article = std::move(*parsed.article);
  if (article.explicit_id.empty()) article.explicit_id = "fuzz";
  article.date = 1772323200;  // published now, whatever the file said
  article.draft = false;
  feedd::testing::TestSite site;
  site.Put(article);
  const feedd::Publication& publication = site.Publish(1772400000);
  for (const auto& [route, doc] : publication.snapshot->routes) {
    if (route.ends_with(".json")) {
      if (nlohmann::json::parse(doc->body, nullptr, /*allow_exceptions=*/false).is_discarded()) {
        std::abort();
      }
    } else {
      pugi::xml_document xml;
      // The index page is HTML written as XML: it must parse too.
      if (!xml.load_buffer(doc->body.data(), doc->body.size(),
                           pugi::parse_default | pugi::parse_doctype)) {
        std::abort();
      }
    }
  }
  return 0;
}
