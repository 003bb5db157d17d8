#include "daemon/base/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace feedd {

void ParallelFor(unsigned threads, std::size_t count,
                 const std::function<void(std::size_t)>& body) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) body(i);
  };
  const std::size_t helpers = std::min<std::size_t>(threads > 0 ? threads - 1 : 0, count);
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < helpers + 1 && t < count; ++t) pool.emplace_back(work);
  work();
}  // the jthreads join here

}  // namespace feedd
