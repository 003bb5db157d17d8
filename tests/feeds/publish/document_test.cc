#include "feeds/publish/document.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace feedd {
namespace {

// zlib's inflate of a gzip member: the reader's side of our libdeflate.
std::string Gunzip(const std::string& gz) {
  z_stream z{};
  EXPECT_EQ(Z_OK, inflateInit2(&z, 16 + MAX_WBITS));
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(Z_STREAM_END, inflate(&z, Z_FINISH));
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(DocumentTest, TheGzipRepresentationInflatesToTheBody) {
  const std::string body = "<rss>" + std::string(5000, 'n') + "</rss>\n";
  const DocumentPtr doc = MakeDocument("application/rss+xml; charset=utf-8", body, 1772323200);
  EXPECT_EQ(body, doc->body);
  EXPECT_LT(doc->gzip_body.size(), body.size() / 10);
  EXPECT_EQ(body, Gunzip(doc->gzip_body));
  EXPECT_EQ(1772323200, doc->last_modified);
  EXPECT_EQ("application/rss+xml; charset=utf-8", doc->content_type);
}

TEST(DocumentTest, EtagsAreStrongQuotedAndDependOnlyOnTheBody) {
  const DocumentPtr a = MakeDocument("text/plain", "same bytes", 1);
  const DocumentPtr b = MakeDocument("text/html", "same bytes", 2, "https://e.org/x");
  const DocumentPtr c = MakeDocument("text/plain", "other bytes", 1);
  EXPECT_EQ(a->etag, b->etag);
  EXPECT_EQ(a->gzip_etag, b->gzip_etag);
  EXPECT_NE(a->etag, c->etag);
  EXPECT_NE(a->etag, a->gzip_etag);  // two representations, two tags
  EXPECT_EQ(EtagOf("same bytes"), a->etag);
  for (const std::string& tag : {a->etag, a->gzip_etag}) {
    ASSERT_GE(tag.size(), 3u);
    EXPECT_EQ('"', tag.front());
    EXPECT_EQ('"', tag.back());
    EXPECT_FALSE(tag.starts_with("W/"));
    EXPECT_EQ(tag.size() - 1, tag.find('"', 1));  // no quote inside
  }
}

TEST(DocumentTest, GzipHasNoNameNoTimestampAndIsDeterministic) {
  const std::string gz = GzipCompress("the same input twice\n");
  EXPECT_EQ(gz, GzipCompress("the same input twice\n"));
  ASSERT_GE(gz.size(), 10u);
  EXPECT_EQ('\x1f', gz[0]);
  EXPECT_EQ('\x8b', gz[1]);
  EXPECT_EQ(0, gz[3] & 0x08);                        // FNAME not set
  EXPECT_EQ(std::string(4, '\0'), gz.substr(4, 4));  // MTIME zero
}

TEST(DocumentTest, WithoutCompressionThereIsOneRepresentation) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0", 10);
  const DocumentPtr doc = MakeDocument("image/png", png, 1, "", {}, 3600, true, /*compress=*/false);
  EXPECT_EQ(png, doc->body);
  EXPECT_TRUE(doc->gzip_body.empty());
  EXPECT_TRUE(doc->gzip_etag.empty());
  EXPECT_EQ(EtagOf(png), doc->etag);
  EXPECT_EQ(3600, doc->max_age);
  EXPECT_TRUE(doc->immutable);
}

TEST(DocumentTest, AnEmptyBodyStillHasBothRepresentations) {
  const DocumentPtr doc = MakeDocument("text/plain", "", 0);
  EXPECT_EQ("", Gunzip(doc->gzip_body));
  EXPECT_NE(doc->etag, doc->gzip_etag);
}

}  // namespace
}  // namespace feedd
