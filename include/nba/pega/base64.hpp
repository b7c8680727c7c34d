// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file pega/base64.hpp
/// Opt-in: base64 decoding, the outer layer of Pega's pyModelData (base64 of zlib-deflated
/// JSON). Plain C++: no dependency. The inner layer, zlib, is in pega/model_data.hpp.
#ifndef NBA_PEGA_BASE64_HPP
#define NBA_PEGA_BASE64_HPP

#include "../error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace nba {
inline namespace v0 {
namespace pega {

/// Decodes base64 (RFC 4648, standard or URL-safe alphabet; `=` padding optional; line breaks
/// and spaces ignored) into bytes.
/// \param text the base64 text
/// \return the decoded bytes
/// \throws parse_error (encoding) naming the first byte that is not base64.
[[nodiscard]] inline std::string base64_decode(std::string_view text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
        const int v = value(c);
        if (v < 0) nba::detail::throw_error(error_id::encoding, "", std::string("not base64: byte '") + c + "'");
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFFu);
        }
    }
    return out;
}

} // namespace pega
} // namespace v0
} // namespace nba

#endif // NBA_PEGA_BASE64_HPP
