// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file error.hpp
/// The exception hierarchy. Every error nba reports carries
///  - a stable numeric id (`error_id`, never renumbered; see docs/errors.md),
///  - the path of the offending field as a JSON pointer (`/models/0/predictors/3/cuts`), empty when
///    the error is not about one field,
///  - a message that starts with a stable prefix: `[nba.<kind>.<id>] <path>: <what was wrong>`.
///
/// Bad *data* is reported by throwing; violated preconditions (programmer errors) are assertions.
#ifndef NBA_ERROR_HPP
#define NBA_ERROR_HPP

#include "config.hpp"

#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

namespace nba {
inline namespace v0 {

/// Stable error ids. The hundreds digit names the kind: 1xx parse_error, 2xx invalid_input,
/// 3xx invalid_argument. Ids are never reused or renumbered.
enum class error_id : int {
    syntax = 101,              ///< text is not well-formed (JSON, CSV, ...)
    encoding = 102,            ///< bytes are not valid in their encoding (UTF-8, base64, zlib)
    missing_field = 201,       ///< a required field is absent
    type_mismatch = 202,       ///< a field has the wrong type (string where a number belongs, ...)
    invalid_value = 203,       ///< a value is out of its domain (NaN, negative count, unsorted cuts)
    duplicate = 204,           ///< a key or name that must be unique appears twice
    size_mismatch = 205,       ///< arrays that must have the same length do not
    unsupported_version = 206, ///< a format version this build does not read
    unknown_name = 207,        ///< an enumerated name that is not one of the allowed ones
    too_large = 208,           ///< a size beyond the documented limits
    invalid_argument = 301,    ///< an argument an API cannot use
    incompatible = 302,        ///< two objects that must match do not (e.g. merging different models)
};

/// The id's name as it appears in messages, e.g. "missing_field".
[[nodiscard]] constexpr std::string_view to_string(error_id id) noexcept {
    switch (id) {
    case error_id::syntax: return "syntax";
    case error_id::encoding: return "encoding";
    case error_id::missing_field: return "missing_field";
    case error_id::type_mismatch: return "type_mismatch";
    case error_id::invalid_value: return "invalid_value";
    case error_id::duplicate: return "duplicate";
    case error_id::size_mismatch: return "size_mismatch";
    case error_id::unsupported_version: return "unsupported_version";
    case error_id::unknown_name: return "unknown_name";
    case error_id::too_large: return "too_large";
    case error_id::invalid_argument: return "invalid_argument";
    case error_id::incompatible: return "incompatible";
    }
    return "unknown";
}

/// The kind an id belongs to: "parse_error", "invalid_input" or "invalid_argument".
[[nodiscard]] constexpr std::string_view kind_of(error_id id) noexcept {
    const int n = static_cast<int>(id);
    if (n < 200) return "parse_error";
    if (n < 300) return "invalid_input";
    return "invalid_argument";
}

/// Base of every exception nba throws.
class error : public std::exception {
public:
    /// The stable id.
    [[nodiscard]] error_id id() const noexcept { return id_; }
    /// The stable id as a number (e.g. 203).
    [[nodiscard]] int code() const noexcept { return static_cast<int>(id_); }
    /// JSON pointer to the offending field; empty when the error concerns no single field.
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    /// What was wrong, without the prefix and path.
    [[nodiscard]] const std::string& detail() const noexcept { return detail_; }
    /// The full message: `[nba.<kind>.<id>] <path>: <detail>`.
    [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

protected:
    error(error_id id, std::string path, std::string detail)
        : id_(id), path_(std::move(path)), detail_(std::move(detail)) {
        message_.reserve(32 + path_.size() + detail_.size());
        message_ += "[nba.";
        message_ += kind_of(id_);
        message_ += '.';
        message_ += std::to_string(static_cast<int>(id_));
        message_ += "] ";
        if (!path_.empty()) {
            message_ += path_;
            message_ += ": ";
        }
        message_ += detail_;
    }

private:
    error_id id_;
    std::string path_;
    std::string detail_;
    std::string message_;
};

/// Input text that is not well-formed: ids 1xx.
class parse_error : public error {
public:
    parse_error(error_id id, std::string path, std::string detail)
        : error(id, std::move(path), std::move(detail)) {}
};

/// Well-formed input whose content is wrong (a field missing, of the wrong type, out of range,
/// inconsistent with another): ids 2xx.
class invalid_input : public error {
public:
    invalid_input(error_id id, std::string path, std::string detail)
        : error(id, std::move(path), std::move(detail)) {}
};

/// An argument an API cannot use: ids 3xx.
class invalid_argument : public error {
public:
    invalid_argument(error_id id, std::string path, std::string detail)
        : error(id, std::move(path), std::move(detail)) {}
};

namespace detail {

/// Throws (or, without exceptions, hands to NBA_THROW_USER) the error class that matches `id`.
/// Out of line of the hot path: callers only pay for it when something is wrong.
[[noreturn]] inline void throw_error(error_id id, std::string path, std::string detail) {
    const int n = static_cast<int>(id);
#if defined(NBA_NOEXCEPTION)
    if (n < 200) NBA_THROW_USER(parse_error(id, std::move(path), std::move(detail)));
    else if (n < 300) NBA_THROW_USER(invalid_input(id, std::move(path), std::move(detail)));
    else NBA_THROW_USER(invalid_argument(id, std::move(path), std::move(detail)));
    std::abort();
#else
    if (n < 200) throw parse_error(id, std::move(path), std::move(detail));
    if (n < 300) throw invalid_input(id, std::move(path), std::move(detail));
    throw invalid_argument(id, std::move(path), std::move(detail));
#endif
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_ERROR_HPP
