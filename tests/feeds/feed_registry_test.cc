#include "feeds/feed_selection.h"

#include <gtest/gtest.h>

#include "tests/testing/article_builder.h"

namespace feedd {
namespace {

constexpr UnixTime kNow = 1772323200;

using testing::MakeArticle;

std::vector<std::string> Ids(const FeedView& feed) {
  std::vector<std::string> ids;
  for (const FeedItem* item : feed.items) ids.push_back(item->article->id);
  return ids;
}

TEST(FeedSelectionTest, NewestFirstWithTiesBrokenById) {
  const std::vector<Article> articles = {MakeArticle("b", kNow - 10), MakeArticle("c", kNow - 5),
                                         MakeArticle("a", kNow - 10)};
  const FeedSet set = SelectFeeds(articles, SiteInfo{}, FeedSettings{}, kNow);
  ASSERT_EQ(1u, set.feeds.size());
  EXPECT_EQ((std::vector<std::string>{"c", "a", "b"}), Ids(set.feeds[0]));
  EXPECT_EQ(kNow - 5, set.feeds[0].updated);
}

TEST(FeedSelectionTest, KeepsOnlyTheNewestN) {
  std::vector<Article> articles;
  for (int i = 0; i < 10; ++i) articles.push_back(MakeArticle("id" + std::to_string(i), kNow - i));
  FeedSettings settings;
  settings.items = 3;
  const FeedSet set = SelectFeeds(articles, SiteInfo{}, settings, kNow);
  EXPECT_EQ((std::vector<std::string>{"id0", "id1", "id2"}), Ids(set.feeds[0]));
  EXPECT_EQ(3u, set.items.size());
}

TEST(FeedSelectionTest, DraftsAndEmbargoedArticlesAreLeftOut) {
  std::vector<Article> articles = {MakeArticle("draft", kNow - 1), MakeArticle("future", kNow + 60),
                                   MakeArticle("live", kNow)};
  articles[0].draft = true;
  const FeedSet set = SelectFeeds(articles, SiteInfo{}, FeedSettings{}, kNow);
  EXPECT_EQ((std::vector<std::string>{"live"}), Ids(set.feeds[0]));
}

TEST(FeedSelectionTest, OneFeedPerCategorySlugAfterMain) {
  const std::vector<Article> articles = {MakeArticle("a", kNow, {"World News"}),
                                         MakeArticle("b", kNow - 1, {"world news"}),
                                         MakeArticle("c", kNow - 2, {"Sport"})};
  const FeedSet set = SelectFeeds(articles, SiteInfo{}, FeedSettings{}, kNow);
  ASSERT_EQ(3u, set.feeds.size());
  EXPECT_EQ("main", set.feeds[0].key);
  EXPECT_EQ("category/sport", set.feeds[1].key);
  EXPECT_EQ("category/sport/feed", set.feeds[1].path);
  EXPECT_EQ("category/world-news", set.feeds[2].key);
  EXPECT_EQ((std::vector<std::string>{"a", "b"}), Ids(set.feeds[2]));
}

TEST(FeedSelectionTest, CategoryFeedsCanBeTurnedOff) {
  FeedSettings settings;
  settings.category_feeds = false;
  const FeedSet set = SelectFeeds({MakeArticle("a", kNow, {"World"})}, SiteInfo{}, settings, kNow);
  EXPECT_EQ(1u, set.feeds.size());
}

TEST(FeedSelectionTest, ItemLinksAndContentUrlsAreAbsolute) {
  std::vector<Article> articles = {MakeArticle("a", kNow)};
  articles[0].content_html = R"(<p><a href="/x">x</a> <img src="pic.jpg"></p>)";
  articles[0].image_url = "/img/a.jpg";
  SiteInfo site;
  site.item_link = "https://news.example.org/news/{slug}";
  const FeedSet set = SelectFeeds(articles, site, FeedSettings{}, kNow);
  const FeedItem& item = set.items.at(0);
  EXPECT_EQ("https://news.example.org/news/a", item.link);
  EXPECT_EQ(
      R"(<p><a href="https://news.example.org/x">x</a> <img src="https://news.example.org/news/pic.jpg"></p>)",
      item.content_html);
  EXPECT_EQ("https://news.example.org/img/a.jpg", item.image_url);
}

}  // namespace
}  // namespace feedd
