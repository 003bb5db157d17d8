// tests/testing/served_text.h
//
// What the server and session tests serve and look for: a snapshot of two
// small text documents, "/a" ("document a\n") and "/b" ("document b\n"),
// and a count of how often a string occurs in what came back.

#ifndef FEEDD_TESTS_TESTING_SERVED_TEXT_H_
#define FEEDD_TESTS_TESTING_SERVED_TEXT_H_

#include <memory>
#include <string>

#include "feeds/publish/snapshot.h"

namespace feedd::testing {

inline SnapshotPtr TwoTextDocuments() {
  auto s = std::make_shared<Snapshot>();
  s->routes["/a"] = MakeDocument("text/plain; charset=utf-8", "document a\n", 1772323200);
  s->routes["/b"] = MakeDocument("text/plain; charset=utf-8", "document b\n", 1772323200);
  return s;
}

/// How many times |needle| occurs in |haystack|, overlaps included.
inline std::size_t Occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

}  // namespace feedd::testing

#endif  // FEEDD_TESTS_TESTING_SERVED_TEXT_H_
