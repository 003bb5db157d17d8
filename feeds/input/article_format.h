// feeds/input/article_format.h
//
// Which files in the articles folder are articles, and in which format:
// decided by path alone, before anything is read, so the scan, the
// watcher and the parser agree.

#ifndef FEEDD_FEEDS_INPUT_ARTICLE_FORMAT_H_
#define FEEDD_FEEDS_INPUT_ARTICLE_FORMAT_H_

#include <string_view>

namespace feedd {

enum class ArticleFormat { kIgnored, kAgencyText, kMarkdown };

/// How |rel_path| is read: kIgnored for dotfiles and files in dot
/// directories, editor and partial files ("~", ".swp", ".tmp", ".part",
/// "#name#"), and any extension other than .txt, .md and .markdown.
ArticleFormat FormatForPath(std::string_view rel_path);

}  // namespace feedd

#endif  // FEEDD_FEEDS_INPUT_ARTICLE_FORMAT_H_
