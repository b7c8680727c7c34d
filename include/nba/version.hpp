// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file version.hpp
/// The library version. This header is the single source of truth: CMake parses the three macros.
#ifndef NBA_VERSION_HPP
#define NBA_VERSION_HPP

#define NBA_VERSION_MAJOR 0
#define NBA_VERSION_MINOR 1
#define NBA_VERSION_PATCH 0

#define NBA_DETAIL_STRINGIFY2(x) #x
#define NBA_DETAIL_STRINGIFY(x) NBA_DETAIL_STRINGIFY2(x)

/// The version as a string literal, e.g. "0.1.0".
#define NBA_VERSION_STRING                                                                         \
    NBA_DETAIL_STRINGIFY(NBA_VERSION_MAJOR)                                                        \
    "." NBA_DETAIL_STRINGIFY(NBA_VERSION_MINOR) "." NBA_DETAIL_STRINGIFY(NBA_VERSION_PATCH)

/// The version as one number, MAJOR * 10000 + MINOR * 100 + PATCH, for `#if` comparisons.
#define NBA_VERSION (NBA_VERSION_MAJOR * 10000 + NBA_VERSION_MINOR * 100 + NBA_VERSION_PATCH)

namespace nba {
inline namespace v0 {

/// The version this header belongs to, for run-time checks.
struct version_info {
    int major;
    int minor;
    int patch;
    const char* string;
};

[[nodiscard]] constexpr version_info version() noexcept {
    return {NBA_VERSION_MAJOR, NBA_VERSION_MINOR, NBA_VERSION_PATCH, NBA_VERSION_STRING};
}

} // namespace v0
} // namespace nba

#endif // NBA_VERSION_HPP
