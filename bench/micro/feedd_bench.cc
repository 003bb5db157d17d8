// Micro-benchmarks (Google Benchmark) of the steps every change and every
// request pays for: parsing one article, rendering a 50-item feed in each
// format, compressing it, and the conditional-GET decision.
//
//   build/default/bench/micro/feedd_bench [--benchmark_filter=...]
//
// Bytes per second are reported where a step has an input size.

#include <benchmark/benchmark.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "daemon/http/negotiation.h"
#include "feeds/parse/article_parser.h"
#include "feeds/publish/document.h"
#include "feeds/render/renderers.h"
#include "tests/testing/article_builder.h"

namespace feedd {
namespace {

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(FEEDD_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ParseOptions AgencyOptions() {
  ParseOptions options;
  std::size_t bad;
  std::string error;
  options.agency.boilerplate.SetCutFrom({"^Northwind News Agency is registered"}, &bad, &error);
  options.agency.boilerplate.SetDropLines({"^Theme$", "^Autoreload$", "©"}, &bad, &error);
  return options;
}

// Parses one example file as |rel_path| again and again; range(0) picks
// the depth (0: metadata, 1: full).
void BenchParse(benchmark::State& state, const char* source, const char* rel_path,
                const ParseOptions& options) {
  const std::string text = ReadSource(source);
  const auto depth = state.range(0) ? ParseDepth::kFull : ParseDepth::kMetadata;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseArticleFile(rel_path, text, options, depth));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetLabel(depth == ParseDepth::kFull ? "full" : "metadata");
}

void BM_ParseAgency(benchmark::State& state) {
  BenchParse(state, "examples/articles/100_5f1c0a9e2b7d4e31.txt", "world/100.txt", AgencyOptions());
}
BENCHMARK(BM_ParseAgency)->Arg(0)->Arg(1);

void BM_ParseMarkdown(benchmark::State& state) {
  BenchParse(state, "examples/articles/science/observatory-new-telescope.md", "science/x.md",
             ParseOptions());
}
BENCHMARK(BM_ParseMarkdown)->Arg(0)->Arg(1);

// Deterministic prose, different for every seed, as bench/gen_corpus.py
// writes it: compression sees news text, not one article fifty times.
std::string Prose(unsigned seed, std::size_t bytes) {
  static const char* kWords[] = {"council",   "approved", "budget",    "harbour",   "ministry",
                                 "reported",  "farmers",  "bridge",    "agreement", "station",
                                 "people",    "affected", "officials", "regional",  "schools",
                                 "transport", "prices",   "weather",   "season",    "talks"};
  std::string out;
  std::uint32_t x = seed * 2654435761u + 1;
  while (out.size() < bytes) {
    out += "<p>";
    for (int w = 0; w < 60; ++w) {
      x = x * 1664525u + 1013904223u;
      out += kWords[(x >> 16) % 20];
      out += w % 12 == 11 ? ". " : " ";
      if (w % 17 == 0) out += std::to_string(x % 997) + " ";
    }
    out += "</p>\n";
  }
  return out;
}

// A main feed of 50 articles of about 5 KB, as the corpus generator writes.
class Feed50 {
 public:
  Feed50() {
    const std::string body = ReadSource("examples/articles/100_5f1c0a9e2b7d4e31.txt");
    const ParsedFile parsed = ParseArticleFile("a.txt", body, AgencyOptions(), ParseDepth::kFull);
    for (int i = 0; i < 50; ++i) {
      Article a = *parsed.article;
      a.explicit_id = "article-" + std::to_string(i);
      a.title = "Story " + std::to_string(i) + " " + Prose(i + 100, 40).substr(3, 40);
      a.date = 1772323200 + i * 3600;
      a.categories = {"World"};
      a.content_html = Prose(i, 5000);
      a.summary = a.content_html.substr(3, 200);
      site_.Put(a);
    }
    site_.Publish(1800000000);
    view_ = site_.View("main");
  }
  const FeedView& view() const { return view_; }

 private:
  testing::TestSite site_;
  FeedView view_;
};

const Feed50& TheFeed() {
  static const Feed50 feed;
  return feed;
}

void BM_Render(benchmark::State& state) {
  const auto format = static_cast<FeedFormat>(state.range(0));
  const SiteInfo site;
  const FeedSettings settings;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string doc = RenderFeed(format, TheFeed().view(), site, settings);
    bytes = doc.size();
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetLabel(std::string(FormatName(format)) + ", 50 items, " + std::to_string(bytes / 1024) +
                 " KB");
}
BENCHMARK(BM_Render)
    ->Arg(static_cast<int>(FeedFormat::kRss))
    ->Arg(static_cast<int>(FeedFormat::kAtom))
    ->Arg(static_cast<int>(FeedFormat::kJson));

std::string TheRss() {
  return RenderFeed(FeedFormat::kRss, TheFeed().view(), SiteInfo{}, FeedSettings{});
}

void BM_GzipLibdeflate(benchmark::State& state) {
  const std::string rss = TheRss();
  std::size_t out = 0;
  for (auto _ : state) {
    const std::string gz = GzipCompress(rss);
    out = gz.size();
    benchmark::DoNotOptimize(gz);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * rss.size()));
  state.SetLabel("level " + std::to_string(kGzipLevel) + ", " + std::to_string(rss.size()) +
                 " -> " + std::to_string(out) + " bytes");
}
BENCHMARK(BM_GzipLibdeflate);

// What feedd used before libdeflate, for the record.
void BM_GzipZlib9(benchmark::State& state) {
  const std::string rss = TheRss();
  std::size_t out = 0;
  for (auto _ : state) {
    z_stream z{};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    std::string gz(deflateBound(&z, rss.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(rss.data()));
    z.avail_in = static_cast<uInt>(rss.size());
    z.next_out = reinterpret_cast<Bytef*>(gz.data());
    z.avail_out = static_cast<uInt>(gz.size());
    deflate(&z, Z_FINISH);
    out = z.total_out;
    deflateEnd(&z);
    benchmark::DoNotOptimize(gz);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * rss.size()));
  state.SetLabel(std::to_string(rss.size()) + " -> " + std::to_string(out) + " bytes");
}
BENCHMARK(BM_GzipZlib9);

void BM_ConditionalGet(benchmark::State& state) {
  const std::string etag = "\"0123456789abcdef0123456789abcdef-gz\"";
  const std::string if_none_match = "\"aaaa\", W/" + etag;
  const std::string accept = "gzip;q=1.0, deflate;q=0.8, br;q=0.9, identity;q=0.5";
  for (auto _ : state) {
    benchmark::DoNotOptimize(http::ChooseCoding(accept));
    benchmark::DoNotOptimize(http::NotModified(if_none_match, std::nullopt, etag, 1772323200));
  }
}
BENCHMARK(BM_ConditionalGet);

}  // namespace
}  // namespace feedd

BENCHMARK_MAIN();
