//===- Status.h - Error reporting without exceptions ------------*- C++ -*-===//
//
// The runtime's public API reports failure by value: compiler code links the
// runtime and builds with -fno-exceptions, so no exception may cross the API.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace snnrt {

/// Why an operation failed. The driver maps each kind to a documented exit code
/// (docs/user-guide.md, "Exit codes").
enum class ErrorKind {
  BadInput = 1,  ///< malformed or inconsistent user input (files, options)
  Io,            ///< a file could not be read or written
  Mismatch,      ///< a verification found a difference
  Internal,      ///< a bug: an invariant of the runtime itself was broken
};

class Status {
public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string message,
                      ErrorKind kind = ErrorKind::BadInput) {
    Status s;
    s.failed_ = true;
    s.kind_ = kind;
    s.message_ = std::move(message);
    return s;
  }
  bool isOk() const { return !failed_; }
  explicit operator bool() const { return !failed_; }
  const std::string &message() const { return message_; }
  ErrorKind kind() const { return kind_; }

  /// Prefixes the message with context, e.g. the file or dataset name,
  /// unless the message names it already ("corrupted: ... of FILE").
  Status &withContext(const std::string &context) {
    if (failed_ && message_.find(context) == std::string::npos)
      message_ = context + ": " + message_;
    return *this;
  }

private:
  bool failed_ = false;
  ErrorKind kind_ = ErrorKind::BadInput;
  std::string message_;
};

/// A value or the Status saying why there is none.
template <typename T> class Expected {
public:
  Expected(T value) : value_(std::move(value)) {}
  Expected(Status status) : status_(std::move(status)) {
    assert(!status_.isOk() && "Expected built from an ok Status");
  }
  bool hasValue() const { return value_.has_value(); }
  explicit operator bool() const { return value_.has_value(); }
  T &operator*() { return *value_; }
  const T &operator*() const { return *value_; }
  T *operator->() { return &*value_; }
  const T *operator->() const { return &*value_; }
  T take() { return std::move(*value_); }
  const Status &status() const { return status_; }

private:
  std::optional<T> value_;
  Status status_;
};

} // namespace snnrt

/// Returns from the enclosing function if a Status-returning expression fails.
#define SNNRT_TRY(expr)                                                        \
  do {                                                                         \
    ::snnrt::Status snnrtTryStatus_ = (expr);                                  \
    if (!snnrtTryStatus_)                                                      \
      return snnrtTryStatus_;                                                  \
  } while (false)
