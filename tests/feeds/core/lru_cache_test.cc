#include "feeds/core/lru_cache.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(LruCacheTest, DropsTheLeastRecentlyUsedOverBudget) {
  LruCache<int> cache(2);
  cache.Put("a", 1);
  cache.Put("b", 2);
  ASSERT_NE(nullptr, cache.Find("a"));  // a is now the most recent
  cache.Put("c", 3);                    // b goes
  EXPECT_EQ(nullptr, cache.Find("b"));
  EXPECT_EQ(1, *cache.Find("a"));
  EXPECT_EQ(3, *cache.Find("c"));
  cache.Put("a", 10);  // replaced, not added
  EXPECT_EQ(2u, cache.size());
  EXPECT_EQ(10, *cache.Find("a"));
}

TEST(LruCacheTest, CostsCountAgainstTheBudgetAndTheNewestAlwaysStays) {
  LruCache<int> cache(100);
  cache.Put("small", 1, 40);
  cache.Put("medium", 2, 50);
  cache.Put("large", 3, 30);  // 120 > 100: small goes
  EXPECT_EQ(nullptr, cache.Find("small"));
  EXPECT_NE(nullptr, cache.Find("medium"));
  cache.Put("huge", 4, 500);  // over budget alone: kept, the rest go
  EXPECT_EQ(1u, cache.size());
  EXPECT_EQ(4, *cache.Find("huge"));
}

}  // namespace
}  // namespace feedd
