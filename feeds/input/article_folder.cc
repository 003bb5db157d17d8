#include "feeds/input/article_folder.h"

namespace feedd {

bool Listing::Unknown(const std::string& rel_path) const {
  for (const std::string& dir : unreadable) {
    if (dir.empty() || (rel_path.size() > dir.size() && rel_path.compare(0, dir.size(), dir) == 0 &&
                        rel_path[dir.size()] == '/')) {
      return true;
    }
  }
  return false;
}

}  // namespace feedd
