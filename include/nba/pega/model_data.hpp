// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file pega/model_data.hpp
/// Opt-in, and the one nba header that needs zlib: decoding Pega's pyModelData — base64 of
/// zlib-deflated model JSON — into the JSON text `pega::model_from_json` reads. Includes
/// `<zlib.h>`; a program that includes this header links zlib: the CMake target
/// `nba::pega_model_data` brings it (pkg-config: `nba-pega-model-data`). Nothing else in nba includes it, so a host that stores
/// decoded model JSON, or inflates with its own library (`pega::base64_decode` is plain C++),
/// needs no zlib.
///
///     const std::string json_text = nba::pega::decode_model_data(model_data_cell);
///     const auto model = nba::pega::model_from_json(nlohmann::json::parse(json_text));
#ifndef NBA_PEGA_MODEL_DATA_HPP
#define NBA_PEGA_MODEL_DATA_HPP

#if defined(__has_include)
#  if !__has_include(<zlib.h>)
#    error "nba/pega/model_data.hpp needs zlib's <zlib.h> (Debian: zlib1g-dev) and linking zlib"
#  endif
#endif

#include "../error.hpp"
#include "base64.hpp"

#include <zlib.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace nba {
inline namespace v0 {
namespace pega {

/// The default limit of `zlib_inflate` and `decode_model_data`: 1 GiB of output.
inline constexpr std::size_t max_inflated_size = std::size_t{1} << 30;

/// Inflates zlib-wrapped (RFC 1950) or raw deflate (RFC 1951) data.
/// \param data the compressed bytes
/// \param limit the most bytes the output may have (a guard against decompression bombs)
/// \return the inflated bytes
/// \throws parse_error (encoding) when `data` is neither form; invalid_input (too_large) when the
///         output would exceed `limit`.
[[nodiscard]] inline std::string zlib_inflate(std::string_view data, std::size_t limit = max_inflated_size) {
    for (int window : {15, -15}) { // zlib wrapper first, then raw deflate
        z_stream z{};
        if (inflateInit2(&z, window) != Z_OK) break;
        // zlib's API takes a non-const pointer but does not write through next_in
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        z.avail_in = static_cast<uInt>(data.size());
        std::string out;
        char chunk[65536];
        int rc = Z_OK;
        while (rc == Z_OK) {
            z.next_out = reinterpret_cast<Bytef*>(chunk);
            z.avail_out = sizeof chunk;
            rc = inflate(&z, Z_NO_FLUSH);
            out.append(chunk, sizeof chunk - z.avail_out);
            if (out.size() > limit) {
                inflateEnd(&z);
                nba::detail::throw_error(error_id::too_large, "", "the inflated model exceeds " + std::to_string(limit) + " bytes");
            }
            if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
        }
        inflateEnd(&z);
        if (rc == Z_STREAM_END) return out;
    }
    nba::detail::throw_error(error_id::encoding, "", "not zlib/deflate data");
}

/// Decodes pyModelData — base64 of zlib-deflated (or raw-deflated) JSON — into the model's JSON
/// text, ready for `nlohmann::json::parse` and `pega::model_from_json`.
/// \param model_data the pyModelData cell of a datamart model export
/// \param limit the most bytes the decoded JSON may have
/// \return the JSON text
/// \throws parse_error (encoding) when the text is not base64 or the bytes are not deflated;
///         invalid_input (too_large) beyond `limit`.
[[nodiscard]] inline std::string decode_model_data(std::string_view model_data, std::size_t limit = max_inflated_size) {
    return zlib_inflate(base64_decode(model_data), limit);
}

} // namespace pega
} // namespace v0
} // namespace nba

#endif // NBA_PEGA_MODEL_DATA_HPP
