// feeds/core/lru_cache.h
//
// A map by string key that holds at most a budget of cost (entries, or
// bytes), dropping the least recently used entries first; the newest entry
// always stays, whatever it costs. Used by the documents rendered on
// request (pages, archives, author feeds) and the local images.
//
// Thread safety: none; the owner locks.

#ifndef FEEDD_FEEDS_CORE_LRU_CACHE_H_
#define FEEDD_FEEDS_CORE_LRU_CACHE_H_

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace feedd {

template <typename Value>
class LruCache {
 public:
  explicit LruCache(std::size_t budget) : budget_(budget) {}

  /// The value kept for |key|, made the most recently used; null if none.
  Value* Find(const std::string& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    used_.splice(used_.begin(), used_, it->second.used);
    return &it->second.value;
  }

  /// Keeps |value| for |key| (replacing what was kept), at |cost|.
  void Put(const std::string& key, Value value, std::size_t cost = 1) {
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      total_ -= it->second.cost;
      it->second.value = std::move(value);
      it->second.cost = cost;
      used_.splice(used_.begin(), used_, it->second.used);
    } else {
      used_.push_front(key);
      entries_.emplace(key, Entry{std::move(value), cost, used_.begin()});
    }
    total_ += cost;
    Trim();
  }

  /// Holds at most |budget| from now on, dropping the least recently used
  /// entries now if they cost more.
  void SetBudget(std::size_t budget) {
    budget_ = budget;
    Trim();
  }

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Value value;
    std::size_t cost;
    std::list<std::string>::iterator used;
  };
  void Trim() {
    while (total_ > budget_ && entries_.size() > 1) {
      auto victim = entries_.find(used_.back());
      total_ -= victim->second.cost;
      entries_.erase(victim);
      used_.pop_back();
    }
  }

  std::size_t budget_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> used_;  // keys, most recently used first
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_LRU_CACHE_H_
