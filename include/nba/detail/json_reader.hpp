// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/json_reader.hpp
/// Typed access to parsed JSON with nba errors that name the JSON pointer of the bad field.
/// Only the opt-in headers (json/, pega) include this, and with it nlohmann/json.
#ifndef NBA_DETAIL_JSON_READER_HPP
#define NBA_DETAIL_JSON_READER_HPP

#include "../error.hpp"
#include "string.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

using json = nlohmann::json;

[[nodiscard]] inline std::string child(const std::string& path, std::string_view key) {
    std::string p = path;
    append_pointer_token(p, key);
    return p;
}

[[nodiscard]] inline const char* json_type_name(const json& j) noexcept { return j.type_name(); }

inline void expect_object(const json& j, const std::string& path) {
    if (!j.is_object())
        throw_error(error_id::type_mismatch, path.empty() ? "/" : path,
                    std::string("expected an object, found ") + json_type_name(j));
}

/// The member `key` of object `j`, or nullptr.
[[nodiscard]] inline const json* find_member(const json& j, std::string_view key) {
    if (!j.is_object()) return nullptr;
    const auto it = j.find(std::string(key));
    return it == j.end() ? nullptr : &*it;
}

/// The member `key` of object `j` (at `path`); throws missing_field when absent.
[[nodiscard]] inline const json& member(const json& j, std::string_view key, const std::string& path) {
    expect_object(j, path);
    const json* m = find_member(j, key);
    if (!m) throw_error(error_id::missing_field, child(path, key), "required field is missing");
    return *m;
}

[[nodiscard]] inline double get_double(const json& j, const std::string& path) {
    if (!j.is_number())
        throw_error(error_id::type_mismatch, path, std::string("expected a number, found ") + json_type_name(j));
    const double x = j.get<double>();
    if (!std::isfinite(x)) throw_error(error_id::invalid_value, path, "the number is not finite");
    return x;
}

[[nodiscard]] inline double get_count(const json& j, const std::string& path) {
    const double x = get_double(j, path);
    if (x < 0.0) throw_error(error_id::invalid_value, path, "a count must be >= 0, not " + std::to_string(x));
    return x;
}

[[nodiscard]] inline std::uint32_t get_index(const json& j, const std::string& path) {
    if (!j.is_number_integer() || (j.is_number_integer() && j.get<std::int64_t>() < 0) ||
        (j.is_number_unsigned() && j.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()))
        throw_error(error_id::type_mismatch, path,
                    std::string("expected a non-negative integer, found ") +
                        (j.is_number() ? j.dump() : std::string(json_type_name(j))));
    return static_cast<std::uint32_t>(j.get<std::int64_t>());
}

[[nodiscard]] inline std::string get_string(const json& j, const std::string& path) {
    if (!j.is_string())
        throw_error(error_id::type_mismatch, path, std::string("expected a string, found ") + json_type_name(j));
    return j.get<std::string>();
}

[[nodiscard]] inline bool get_bool(const json& j, const std::string& path) {
    if (!j.is_boolean())
        throw_error(error_id::type_mismatch, path, std::string("expected true or false, found ") + json_type_name(j));
    return j.get<bool>();
}

inline void expect_array(const json& j, const std::string& path, std::size_t max_size) {
    if (!j.is_array())
        throw_error(error_id::type_mismatch, path, std::string("expected an array, found ") + json_type_name(j));
    if (j.size() > max_size)
        throw_error(error_id::too_large, path,
                    std::to_string(j.size()) + " elements; at most " + std::to_string(max_size) + " are allowed");
}

/// Checks that `j` is an object of nba's format `expected` ("format") in version `version`.
inline void check_format(const json& j, const char* expected, int version) {
    expect_object(j, "");
    const std::string format = get_string(member(j, "format", ""), "/format");
    if (format != expected)
        throw_error(error_id::unknown_name, "/format", "expected \"" + std::string(expected) + "\", found \"" + format + "\"");
    const json& v = member(j, "version", "");
    if (!v.is_number_integer())
        throw_error(error_id::type_mismatch, "/version", std::string("expected an integer, found ") + v.type_name());
    if (v.get<std::int64_t>() != version)
        throw_error(error_id::unsupported_version, "/version",
                    "format version " + v.dump() + "; this build reads version " + std::to_string(version));
}

template <class F>
[[nodiscard]] auto get_array(const json& j, const std::string& path, std::size_t max_size, F element)
    -> std::vector<decltype(element(j, path))> {
    expect_array(j, path, max_size);
    std::vector<decltype(element(j, path))> out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) out.push_back(element(j[i], pointer_index(path, i)));
    return out;
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_DETAIL_JSON_READER_HPP
