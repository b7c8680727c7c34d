// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/predictor.hpp
/// One binned predictor of an adaptive model: how a value falls into a bin, and the positive and
/// negative responses counted per bin. Bin 0 is always *Missing*.
///
/// Numeric predictors have ascending cut points b1 < … < bk. Value x falls into interval
/// `i = upper_bound(cuts, x)` (intervals are left-closed: (-inf,b1), [b1,b2), …, [bk,+inf)), and
/// interval i belongs to bin `interval_bins[i]` (or bin i + 1 when `interval_bins` is empty), so
/// one bin may span several intervals, as Pega's factory JSON allows.
///
/// Symbolic predictors map known symbols to bins; an unseen symbol goes to `remaining_bin`, the
/// symbols of the residual group (rare ones) are mapped to `residual_bin` (often the same bin).
/// The empty string and "NA" are missing; text that is not valid UTF-8 scores as an unseen
/// symbol (models hold only valid UTF-8, so they always save as JSON).
#ifndef NBA_MODEL_PREDICTOR_HPP
#define NBA_MODEL_PREDICTOR_HPP

#include "../detail/conversion.hpp"
#include "../profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

enum class predictor_type : unsigned char { numeric, symbolic };

[[nodiscard]] constexpr std::string_view to_string(predictor_type t) noexcept {
    return t == predictor_type::numeric ? "numeric" : "symbolic";
}
/// "numeric"/"symbolic", ignoring ASCII case; nullopt otherwise.
[[nodiscard]] constexpr std::optional<predictor_type> predictor_type_from_string(std::string_view s) noexcept {
    if (detail::iequals(s, "numeric")) return predictor_type::numeric;
    if (detail::iequals(s, "symbolic")) return predictor_type::symbolic;
    return std::nullopt;
}

/// Whether a symbol counts as missing: the empty string and "NA" do (Pega's convention).
[[nodiscard]] constexpr bool is_missing_symbol(std::string_view s) noexcept { return detail::is_missing_symbol(s); }

/// A symbol and the bin it belongs to.
struct symbol_bin {
    std::string symbol;
    std::uint32_t bin = 0;
};

/// One predictor: its binning and its counts. Plain data; `adaptive_model` validates it.
struct predictor {
    std::string name;
    predictor_type type = predictor_type::numeric;
    bool active = true; ///< only active predictors contribute to the score

    // numeric
    std::vector<double> cuts;                 ///< ascending cut points
    std::vector<std::uint32_t> interval_bins; ///< bin of each of the cuts.size()+1 intervals; empty: interval i → bin i+1
    // symbolic
    std::vector<symbol_bin> symbols;   ///< known symbols; sorted by symbol once in a model
    std::uint32_t remaining_bin = 0;   ///< bin of symbols never seen
    std::uint32_t residual_bin = 0;    ///< bin of the residual group of rare symbols

    std::vector<std::string> labels;   ///< optional, one per bin, for reports
    std::vector<double> positives;     ///< per bin; bin 0 is Missing
    std::vector<double> negatives;     ///< per bin

    [[nodiscard]] std::size_t bins() const noexcept { return positives.size(); }
    [[nodiscard]] double total_positives() const noexcept { return sum(positives); }
    [[nodiscard]] double total_negatives() const noexcept { return sum(negatives); }

    /// The bin a number falls into (0 for NaN). Precondition: numeric.
    [[nodiscard]] std::uint32_t numeric_bin(double x) const noexcept { return numeric_bin(cuts, interval_bins, x); }
    /// The same for a binning given by its parts (compiled plans keep binnings without counts).
    [[nodiscard]] static std::uint32_t numeric_bin(const std::vector<double>& cuts, const std::vector<std::uint32_t>& interval_bins,
                                                   double x) noexcept {
        if (std::isnan(x)) return 0;
        const std::size_t interval = interval_of(cuts.data(), cuts.size(), x);
        return interval_bins.empty() ? static_cast<std::uint32_t>(interval + 1) : interval_bins[interval];
    }
    /// The interval of `x` among `n` ascending cut points: the number of cuts <= x (what
    /// std::upper_bound gives), found without branches. Precondition: x is not NaN.
    [[nodiscard]] static std::size_t interval_of(const double* cuts, std::size_t n, double x) noexcept {
        if (n == 0) return 0;
        const double* base = cuts;
        for (; n > 1; n -= n / 2) base = base[n / 2] <= x ? base + n / 2 : base;
        return static_cast<std::size_t>(base - cuts) + (*base <= x ? 1 : 0);
    }
    /// The bin a symbol falls into. Precondition: symbolic, `symbols` sorted.
    [[nodiscard]] std::uint32_t symbolic_bin(std::string_view s) const noexcept {
        if (is_missing_symbol(s)) return 0;
        if (!detail::is_valid_utf8(s)) return remaining_bin; // no model holds such a symbol
        const auto it = std::lower_bound(symbols.begin(), symbols.end(), s,
                                         [](const symbol_bin& e, std::string_view v) { return e.symbol < v; });
        return (it != symbols.end() && it->symbol == s) ? it->bin : remaining_bin;
    }
    /// The bin of any attribute value. A symbol given to a numeric predictor is parsed as a number
    /// (missing when it is not one); a number given to a symbolic predictor is formatted as the
    /// shortest decimal that reads back the same ("3", "0.25"); see detail/conversion.hpp.
    [[nodiscard]] std::uint32_t bin_of(const attribute& a) const noexcept {
        if (type == predictor_type::numeric) {
            const std::optional<double> x = detail::as_number(a);
            return x ? numeric_bin(*x) : 0;
        }
        char buffer[32];
        const std::optional<std::string_view> s = detail::as_symbol(a, buffer);
        return s ? symbolic_bin(*s) : 0;
    }

    /// A label for interval `i` of ascending `cuts`: "<b1", "[b1, b2)", …, ">=bk" ("all values"
    /// without cuts), numbers in their shortest decimal form.
    [[nodiscard]] static std::string interval_label(const std::vector<double>& cuts, std::size_t i) {
        auto num = [](double x) {
            char buffer[32];
            return std::string(detail::shortest_decimal(x, buffer));
        };
        if (cuts.empty()) return "all values";
        if (i == 0) return "<" + num(cuts[0]);
        if (i == cuts.size()) return ">=" + num(cuts.back());
        return "[" + num(cuts[i - 1]) + ", " + num(cuts[i]) + ")";
    }

    /// How many symbols bin_label() lists at most, by default.
    static constexpr std::size_t label_symbols = 8;

    /// A label for bin `b` that lists at most `max_symbols` symbols: the model's own label when it
    /// has one — unless the bin is symbolic and holds more than `max_symbols` symbols, since such a
    /// label lists them all (a Pega export labels a bin with every symbol in it, customers' e-mail
    /// addresses included) — otherwise "Missing" for bin 0, the bin's intervals ("[30, 40)") for a
    /// numeric predictor, or the bin's first `max_symbols` symbols (in symbol order), then
    /// "+N more", and "(other)" for the bin of unseen symbols; "bin <b>" when nothing describes it.
    [[nodiscard]] std::string bin_label(std::size_t b, std::size_t max_symbols = label_symbols) const {
        std::size_t in_bin = 0;
        for (const symbol_bin& s : symbols) in_bin += s.bin == b ? 1 : 0;
        if (b < labels.size() && !labels[b].empty() && in_bin <= max_symbols) return labels[b];
        if (b == 0) return "Missing";
        std::string label;
        auto add = [&label](std::string_view part) {
            if (!label.empty()) label += ", ";
            label += part;
        };
        if (type == predictor_type::numeric) {
            for (std::size_t i = 0; i < cuts.size() + 1; ++i)
                if ((interval_bins.empty() ? i + 1 : interval_bins[i]) == b) add(interval_label(cuts, i));
        } else {
            std::size_t shown = 0;
            for (const symbol_bin& s : symbols)
                if (s.bin == b && shown < max_symbols) {
                    add(s.symbol);
                    ++shown;
                }
            if (in_bin > shown) add("+" + std::to_string(in_bin - shown) + " more");
            if (remaining_bin == b) add("(other)");
        }
        return label.empty() ? "bin " + std::to_string(b) : label;
    }

    /// A decimal number ("42", "-1.5e3", "+3", " 7 " with surrounding blanks), or nullopt: how a
    /// symbol reads as a number everywhere in nba (detail/conversion.hpp).
    [[nodiscard]] static std::optional<double> parse_number(std::string_view s) noexcept { return detail::parse_number(s); }

private:
    [[nodiscard]] static double sum(const std::vector<double>& v) noexcept {
        double s = 0.0;
        for (double x : v) s += x;
        return s;
    }
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_PREDICTOR_HPP
