// feeds/core/fingerprint.h
//
// A 64-bit hash of a sequence of values, the same in every process and on
// every run (XXH3 over the values' bytes, strings with their length), for
// telling whether what a document is made from changed since an earlier run.

#ifndef FEEDD_FEEDS_CORE_FINGERPRINT_H_
#define FEEDD_FEEDS_CORE_FINGERPRINT_H_

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

#include <cstdint>
#include <string_view>
#include <type_traits>

namespace feedd {

class Fingerprint {
 public:
  Fingerprint() { XXH3_64bits_reset(&state_); }

  Fingerprint& Add(std::string_view text) {
    Add(static_cast<std::uint64_t>(text.size()));
    XXH3_64bits_update(&state_, text.data(), text.size());
    return *this;
  }
  template <class Int, class = std::enable_if_t<std::is_integral_v<Int>>>
  Fingerprint& Add(Int value) {
    const auto wide = static_cast<std::int64_t>(value);
    XXH3_64bits_update(&state_, &wide, sizeof wide);
    return *this;
  }

  /// Never 0, which callers keep for "unknown".
  std::uint64_t Value() const {
    const std::uint64_t value = XXH3_64bits_digest(&state_);
    return value == 0 ? 1 : value;
  }

 private:
  XXH3_state_t state_;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_FINGERPRINT_H_
