// The peers nba's compiled plan is measured against, in the same binary:
//
//  - hand_loop: the decision as a competent engineer would write it by hand for these models,
//    without the library in the loop. Compiled once from the models (outside the timing) into
//    flat arrays: per model, its active predictors in its order, each with its own cut points
//    (numeric) or its own table of bins by symbol id (symbolic) and its terms by code. Per
//    decision: each predictor name read once from the same profile type nba reads (raw values
//    in), each symbol interned once (a binary search in that name's sorted dictionary); per offer
//    and predictor a branchless count over that model's cut points or one table look-up, the
//    log-odds sum, the classifier's interval by a branchless count, P × V, the top 5 kept.
//  - limit_kernel: the arithmetic a decision cannot avoid — per offer, the sum of its terms picked
//    by precomputed indices (the bins of one profile, found before the timing), and the
//    classifier's interval.
#ifndef NBA_BENCHMARKS_HAND_LOOP_HPP
#define NBA_BENCHMARKS_HAND_LOOP_HPP

#include <nba/nba.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench {

struct ranked_offer {
    double priority = -1.0;
    std::uint32_t offer = 0;
};
using top5 = std::array<ranked_offer, 5>;

inline void keep_top(top5& top, double priority, std::uint32_t offer) noexcept {
    if (!(priority > top[4].priority)) return; // ties: the earlier offer stays ahead
    std::size_t i = 4;
    while (i > 0 && priority > top[i - 1].priority) {
        top[i] = top[i - 1];
        --i;
    }
    top[i] = {priority, offer};
}

// The classifier's tables of a model, by code (0: NaN score; 1 + i: interval i).
inline void classifier_tables(const nba::adaptive_model& m, std::vector<double>& cuts, std::vector<double>& propensity) {
    const nba::predictor& cl = m.classifier();
    cuts.insert(cuts.end(), cl.cuts.begin(), cl.cuts.end());
    for (std::size_t code = 0; code < cl.cuts.size() + 2; ++code) {
        const std::uint32_t bin = code == 0 ? 0 : cl.interval_bins.empty() ? static_cast<std::uint32_t>(code) : cl.interval_bins[code - 1];
        propensity.push_back(m.estimate_for_bin(bin).propensity);
    }
}

inline std::uint32_t count_at_most(const double* cuts, std::uint32_t n, double x) noexcept {
    std::uint32_t k = 0;
    for (std::uint32_t i = 0; i < n; ++i) k += cuts[i] <= x ? 1U : 0U;
    return k;
}

class hand_loop {
public:
    hand_loop(const nba::model_set& models, const std::vector<nba::offer>& offers) {
        for (const nba::offer& o : offers) {
            value_.push_back(o.value);
            const nba::adaptive_model* m = models.find_for(o);
            model_of_offer_.push_back(m ? add_model(*m) : std::numeric_limits<std::uint32_t>::max());
        }
        for (std::size_t s = 0; s < slots_.size(); ++s) { // symbol tables indexed by interned id: 0 missing, 1 unknown, 2 + id
            std::sort(slots_[s].dictionary.begin(), slots_[s].dictionary.end());
            slots_[s].dictionary.erase(std::unique(slots_[s].dictionary.begin(), slots_[s].dictionary.end()), slots_[s].dictionary.end());
        }
        for (const pending_table& t : pending_) {
            const auto& dict = slots_[t.slot].dictionary;
            const std::size_t first = tables_.size();
            tables_.resize(first + dict.size() + 2, t.predictor->remaining_bin);
            tables_[first] = 0;
            for (const nba::symbol_bin& sb : t.predictor->symbols)
                tables_[first + 2 + static_cast<std::size_t>(std::lower_bound(dict.begin(), dict.end(), sb.symbol) - dict.begin())] = sb.bin;
            terms_[t.term].first = static_cast<std::uint32_t>(first);
        }
        number_.resize(slots_.size());
        index_.resize(slots_.size());
    }

    void decide(const nba::profile& p, top5& top) {
        for (std::size_t s = 0; s < slots_.size(); ++s) { // each name read once, each symbol interned once
            const nba::attribute a = p.get(slots_[s].name);
            number_[s] = std::numeric_limits<double>::quiet_NaN();
            index_[s] = 0;
            if (a.is_number()) {
                number_[s] = a.number();
            } else if (a.is_symbol()) {
                if (slots_[s].numeric) {
                    if (const auto x = nba::predictor::parse_number(a.symbol())) number_[s] = *x;
                }
                const auto& dict = slots_[s].dictionary;
                const std::string_view text = a.symbol();
                if (!nba::is_missing_symbol(text)) {
                    const auto it = std::lower_bound(dict.begin(), dict.end(), text, [](const std::string& e, std::string_view v) { return e < v; });
                    index_[s] = it != dict.end() && *it == text ? 2U + static_cast<std::uint32_t>(it - dict.begin()) : 1U;
                }
            }
        }
        top.fill({});
        for (std::size_t o = 0; o < model_of_offer_.size(); ++o) {
            const std::uint32_t mi = model_of_offer_[o];
            double propensity = 0.5;
            if (mi != std::numeric_limits<std::uint32_t>::max()) {
                const model& m = models_[mi];
                double sum = m.constant;
                for (std::uint32_t t = m.first_term; t < m.first_term + m.term_count; ++t) {
                    const term& tm = terms_[t];
                    std::uint32_t code;
                    if (tm.symbolic) {
                        code = tables_[tm.first + index_[tm.slot]];
                    } else {
                        const double x = number_[tm.slot];
                        code = std::isnan(x) ? 0 : 1 + count_at_most(cuts_.data() + tm.first, tm.count, x);
                    }
                    sum += values_[tm.values + code];
                }
                const double score = sum / m.divisor;
                const std::uint32_t k = std::isnan(score) ? 0 : 1 + count_at_most(class_cuts_.data() + m.first_cut, m.cut_count, score);
                propensity = class_propensity_[m.first_propensity + k];
            }
            keep_top(top, propensity * value_[o], static_cast<std::uint32_t>(o));
        }
    }

private:
    struct slot {
        std::string name;
        bool numeric = false;
        std::vector<std::string> dictionary;
    };
    struct term {
        std::uint32_t slot;
        bool symbolic;
        std::uint32_t first; // cut points, or the symbol table
        std::uint32_t count;
        std::uint32_t values; // terms by code (numeric) or by bin (symbolic)
    };
    struct model {
        double constant, divisor;
        std::uint32_t first_term, term_count;
        std::uint32_t first_cut, cut_count, first_propensity;
    };
    struct pending_table {
        std::size_t term;
        std::uint32_t slot;
        const nba::predictor* predictor;
    };

    std::uint32_t slot_of(const std::string& name) {
        for (std::size_t s = 0; s < slots_.size(); ++s)
            if (slots_[s].name == name) return static_cast<std::uint32_t>(s);
        slots_.push_back({name, false, {}});
        return static_cast<std::uint32_t>(slots_.size() - 1);
    }

    std::uint32_t add_model(const nba::adaptive_model& m) {
        model md{m.score_constant(), static_cast<double>(1 + m.active_predictors()), static_cast<std::uint32_t>(terms_.size()), 0,
                 static_cast<std::uint32_t>(class_cuts_.size()), static_cast<std::uint32_t>(m.classifier().cuts.size()),
                 static_cast<std::uint32_t>(class_propensity_.size())};
        for (std::size_t p : m.active_indices()) {
            const nba::predictor& pr = m.predictors()[p];
            term t{slot_of(pr.name), pr.type == nba::predictor_type::symbolic, 0, 0, static_cast<std::uint32_t>(values_.size())};
            if (t.symbolic) {
                for (const auto& sb : pr.symbols) slots_[t.slot].dictionary.push_back(sb.symbol);
                pending_.push_back({terms_.size(), t.slot, &pr});
                for (std::size_t b = 0; b < pr.bins(); ++b) values_.push_back(m.bin_term(p, b));
            } else {
                slots_[t.slot].numeric = true;
                t.first = static_cast<std::uint32_t>(cuts_.size());
                t.count = static_cast<std::uint32_t>(pr.cuts.size());
                cuts_.insert(cuts_.end(), pr.cuts.begin(), pr.cuts.end());
                values_.push_back(m.bin_term(p, 0));
                for (std::size_t i = 0; i <= pr.cuts.size(); ++i) values_.push_back(m.bin_term(p, pr.interval_bins.empty() ? i + 1 : pr.interval_bins[i]));
            }
            terms_.push_back(t);
            ++md.term_count;
        }
        classifier_tables(m, class_cuts_, class_propensity_);
        models_.push_back(md);
        return static_cast<std::uint32_t>(models_.size() - 1);
    }

    std::vector<slot> slots_;
    std::vector<term> terms_;
    std::vector<model> models_;
    std::vector<pending_table> pending_;
    std::vector<double> cuts_, values_, class_cuts_, class_propensity_, value_;
    std::vector<std::uint32_t> tables_, model_of_offer_;
    std::vector<double> number_;
    std::vector<std::uint32_t> index_;
};

class limit_kernel {
public:
    /// The kernel for `models` and the bins `profile` falls in (found here, before any timing).
    limit_kernel(const nba::model_set& models, const std::vector<nba::offer>& offers, const nba::profile& profile) {
        for (const nba::offer& o : offers) {
            const nba::adaptive_model& m = *models.find_for(o);
            constant_.push_back(m.score_constant());
            divisor_.push_back(static_cast<double>(1 + m.active_predictors()));
            first_.push_back(static_cast<std::uint32_t>(index_.size()));
            for (std::size_t p : m.active_indices()) {
                const nba::predictor& pr = m.predictors()[p];
                index_.push_back(static_cast<std::uint32_t>(values_.size() + pr.bin_of(nba::get_attribute(profile, pr.name))));
                for (std::size_t b = 0; b < pr.bins(); ++b) values_.push_back(m.bin_term(p, b));
            }
            first_cut_.push_back(static_cast<std::uint32_t>(cuts_.size()));
            cut_count_.push_back(static_cast<std::uint32_t>(m.classifier().cuts.size()));
            first_propensity_.push_back(static_cast<std::uint32_t>(propensity_.size()));
            classifier_tables(m, cuts_, propensity_);
        }
        first_.push_back(static_cast<std::uint32_t>(index_.size()));
    }

    [[nodiscard]] double run() const noexcept {
        double total = 0.0;
        for (std::size_t o = 0; o < constant_.size(); ++o) {
            double sum = constant_[o];
            for (std::uint32_t t = first_[o]; t < first_[o + 1]; ++t) sum += values_[index_[t]];
            const double score = sum / divisor_[o];
            const std::uint32_t k = std::isnan(score) ? 0 : 1 + count_at_most(cuts_.data() + first_cut_[o], cut_count_[o], score);
            total += propensity_[first_propensity_[o] + k];
        }
        return total;
    }

private:
    std::vector<double> constant_, divisor_, values_, cuts_, propensity_;
    std::vector<std::uint32_t> first_, index_, first_cut_, cut_count_, first_propensity_;
};

} // namespace bench

#endif
