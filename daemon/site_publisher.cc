#include "daemon/site_publisher.h"

#include <sys/stat.h>

#include "daemon/article_scan.h"
#include "feeds/article_json.h"
#include "feeds/article_parser.h"

namespace feedd {

SitePublisher::SitePublisher(const Config& config, IdentityLedger* ledger, unsigned threads)
    : config_(config), ledger_(ledger), threads_(threads), catalog_(ledger) {}

void SitePublisher::Store(const std::vector<ArticleFile>& listed, Problems* problems) {
  std::vector<ParsedFile> parsed =
      ParseArticleFiles(config_.articles_dir, listed, config_.parse, threads_);
  for (std::size_t i = 0; i < listed.size(); ++i) {
    Entry& entry = files_[listed[i].rel_path];
    entry.mtime = listed[i].mtime;
    entry.size = listed[i].size;
    entry.parsed = std::move(parsed[i].article);
    entry.hash = entry.parsed ? ContentHash(*entry.parsed) : std::string();
    for (Problem& p : parsed[i].problems) problems->push_back(std::move(p));
  }
}

Publication SitePublisher::Rescan(UnixTime now, Problems* problems) {
  const std::vector<ArticleFile> listed = ListArticleFiles(config_.articles_dir, problems);
  std::vector<ArticleFile> changed;
  std::set<std::string> present, report;
  for (const ArticleFile& f : listed) {
    present.insert(f.rel_path);
    auto it = files_.find(f.rel_path);
    if (it == files_.end() || it->second.mtime != f.mtime || it->second.size != f.size) {
      changed.push_back(f);
      report.insert(f.rel_path);
    }
  }
  const bool first = !previous_;
  std::erase_if(files_, [&](const auto& kv) { return !present.count(kv.first); });
  Store(changed, problems);
  return Resolve(now, report, first, problems);
}

Publication SitePublisher::Update(const std::set<std::string>& paths, UnixTime now,
                                  Problems* problems) {
  std::vector<ArticleFile> changed;
  for (const std::string& rel : paths) {
    if (FormatForPath(rel) == ArticleFormat::kIgnored) continue;
    struct stat st;
    const std::string full = (config_.articles_dir / rel).string();
    if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      files_.erase(rel);  // deleted, or moved away
      continue;
    }
    changed.push_back(
        {rel, static_cast<UnixTime>(st.st_mtime), static_cast<std::uintmax_t>(st.st_size)});
  }
  Store(changed, problems);
  return Resolve(now, paths, false, problems);
}

Publication SitePublisher::Republish(UnixTime now, Problems* problems) {
  return Resolve(now, {}, false, problems);
}

Publication SitePublisher::Resolve(UnixTime now, const std::set<std::string>& report,
                                   bool report_all, Problems* problems) {
  std::vector<ScannedFile> scanned;
  scanned.reserve(files_.size());
  for (const auto& [path, entry] : files_) {
    scanned.push_back({path, entry.mtime, entry.parsed, entry.hash});
  }
  Problems catalog_problems;
  ledger_->BeginBatch();
  std::vector<Article> articles = catalog_.ResolveScan(std::move(scanned), &catalog_problems);
  ledger_->CommitBatch();
  // The catalog re-states standing warnings on every rebuild; pass on only
  // those about files this rebuild looked at.
  for (Problem& p : catalog_problems) {
    if (report_all || report.count(p.file)) problems->push_back(std::move(p));
  }
  Publication publication = Publish(articles, config_.site, config_.feeds, now, previous_.get(),
                                    [this](const Article& a) { return LoadContent(a); });
  previous_ = publication.snapshot;
  // Everything is in the ledger now: keep metadata only.
  for (auto& [path, entry] : files_) {
    if (entry.parsed && !entry.parsed->content_html.empty()) {
      std::string().swap(entry.parsed->content_html);
    }
  }
  return publication;
}

std::string SitePublisher::LoadContent(const Article& article) {
  if (!article.content_html.empty()) return article.content_html;
  const std::optional<LedgerRecord> record = ledger_->FindById(article.id);
  if (!record) return "";
  const std::optional<Article> last_good = ArticleFromJson(record->last_good);
  return last_good ? last_good->content_html : "";
}

}  // namespace feedd
