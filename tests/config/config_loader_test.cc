#include "config/config_loader.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

// The config |text| gives, which must load.
Config Load(const std::string& text) {
  Result<Config> config = LoadConfigFromString(text, "feedd.toml", "/etc/feedd");
  EXPECT_TRUE(config.ok()) << config.status().message();
  return config.ok() ? std::move(*config) : Config();
}

std::string ErrorOf(const std::string& text) {
  const Status status = LoadConfigFromString(text, "feedd.toml", "/etc/feedd").status();
  if (status.ok()) return "no error";
  EXPECT_EQ(Status::Code::kBadInput, status.code());
  return status.message();
}

TEST(ConfigLoaderTest, FiveLineConfigIsEnough) {
  const Config c = Load(
      "[site]\ntitle = \"Example News\"\nlink = \"https://news.example.org/\"\n"
      "[articles]\ndir = \"/srv/news/articles\"\n");
  EXPECT_EQ("Example News", c.site.title);
  EXPECT_EQ("/srv/news/articles", c.articles_dir);
  EXPECT_EQ("https://news.example.org/", c.site.base_url);  // derived from link
  EXPECT_EQ("news.example.org", c.site.tag_authority);      // derived from link
  EXPECT_EQ(50, c.feeds.items);
}

TEST(ConfigLoaderTest, EmptyConfigGivesDefaults) {
  const Config c = Load("");
  EXPECT_EQ("feedd", c.site.title);
  EXPECT_EQ("/etc/feedd/articles", c.articles_dir);
  EXPECT_EQ(4u * 1024 * 1024, c.parse.max_file_size);
  EXPECT_FALSE(c.parse.agency.roles.empty());
}

TEST(ConfigLoaderTest, RelativePathsAreRelativeToTheConfigFile) {
  const Config c = Load("[articles]\ndir = \"news\"\n[state]\ndir = \"state\"\n");
  EXPECT_EQ("/etc/feedd/news", c.articles_dir);
  EXPECT_EQ("/etc/feedd/state", c.state_dir);
}

TEST(ConfigLoaderTest, UnknownKeyIsErrorNamingLine) {
  EXPECT_EQ("feedd.toml:3: unknown key 'colour' in [site]",
            ErrorOf("[site]\ntitle = \"x\"\ncolour = \"red\"\n"));
}

TEST(ConfigLoaderTest, UnknownTableIsErrorNamingLine) {
  EXPECT_EQ("feedd.toml:2: unknown table or key 'sever'", ErrorOf("\n[sever]\nport = 1\n"));
}

TEST(ConfigLoaderTest, WrongTypeIsErrorNamingLine) {
  EXPECT_EQ("feedd.toml:2: feeds.items must be a whole number",
            ErrorOf("[feeds]\nitems = \"ten\"\n"));
}

TEST(ConfigLoaderTest, OutOfRangeIsErrorNamingLine) {
  EXPECT_EQ("feedd.toml:2: feeds.items must be between 1 and 100000",
            ErrorOf("[feeds]\nitems = 0\n"));
}

TEST(ConfigLoaderTest, RelativeUrlIsError) {
  EXPECT_EQ("feedd.toml:2: site.link must be an absolute http:// or https:// URL",
            ErrorOf("[site]\nlink = \"news.example.org\"\n"));
}

TEST(ConfigLoaderTest, BadRegexIsErrorNamingLine) {
  const std::string error = ErrorOf("[agency]\n\ncut_from = ['(unclosed']\n");
  EXPECT_EQ(
      0u, error.find("feedd.toml:3: agency.cut_from '(unclosed' is not a valid regular expression"))
      << error;
}

TEST(ConfigLoaderTest, DeeplyNestedPatternNeverOverflowsTheStack) {
  // std::regex recursed once per level and crashed here; RE2 does not.
  const std::string nested = std::string(20000, '(') + "a" + std::string(20000, ')');
  const Config c = Load("[agency]\ncut_from = ['" + nested + "']\n");
  EXPECT_TRUE(c.parse.agency.boilerplate.cut_from().MatchesLine("xa"));
}

TEST(ConfigLoaderTest, TomlSyntaxErrorNamesLine) {
  const std::string error = ErrorOf("[site]\ntitle = \n");
  EXPECT_EQ(0u, error.find("feedd.toml:2: ")) << error;
}

TEST(ConfigLoaderTest, BoilerplateRulesAreCompiled) {
  const Config c = Load("[agency]\ncut_from = ['^Footer']\ndrop_lines = ['^Share$']\n");
  const Boilerplate& b = c.parse.agency.boilerplate;
  ASSERT_EQ(1u, b.cut_from().sources().size());
  EXPECT_TRUE(b.cut_from().MatchesLine("Footer text"));
  EXPECT_TRUE(b.drop_lines().MatchesLine("Share"));
  EXPECT_FALSE(b.drop_lines().MatchesLine("Share this"));
}

TEST(ConfigLoaderTest, CategoryPathNeedsPlaceholder) {
  EXPECT_EQ("feedd.toml:2: feeds.category_path must contain {category}",
            ErrorOf("[feeds]\ncategory_path = \"cats/feed\"\n"));
}

TEST(ConfigLoaderTest, MissingFileIsError) {
  const Status status = LoadConfig("/nonexistent/feedd.toml").status();
  EXPECT_EQ(Status::Code::kIoError, status.code());
  EXPECT_EQ("/nonexistent/feedd.toml: cannot open the config file", status.message());
}

TEST(ConfigLoaderTest, ShippedExampleConfigsLoad) {
  for (const char* file : {"/config/feedd.toml", "/examples/feedd.toml"}) {
    const Status status = LoadConfig(std::string(FEEDD_SOURCE_DIR) + file).status();
    EXPECT_TRUE(status.ok()) << status.message();
  }
}

TEST(ConfigLoaderTest, CustomFeedsAreReadWithTheirFilters) {
  const Config c = Load(
      "[feeds]\nitems = 30\n"
      "[[feeds.custom]]\nname = \"Harbour sport\"\npath = \"topics/harbour-sport\"\n"
      "categories = [\"Sport\"]\ntags = [\"harbour\", \"ferry\"]\nitems = 10\n"
      "content = \"summary\"\n"
      "[[feeds.custom]]\nname = \"Desk\"\npath = \"desk\"\nfolders = [\"desk\"]\n"
      "authors = [\"Ann Lee\"]\n");
  ASSERT_EQ(2u, c.feeds.custom.size());
  const FeedDefinition& sport = c.feeds.custom[0];
  EXPECT_EQ("Harbour sport", sport.name);
  EXPECT_EQ("topics/harbour-sport", sport.path);
  EXPECT_EQ(std::vector<std::string>{"Sport"}, sport.categories);
  EXPECT_EQ((std::vector<std::string>{"harbour", "ferry"}), sport.tags);
  EXPECT_EQ(10, sport.items);
  EXPECT_TRUE(sport.summary_only);
  EXPECT_EQ(std::vector<std::string>{"desk"}, c.feeds.custom[1].folders);
  EXPECT_EQ(std::vector<std::string>{"Ann Lee"}, c.feeds.custom[1].authors);
  EXPECT_EQ(0, c.feeds.custom[1].items);  // feeds.items
  EXPECT_FALSE(c.feeds.custom[1].summary_only);
  EXPECT_EQ(30, c.feeds.items);
}

TEST(ConfigLoaderTest, BadCustomFeedsNameTheirLine) {
  EXPECT_EQ("feedd.toml:1: [[feeds.custom]] needs a name and a path",
            ErrorOf("[[feeds.custom]]\nname = \"x\"\n"));
  EXPECT_EQ("feedd.toml:3: feeds.custom.content must be \"full\" or \"summary\"",
            ErrorOf("[[feeds.custom]]\nname = \"x\"\ncontent = \"all\"\npath = \"x\"\n"));
  EXPECT_EQ("feedd.toml:6: feeds.custom path 'feed' is used by another feed",
            ErrorOf("[[feeds.custom]]\nname = \"a\"\npath = \"a\"\n"
                    "[[feeds.custom]]\nname = \"b\"\npath = \"feed\"\n"));
  EXPECT_EQ("feedd.toml:4: unknown key 'colour' in [feeds.custom]",
            ErrorOf("[[feeds.custom]]\nname = \"a\"\npath = \"a\"\ncolour = 1\n"));
  EXPECT_EQ("feedd.toml:3: feeds.custom.path must be a relative path without '..'",
            ErrorOf("[[feeds.custom]]\nname = \"a\"\npath = \"../x\"\n"));
}

}  // namespace
}  // namespace feedd

namespace feedd {
namespace {

TEST(ConfigLoaderTest, PollersAreOnByDefaultWithTheMaxAgeWindowAndNothingTrusted) {
  const Config c = Load("");
  EXPECT_TRUE(c.server.pollers.enabled);
  EXPECT_EQ(0, c.server.pollers.window);  // max-age
  EXPECT_EQ(100000, c.server.pollers.max_clients);
  EXPECT_TRUE(c.server.pollers.trusted.empty());
}

TEST(ConfigLoaderTest, PollersTakeAWindowInSecondsOrMaxAgeAndTrustedRanges) {
  const Config c = Load(
      "[pollers]\nenabled = false\nwindow = 900\nmax_clients = 10\n"
      "trusted = [\"10.0.0.0/8\", \"::1\"]\n");
  EXPECT_FALSE(c.server.pollers.enabled);
  EXPECT_EQ(900, c.server.pollers.window);
  EXPECT_EQ(10, c.server.pollers.max_clients);
  EXPECT_EQ((std::vector<std::string>{"10.0.0.0/8", "::1"}), c.server.pollers.trusted);
  EXPECT_EQ(0, Load("[pollers]\nwindow = \"max-age\"\n").server.pollers.window);
  EXPECT_EQ("feedd.toml:2: pollers.window must be \"max-age\" or a number of seconds",
            ErrorOf("[pollers]\nwindow = \"hourly\"\n"));
  EXPECT_EQ(
      "feedd.toml:2: pollers.trusted 'nginx' is not an address or a range such as "
      "10.0.0.0/8 or ::1",
      ErrorOf("[pollers]\ntrusted = [\"nginx\"]\n"));
}

TEST(ConfigLoaderTest, CacheDefaultsAreXkeyWithBothStaleDirectives) {
  const Config c = Load("");
  EXPECT_EQ("xkey", c.server.cache.key_header);
  EXPECT_EQ(30, c.server.cache.stale_while_revalidate);
  EXPECT_EQ(86400, c.server.cache.stale_if_error);
  EXPECT_TRUE(c.purges.empty());
}

TEST(ConfigLoaderTest, CacheKeysAreRead) {
  const Config c = Load(
      "[cache]\nkey_header = \"Surrogate-Key\"\nstale_while_revalidate = 0\n"
      "stale_if_error = 600\n");
  EXPECT_EQ("Surrogate-Key", c.server.cache.key_header);
  EXPECT_EQ(0, c.server.cache.stale_while_revalidate);
  EXPECT_EQ(600, c.server.cache.stale_if_error);
  EXPECT_EQ("", Load("[cache]\nkey_header = \"\"\n").server.cache.key_header);
}

TEST(ConfigLoaderTest, BadCacheValuesNameTheirLine) {
  EXPECT_EQ("feedd.toml:2: cache.key_header must be a header name such as xkey or Surrogate-Key",
            ErrorOf("[cache]\nkey_header = \"x key\"\n"));
  EXPECT_EQ("feedd.toml:3: cache.stale_if_error must be between 0 and 31536000",
            ErrorOf("[cache]\n\nstale_if_error = -1\n"));
  EXPECT_EQ("feedd.toml:2: unknown key 'ttl' in [cache]", ErrorOf("[cache]\nttl = 1\n"));
}

TEST(ConfigLoaderTest, PurgeEndpointsNeedOnlyAUrl) {
  const Config c = Load(
      "[[purge]]\nurl = \"http://127.0.0.1:6081/\"\n"
      "[[purge]]\nurl = \"https://edge2.example.net/\"\nmethod = \"BAN\"\n"
      "key_header = \"Cache-Tag\"\nsecret_header = \"X-Token\"\nsecret = \"s3cret\"\n");
  ASSERT_EQ(2u, c.purges.size());
  EXPECT_EQ("http://127.0.0.1:6081/", c.purges[0].url);
  EXPECT_EQ("PURGE", c.purges[0].method);
  EXPECT_EQ("xkey-purge", c.purges[0].key_header);
  EXPECT_EQ("X-Purge-Secret", c.purges[0].secret_header);
  EXPECT_EQ("", c.purges[0].secret);
  EXPECT_EQ("BAN", c.purges[1].method);
  EXPECT_EQ("Cache-Tag", c.purges[1].key_header);
  EXPECT_EQ("X-Token", c.purges[1].secret_header);
  EXPECT_EQ("s3cret", c.purges[1].secret);
}

TEST(ConfigLoaderTest, BadPurgeEndpointsNameTheirLine) {
  EXPECT_EQ("feedd.toml:1: [[purge]] needs a url", ErrorOf("[[purge]]\nmethod = \"BAN\"\n"));
  EXPECT_EQ("feedd.toml:3: purge.method must be \"PURGE\" or \"BAN\"",
            ErrorOf("[[purge]]\nurl = \"http://e/\"\nmethod = \"DELETE\"\n"));
  EXPECT_EQ("feedd.toml:2: purge.url must be an absolute http:// or https:// URL",
            ErrorOf("[[purge]]\nurl = \"edge:6081\"\n"));
  EXPECT_EQ("feedd.toml:3: unknown key 'port' in [purge]",
            ErrorOf("[[purge]]\nurl = \"http://e/\"\nport = 6081\n"));
  EXPECT_EQ("feedd.toml:4: purge url 'http://e/' is listed twice",
            ErrorOf("[[purge]]\nurl = \"http://e/\"\n[[purge]]\nurl = \"http://e/\"\n"));
  EXPECT_EQ("feedd.toml:1: 'purge' must be an array of tables ([[purge]])",
            ErrorOf("purge = \"http://e/\"\n"));
  EXPECT_EQ("feedd.toml:2: purge.secret must not hold control characters",
            ErrorOf("[[purge]]\nsecret = \"a\\nb\"\nurl = \"http://e/\"\n"));
}

}  // namespace
}  // namespace feedd
