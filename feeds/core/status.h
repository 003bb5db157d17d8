// feeds/core/status.h
//
// How an operation that can fail in an expected way says so: a Status (ok,
// or an error whose message names what failed and why: the file, the
// line, the store) or a Result<T> (a value, or such an error). Expected
// failures are these values, never exceptions: a file that cannot be read,
// a folder that is gone, a state store that is locked or full, a bad
// config. The error style as a whole is in docs/architecture.md, "Errors".
// (leveldb's Status is the model; C++20 has no std::expected.)
//
// Both are [[nodiscard]]: a failure cannot be dropped by accident.

#ifndef FEEDD_FEEDS_CORE_STATUS_H_
#define FEEDD_FEEDS_CORE_STATUS_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace feedd {

class [[nodiscard]] Status {
 public:
  /// What kind of thing failed, for the callers that decide by it.
  enum class Code {
    kOk,
    kIoError,     ///< a file, a folder, a socket
    kStoreError,  ///< the state store: what feedd remembers
    kBadInput,    ///< a config or other input feedd was given
  };

  /// Ok.
  Status() = default;
  static Status IoError(std::string message) { return {Code::kIoError, std::move(message)}; }
  static Status StoreError(std::string message) { return {Code::kStoreError, std::move(message)}; }
  static Status BadInput(std::string message) { return {Code::kBadInput, std::move(message)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  /// The error, naming what failed; "" when ok.
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

/// A T, or the Status of why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit, as a return value
  /// |error| must not be ok.
  Result(Status error) : value_(std::move(error)) {  // NOLINT
    assert(!std::get<Status>(value_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  /// Ok when there is a value.
  Status status() const { return ok() ? Status() : std::get<Status>(value_); }

  /// Only when ok().
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_STATUS_H_
