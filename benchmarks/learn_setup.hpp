// What learning benchmarks learn from (bench_learn.cpp, learn_instructions.cpp): a model with K
// predictors, half numeric and half symbolic, and customers as nba::profile or as a host's own
// profile type — a row of a fixed schema (numbers and texts by field) that the host reads by name
// through a hash map of its field names, as hosts with their own record types do.
#ifndef NBA_BENCHMARKS_LEARN_SETUP_HPP
#define NBA_BENCHMARKS_LEARN_SETUP_HPP

#include "synthetic.hpp"

#include <cmath>
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

/// A fixed-bins (imported) model with K predictors, binned as Pega's are.
inline nba::adaptive_model fixed_bins(std::size_t k) {
    std::mt19937 rng(5);
    return model(0, k, binnings::shared, rng);
}

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
