// What learning benchmarks learn from (bench_learn.cpp, learn_instructions.cpp): a model with K
// predictors, half numeric and half symbolic, and customers as nba::profile or as a host's own
// profile type — a row of a fixed schema (numbers and texts by field) that the host reads by name
// through a hash map of its field names, as hosts with their own record types do. And the peer:
// learning written by hand (hand_learner), the plain loop a competent engineer would write.
#ifndef NBA_BENCHMARKS_LEARN_SETUP_HPP
#define NBA_BENCHMARKS_LEARN_SETUP_HPP

#include "hand_loop.hpp"
#include "synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bench {

/// A new adaptive model with K predictors (even ones numeric, odd ones symbolic).
inline nba::adaptive_model adaptive(std::size_t k) {
    std::vector<std::pair<std::string, nba::predictor_type>> ps;
    for (std::size_t p = 0; p < k; ++p)
        ps.emplace_back(predictor_name(p), p % 2 == 0 ? nba::predictor_type::numeric : nba::predictor_type::symbolic);
    return nba::adaptive_model::create({{"Name", "Learner"}}, ps);
}

/// A fixed-bins (imported) model with K predictors, binned its own way (its own 9 cut points per
/// numeric predictor, its own grouping of 12 symbols), as an exported Pega model is.
inline nba::adaptive_model fixed_bins(std::size_t k) {
    std::mt19937 rng(5);
    return model(0, k, binnings::own, rng);
}

/// Learning from profiles written by hand for one model, without the library in the loop: what a
/// competent engineer writes. Compiled once from the model into flat per-predictor data (its name,
/// cut points and bin per interval, or its symbols sorted with their bins; its counts and log odds
/// per bin). Per response: each predictor's value read by name from the profile (nba::profile's
/// binary search), its bin by a branchless count over the cut points or a binary search of the
/// symbol, the score before the batch from the log odds (to place the response in the
/// classifier), the counts; the log odds brought up to date once per batch. With `cells` it also
/// does an adaptive model's own counting: each value in its cell (numbers by numeric_grid::key in
/// a sorted vector, symbols in a sorted vector, up to max_symbols), the score's cell, and the
/// values copied into a ring of recent responses — but it never re-bins.
class hand_learner {
public:
    hand_learner(const nba::adaptive_model& m, bool cells) : cells_(cells), max_symbols_(m.config().max_symbols) {
        for (const nba::predictor& pr : m.predictors()) {
            column c;
            c.name = pr.name;
            c.numeric = pr.type == nba::predictor_type::numeric;
            c.active = pr.active;
            c.cuts = pr.cuts;
            c.interval_bins = pr.interval_bins;
            for (const nba::symbol_bin& sb : pr.symbols) c.symbols.emplace_back(sb.symbol, sb.bin);
            c.remaining_bin = pr.remaining_bin;
            c.positives = pr.positives;
            c.negatives = pr.negatives;
            c.log_odds.resize(pr.bins());
            columns_.push_back(std::move(c));
        }
        classifier_cuts_ = m.classifier().cuts;
        classifier_pos_ = m.classifier().positives;
        classifier_neg_ = m.classifier().negatives;
        total_pos_ = m.positives();
        total_neg_ = m.negatives();
        sample_numbers_.resize(ring * columns_.size());
        sample_texts_.resize(ring * columns_.size());
        refresh();
    }

    void learn_batch(const nba::profile* profiles, const nba::outcome* outcomes, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            const bool positive = nba::is_positive(outcomes[i]);
            double sum = constant_;
            for (std::size_t p = 0; p < columns_.size(); ++p) {
                column& c = columns_[p];
                const nba::attribute a = profiles[i].get(c.name);
                std::uint32_t bin = 0;
                double number = std::numeric_limits<double>::quiet_NaN();
                std::string_view text;
                if (a.is_number()) number = a.number();
                else if (a.is_symbol() && !nba::is_missing_symbol(a.symbol())) text = a.symbol();
                if (c.numeric) {
                    if (!std::isnan(number)) bin = c.interval_bins.empty() ? 1 + count_at_most(c.cuts.data(), static_cast<std::uint32_t>(c.cuts.size()), number)
                                                                           : c.interval_bins[count_at_most(c.cuts.data(), static_cast<std::uint32_t>(c.cuts.size()), number)];
                } else if (!text.empty()) {
                    const auto it = std::lower_bound(c.symbols.begin(), c.symbols.end(), text, [](const auto& e, std::string_view v) { return e.first < v; });
                    bin = it != c.symbols.end() && it->first == text ? it->second : c.remaining_bin;
                }
                if (c.active) sum += c.log_odds[bin];
                (positive ? c.positives : c.negatives)[bin] += 1.0;
                if (cells_) {
                    if (c.numeric) count_in(std::isnan(number) ? c.missing : cell(c.numeric_cells, nba::numeric_grid::key(number)), positive);
                    else if (text.empty()) count_in(c.missing, positive);
                    else count_in(symbol_cell(c, text), positive);
                    sample_numbers_[slot_ * columns_.size() + p] = number;
                    if (!text.empty()) sample_texts_[slot_ * columns_.size() + p].assign(text);
                    else sample_texts_[slot_ * columns_.size() + p].clear();
                }
            }
            const double score = sum / divisor_;
            (positive ? classifier_pos_ : classifier_neg_)[1 + count_at_most(classifier_cuts_.data(), static_cast<std::uint32_t>(classifier_cuts_.size()), score)] += 1.0;
            (positive ? total_pos_ : total_neg_) += 1.0;
            if (cells_) {
                count_in(cell(score_cells_, nba::numeric_grid::key(score)), positive);
                slot_ = (slot_ + 1) % ring;
            }
        }
        refresh();
    }

    [[nodiscard]] double evidence() const noexcept { return total_pos_ + total_neg_; }

private:
    static constexpr std::size_t ring = 500;
    struct column {
        std::string name;
        bool numeric = false, active = true;
        std::vector<double> cuts;
        std::vector<std::uint32_t> interval_bins;
        std::vector<std::pair<std::string, std::uint32_t>> symbols;
        std::uint32_t remaining_bin = 0;
        std::vector<double> positives, negatives, log_odds;
        std::vector<std::pair<std::int32_t, nba::counts>> numeric_cells;
        std::vector<std::pair<std::string, nba::counts>> symbol_cells;
        nba::counts missing, overflow;
    };
    static void count_in(nba::counts& c, bool positive) noexcept { (positive ? c.pos : c.neg) += 1.0; }
    static nba::counts& cell(std::vector<std::pair<std::int32_t, nba::counts>>& cells, std::int32_t key) {
        auto it = std::lower_bound(cells.begin(), cells.end(), key, [](const auto& e, std::int32_t k) { return e.first < k; });
        if (it == cells.end() || it->first != key) it = cells.insert(it, {key, nba::counts{}});
        return it->second;
    }
    nba::counts& symbol_cell(column& c, std::string_view text) {
        auto it = std::lower_bound(c.symbol_cells.begin(), c.symbol_cells.end(), text, [](const auto& e, std::string_view v) { return e.first < v; });
        if (it != c.symbol_cells.end() && it->first == text) return it->second;
        if (c.symbol_cells.size() >= max_symbols_) return c.overflow;
        return c.symbol_cells.insert(it, {std::string(text), nba::counts{}})->second;
    }
    void refresh() {
        constant_ = std::log1p(total_pos_) - std::log1p(total_neg_);
        std::size_t active = 0;
        for (column& c : columns_) {
            const double s = 1.0 / static_cast<double>(c.positives.size());
            double pos = 0.0, neg = 0.0;
            for (std::size_t b = 0; b < c.positives.size(); ++b) {
                c.log_odds[b] = std::log(c.positives[b] + s) - std::log(c.negatives[b] + s);
                pos += c.positives[b];
                neg += c.negatives[b];
            }
            if (c.active) {
                constant_ += std::log1p(neg) - std::log1p(pos);
                ++active;
            }
        }
        divisor_ = static_cast<double>(1 + active);
    }

    bool cells_;
    std::size_t max_symbols_;
    std::vector<column> columns_;
    std::vector<double> classifier_cuts_, classifier_pos_, classifier_neg_;
    double total_pos_ = 0.0, total_neg_ = 0.0, constant_ = 0.0, divisor_ = 1.0;
    std::vector<std::pair<std::int32_t, nba::counts>> score_cells_;
    std::vector<double> sample_numbers_;
    std::vector<std::string> sample_texts_;
    std::size_t slot_ = 0;
};

/// The host's schema: its field names (the model's predictor names and a few more, in the host's
/// own order) and a hash map from name to field.
struct host_schema {
    std::vector<std::string> names;
    std::unordered_map<std::string_view, std::size_t> field;
    explicit host_schema(std::size_t k) {
        for (std::size_t i = 0; i < k; ++i) names.push_back(predictor_name(k - 1 - i)); // not sorted
        names.push_back("CustomerSegment");
        names.push_back("Region");
        for (std::size_t i = 0; i < names.size(); ++i) field.emplace(names[i], i);
    }
};

/// A host's own customer record: per field a number (NaN: none) or a text (empty: none).
struct host_customer {
    const host_schema* schema = nullptr;
    std::vector<double> numbers;
    std::vector<std::string> texts;

    [[nodiscard]] nba::attribute get(std::size_t f) const noexcept {
        if (!texts[f].empty()) return nba::attribute(std::string_view(texts[f]));
        return nba::attribute(numbers[f]); // NaN: missing
    }
};

/// The same customers as host records.
inline std::vector<host_customer> host_customers(const host_schema& schema, const std::vector<nba::profile>& from) {
    std::vector<host_customer> out;
    for (const nba::profile& p : from) {
        host_customer c;
        c.schema = &schema;
        c.numbers.assign(schema.names.size(), std::numeric_limits<double>::quiet_NaN());
        c.texts.assign(schema.names.size(), std::string());
        for (std::size_t f = 0; f < schema.names.size(); ++f) {
            const nba::attribute a = p.get(schema.names[f]);
            if (a.is_number()) c.numbers[f] = a.number();
            else if (a.is_symbol()) c.texts[f] = std::string(a.symbol());
        }
        c.texts[schema.names.size() - 2] = "gold";
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace bench

namespace nba {
// The host reads its record by name: a hash look-up of the field, then the field.
template <>
struct profile_traits<bench::host_customer> {
    static attribute get(const bench::host_customer& c, std::string_view name) noexcept {
        const auto it = c.schema->field.find(name);
        return it == c.schema->field.end() ? attribute() : c.get(it->second);
    }
};
} // namespace nba

#endif
