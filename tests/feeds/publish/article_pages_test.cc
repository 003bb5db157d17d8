#include "feeds/publish/article_pages.h"

#include <gtest/gtest.h>

#include <map>

namespace feedd {
namespace {

constexpr UnixTime kPublished = 1772323200;

// Article files as the loader reads them, and how often it did.
struct Files {
  std::map<std::string, Article> by_path;
  int loads = 0;
  ArticleLoader Loader() {
    return [this](const std::string& path) -> std::optional<LoadedArticle> {
      ++loads;
      auto it = by_path.find(path);
      if (it == by_path.end()) return std::nullopt;
      return LoadedArticle{it->second, 0};
    };
  }
};

Article Parsed(const std::string& title, const std::string& slug = "") {
  Article a;
  a.title = title;
  a.slug = slug;
  a.authors = {"Ann Lee"};
  a.author_role = "Reporter";
  a.categories = {"World"};
  a.summary = "The lead.";
  a.content_html = "<p>Body with <a href=\"other.html\">a link</a>.</p>";
  return a;
}

// An index record as the index holds it after reading |a| at |path|.
IndexRecord Record(const std::string& id, const std::string& path, Article a,
                   std::uint64_t revision = 1) {
  IndexRecord r;
  r.id = id;
  r.path = path;
  r.present = true;
  r.revision = revision;
  a.id = id;
  a.published = kPublished;
  a.updated = kPublished;
  a.content_html.clear();  // the index keeps no bodies
  r.article = std::move(a);
  return r;
}

struct PagesTest : ::testing::Test {
  Files files;
  SiteInfo site;
  ArticlePages pages{site, FeedSettings{}, files.Loader()};
  std::vector<std::string> changed, removed;
};

TEST_F(PagesTest, APublishedArticleHasAPageRenderedWhenFirstAsked) {
  files.by_path["world/a.txt"] = Parsed("Bridge closes");
  const IndexRecord r = Record("a", "world/a.txt", Parsed("Bridge closes"));
  pages.Update(r, true, &changed, &removed);
  EXPECT_EQ(std::vector<std::string>{"/articles/a.html"}, changed);
  EXPECT_EQ(0, files.loads);  // nothing rendered ahead

  const DocumentPtr page = pages.Find("/articles/a.html");
  ASSERT_NE(nullptr, page);
  EXPECT_EQ("text/html; charset=utf-8", page->content_type);
  EXPECT_EQ(kPublished, page->last_modified);
  EXPECT_EQ("http://127.0.0.1:8080/articles/a.html", page->self_url);
  EXPECT_EQ("doc:/articles/a.html feed:main feed:category/world feed:author/ann-lee article:a",
            page->keys);
  EXPECT_NE(std::string::npos, page->body.find("<h1>Bridge closes</h1>"));
  EXPECT_NE(std::string::npos, page->body.find("By Ann Lee, Reporter."));
  EXPECT_NE(
      std::string::npos,
      page->body.find("<link rel=\"canonical\" href=\"http://127.0.0.1:8080/articles/a.html\" />"));
  // Autodiscovery of the feeds it is in: main, its category, its author.
  for (const char* feed : {"feed.rss", "category/world/feed.atom", "author/ann-lee/feed.json"}) {
    EXPECT_NE(std::string::npos, page->body.find(std::string("http://127.0.0.1:8080/") + feed))
        << feed;
  }
  // The body's relative link is made absolute against the page.
  EXPECT_NE(std::string::npos,
            page->body.find("href=\"http://127.0.0.1:8080/articles/other.html\""));
  EXPECT_EQ(1, files.loads);
  EXPECT_EQ(page, pages.Find("/articles/a.html"));  // cached
  EXPECT_EQ(1, files.loads);
  EXPECT_EQ(nullptr, pages.Find("/articles/b.html"));
}

TEST_F(PagesTest, APageChangesOnlyWhenItsArticleDoes) {
  files.by_path["a.txt"] = Parsed("First");
  IndexRecord r = Record("a", "a.txt", Parsed("First"));
  pages.Update(r, true, &changed, &removed);
  const DocumentPtr first = pages.Find("/articles/a.html");

  changed.clear();
  pages.Update(r, true, &changed, &removed);  // looked at again, unchanged
  EXPECT_TRUE(changed.empty());
  EXPECT_EQ(first, pages.Find("/articles/a.html"));

  files.by_path["a.txt"] = Parsed("Second");
  r.revision = 2;
  pages.Update(r, true, &changed, &removed);
  EXPECT_EQ(std::vector<std::string>{"/articles/a.html"}, changed);
  const DocumentPtr second = pages.Find("/articles/a.html");
  EXPECT_NE(std::string::npos, second->body.find("<h1>Second</h1>"));
  EXPECT_NE(first->etag, second->etag);
}

TEST_F(PagesTest, WithdrawnAndRenamedPagesAreReportedRemoved) {
  files.by_path["a.txt"] = Parsed("A", "old-slug");
  IndexRecord r = Record("a", "a.txt", Parsed("A", "old-slug"));
  pages.Update(r, true, &changed, &removed);
  ASSERT_NE(nullptr, pages.Find("/articles/old-slug.html"));

  changed.clear();
  r.article->slug = "new-slug";
  r.revision = 2;
  pages.Update(r, true, &changed, &removed);
  EXPECT_EQ(std::vector<std::string>{"/articles/new-slug.html"}, changed);
  EXPECT_EQ(std::vector<std::string>{"/articles/old-slug.html"}, removed);
  EXPECT_EQ(nullptr, pages.Find("/articles/old-slug.html"));

  removed.clear();
  pages.Update(r, false, &changed, &removed);  // a draft now, or deleted
  EXPECT_EQ(std::vector<std::string>{"/articles/new-slug.html"}, removed);
  EXPECT_EQ(nullptr, pages.Find("/articles/new-slug.html"));
  EXPECT_EQ(0u, pages.size());
}

TEST_F(PagesTest, SlugsThatWouldLeaveTheFolderAndOwnLinksGetNoPage) {
  for (const char* slug : {"../etc/passwd", "a/../../b", "./a", "a//b", "a\\b", "a/"}) {
    Article a = Parsed("A", slug);
    EXPECT_EQ("", ArticlePages::RouteOf(a)) << slug;
  }
  Article nested = Parsed("A", "2026/11/bridge");
  EXPECT_EQ("/articles/2026/11/bridge.html", ArticlePages::RouteOf(nested));
  Article elsewhere = Parsed("A");
  elsewhere.id = "a";
  elsewhere.link = "https://news.example.org/a";
  EXPECT_EQ("", ArticlePages::RouteOf(elsewhere));
}

TEST_F(PagesTest, TwoArticlesAskingForOneSlugHaveTwoPages) {
  // As the index decides: "a" owns "x", "b" gets "x-b".
  files.by_path["a.md"] = Parsed("First", "x");
  files.by_path["b.md"] = Parsed("Second", "x");
  const IndexRecord a = Record("a", "a.md", Parsed("First", "x"));
  IndexRecord b = Record("b", "b.md", Parsed("Second", "x"));
  b.article->page_slug = "x-b";
  pages.Update(a, true, &changed, &removed);
  pages.Update(b, true, &changed, &removed);
  EXPECT_EQ((std::vector<std::string>{"/articles/x.html", "/articles/x-b.html"}), changed);
  const DocumentPtr first = pages.Find("/articles/x.html");
  const DocumentPtr second = pages.Find("/articles/x-b.html");
  ASSERT_NE(nullptr, first);
  ASSERT_NE(nullptr, second);
  EXPECT_NE(std::string::npos, first->body.find("<h1>First</h1>"));
  EXPECT_NE(std::string::npos, second->body.find("<h1>Second</h1>"));
  EXPECT_EQ("http://127.0.0.1:8080/articles/x-b.html", second->self_url);

  // The owner goes; the index gives "b" the plain slug. In either order of
  // updates, "/articles/x.html" is "b"'s page and only "x-b" is removed.
  changed.clear();
  b.article->page_slug.clear();
  ++b.revision;
  pages.Update(b, true, &changed, &removed);
  pages.Update(a, false, &changed, &removed);
  EXPECT_EQ(std::vector<std::string>{"/articles/x.html"}, changed);
  EXPECT_EQ(std::vector<std::string>{"/articles/x-b.html"}, removed);
  const DocumentPtr now = pages.Find("/articles/x.html");
  ASSERT_NE(nullptr, now);
  EXPECT_NE(std::string::npos, now->body.find("<h1>Second</h1>"));
  EXPECT_EQ(nullptr, pages.Find("/articles/x-b.html"));
  EXPECT_EQ(1u, pages.size());
}

TEST_F(PagesTest, ARouteHandedToAnotherArticleNeverServesThePreviousOnesPage) {
  // "a" asks for slug "x" and its page is rendered; then a file whose id is
  // "x" arrives and owns the slug. Both records are at revision 1.
  files.by_path["a.md"] = Parsed("First", "x");
  files.by_path["x.md"] = Parsed("Owner By Id");
  IndexRecord a = Record("a", "a.md", Parsed("First", "x"));
  pages.Update(a, true, &changed, &removed);
  const DocumentPtr before = pages.Find("/articles/x.html");
  ASSERT_NE(nullptr, before);
  EXPECT_NE(std::string::npos, before->body.find("<h1>First</h1>"));

  const IndexRecord x = Record("x", "x.md", Parsed("Owner By Id"));
  a.article->page_slug = "x-a";
  pages.Update(a, true, &changed, &removed);
  pages.Update(x, true, &changed, &removed);
  const DocumentPtr owner = pages.Find("/articles/x.html");
  ASSERT_NE(nullptr, owner);
  EXPECT_NE(std::string::npos, owner->body.find("<h1>Owner By Id</h1>"));
  // Unreadable now: no stand-in from the other article either.
  files.by_path.erase("x.md");
  const DocumentPtr unreadable = pages.Find("/articles/x.html");
  EXPECT_TRUE(unreadable == nullptr ||
              unreadable->body.find("<h1>First</h1>") == std::string::npos);
}

TEST_F(PagesTest, AnUnreadableFileKeepsTheLastRenderedPage) {
  files.by_path["a.txt"] = Parsed("Kept");
  IndexRecord r = Record("a", "a.txt", Parsed("Kept"));
  pages.Update(r, true, &changed, &removed);
  const DocumentPtr page = pages.Find("/articles/a.html");
  files.by_path.clear();
  r.revision = 2;
  pages.Update(r, true, &changed, &removed);
  EXPECT_EQ(page, pages.Find("/articles/a.html"));
}

TEST_F(PagesTest, HostileTextIsEscaped) {
  const std::string title = "<script>alert(1)</script> & \"quotes\"";
  Article a = Parsed(title);
  a.authors = {"<b>Eve</b>"};
  a.image_url = "x.jpg\" onerror=\"alert(2)";
  a.image_credit = "</figcaption><script>";
  files.by_path["a.txt"] = a;
  const IndexRecord r = Record("a", "a.txt", a);
  pages.Update(r, true, &changed, &removed);
  const std::string body = pages.Find("/articles/a.html")->body;
  EXPECT_EQ(std::string::npos, body.find("<script>"));
  EXPECT_EQ(std::string::npos, body.find("<b>Eve"));
  EXPECT_EQ(std::string::npos, body.find("\" onerror="));
  EXPECT_NE(std::string::npos,
            body.find("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\"</h1>"));
}

// The publisher's part: what each Update() moved is remembered.
struct PagesHistoryTest : PagesTest {
  void Publish(const IndexRecord& record, bool published = true) {
    ServedHistory floors;
    pages.Update(record, published, &changed, &removed, &served, &floors);
    for (auto& [route, doc] : floors) served[route] = doc;
  }
  UnixTime LastModified(const std::string& route) {
    const DocumentPtr page = pages.Find(route);
    return page ? page->last_modified : -1;
  }
  ServedHistory served;
};

TEST_F(PagesHistoryTest, AnEditThatKeepsTheDateStillMovesLastModified) {
  files.by_path["a.txt"] = Parsed("First");
  IndexRecord r = Record("a", "a.txt", Parsed("First"));
  r.hash = 1;
  Publish(r);
  EXPECT_EQ(kPublished, LastModified("/articles/a.html"));
  EXPECT_EQ(kPublished, served.at("/articles/a.html").last_modified);

  // Edited with its front matter lastmod kept: the date stays, the page changes.
  files.by_path["a.txt"] = Parsed("Second");
  r.hash = 2;
  r.revision = 2;
  Publish(r);
  EXPECT_EQ(kPublished + 1, LastModified("/articles/a.html"));
  Publish(r);  // looked at again: nothing moves
  EXPECT_EQ(kPublished + 1, LastModified("/articles/a.html"));
}

TEST_F(PagesHistoryTest, AnOlderArticleTakingTheRouteOverNeverDatesItEarlier) {
  files.by_path["a.md"] = Parsed("Newer", "x");
  files.by_path["b.md"] = Parsed("Older", "x");
  IndexRecord a = Record("a", "a.md", Parsed("Newer", "x"));
  a.article->updated = kPublished + 1000;
  Publish(a);
  EXPECT_EQ(kPublished + 1000, LastModified("/articles/x.html"));
  Publish(a, false);  // deleted
  IndexRecord b = Record("b", "b.md", Parsed("Older", "x"));
  Publish(b);
  EXPECT_EQ(kPublished + 1001, LastModified("/articles/x.html"));
}

TEST_F(PagesHistoryTest, AfterARestartAPageKeepsItsLastModified) {
  files.by_path["a.txt"] = Parsed("First");
  IndexRecord r = Record("a", "a.txt", Parsed("First"));
  r.hash = 1;
  Publish(r);
  r.hash = 2;
  r.revision = 2;
  Publish(r);
  ASSERT_EQ(kPublished + 1, LastModified("/articles/a.html"));

  // A new process: revisions count again, the history remembers.
  ArticlePages restarted(site, FeedSettings{}, files.Loader());
  IndexRecord again = Record("a", "a.txt", Parsed("First"));
  again.hash = 2;
  ServedHistory floors;
  restarted.Update(again, true, &changed, &removed, &served, &floors);
  EXPECT_EQ(kPublished + 1, restarted.Find("/articles/a.html")->last_modified);
  EXPECT_TRUE(floors.empty());  // nothing new to remember
  // Edited while it was down: later than before.
  ArticlePages edited(site, FeedSettings{}, files.Loader());
  again.hash = 3;
  edited.Update(again, true, &changed, &removed, &served, &floors);
  EXPECT_EQ(kPublished + 2, edited.Find("/articles/a.html")->last_modified);
  EXPECT_EQ(kPublished + 2, floors.at("/articles/a.html").last_modified);
}

TEST(ArticlePagesCacheTest, KeepsAtMostTheConfiguredNumberOfPages) {
  Files files;
  ArticlePages pages(SiteInfo{}, FeedSettings{}, files.Loader(), 1);
  std::vector<std::string> changed, removed;
  const IndexRecord a = Record("a", "a.txt", Parsed("a"));
  const IndexRecord b = Record("b", "b.txt", Parsed("b"));
  for (const IndexRecord* r : {&a, &b}) {
    files.by_path[r->path] = *r->article;
    pages.Update(*r, true, &changed, &removed);
  }
  pages.Find("/articles/a.html");
  pages.Find("/articles/b.html");  // evicts a
  pages.Find("/articles/b.html");
  EXPECT_EQ(2, files.loads);
  pages.Find("/articles/a.html");
  EXPECT_EQ(3, files.loads);
}

}  // namespace
}  // namespace feedd
