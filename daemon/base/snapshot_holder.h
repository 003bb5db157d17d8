// daemon/base/snapshot_holder.h
//
// The one shared mutable cell between the rebuild worker and the request
// handlers: the current Snapshot. Publish() swaps the pointer; Current()
// copies it. Neither holds the lock longer than a pointer copy, and a
// request keeps the snapshot it got alive until its response is written.
//
// Thread safety: all methods may be called from any thread.

#ifndef FEEDD_DAEMON_BASE_SNAPSHOT_HOLDER_H_
#define FEEDD_DAEMON_BASE_SNAPSHOT_HOLDER_H_

#include <mutex>

#include "feeds/publish/snapshot.h"

namespace feedd {

class SnapshotHolder {
 public:
  /// Null until the first Publish().
  SnapshotPtr Current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }
  void Publish(SnapshotPtr snapshot) {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(snapshot);
  }

 private:
  mutable std::mutex mu_;
  SnapshotPtr current_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_BASE_SNAPSHOT_HOLDER_H_
