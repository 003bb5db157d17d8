// daemon/base/parallel.h
//
// Runs independent pieces of one job on several threads: the parse of a
// cold start, the rendering and compression of many documents. Threads are
// made per call and joined before it returns; the callers' jobs are large
// enough (files, documents) that this costs nothing measurable.

#ifndef FEEDD_DAEMON_BASE_PARALLEL_H_
#define FEEDD_DAEMON_BASE_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace feedd {

/// Calls body(i) for every i < |count|, spread over at most |threads|
/// threads (the caller's included), each taking the next index as it
/// finishes one. Returns when all are done. |body| must not throw.
void ParallelFor(unsigned threads, std::size_t count, const std::function<void(std::size_t)>& body);

}  // namespace feedd

#endif  // FEEDD_DAEMON_BASE_PARALLEL_H_
