// arbitrate() over fuzzed profiles, offers, policies and contact history: whatever the numbers
// (NaN, ±Inf, huge, negative) and strings, the decision holds every offer exactly once, ranked
// offers have valid factors, and nothing crashes.
#include "fuzz_common.hpp"

#include <nba/json.hpp>
#include <nba/nba.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {

struct reader {
    const std::uint8_t* p;
    std::size_t n;
    std::uint8_t byte() {
        if (n == 0) return 0;
        --n;
        return *p++;
    }
    double number() {
        switch (byte() % 8) {
        case 0: return std::numeric_limits<double>::quiet_NaN();
        case 1: return std::numeric_limits<double>::infinity();
        case 2: return -std::numeric_limits<double>::infinity();
        case 3: return 1e300;
        case 4: return -static_cast<double>(byte());
        default: {
            double x = 0.0;
            std::uint8_t b[8];
            for (auto& c : b) c = byte();
            std::memcpy(&x, b, sizeof x);
            return x;
        }
        }
    }
    std::string text() {
        std::string s;
        const std::size_t len = byte() % 6;
        for (std::size_t i = 0; i < len; ++i) s += static_cast<char>("ab\0\xff ,NA"[byte() % 8]);
        return s;
    }
};

const nba::model_set& models() {
    static const nba::model_set set = [] {
        nba::model_set s;
        nba::model_config c;
        c.first_rebin = 5;
        auto m = nba::adaptive_model::create({{"Name", "a"}}, {{"x", nba::predictor_type::numeric}, {"y", nba::predictor_type::symbolic}}, c);
        for (int i = 0; i < 40; ++i) m.learn(nba::profile{{"x", i}, {"y", i % 2 ? "a" : "b"}}, nba::as_outcome(i % 3 == 0));
        s.add(std::move(m));
        return s;
    }();
    return set;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    reader r{data, size};
    nba::profile p;
    p.set("x", r.number());
    p.set("y", r.text());
    std::vector<nba::offer> offers(r.byte() % 6);
    for (auto& o : offers) {
        o.issue = r.text();
        o.group = r.text();
        o.name = r.byte() % 2 ? "a" : r.text();
        o.channel = r.byte() % 2 ? "Web" : r.text();
        o.direction = r.byte() % 2 ? nba::direction::inbound : nba::direction::outbound;
        o.value = r.number();
        o.levers = {r.number(), 0.0, r.number()};
        o.context_weights = {{"k", r.text(), r.number()}};
        o.mandatory = r.byte() % 5 == 0;
    }
    std::vector<nba::contact_event> history;
    for (int i = r.byte() % 4; i > 0; --i) history.push_back({"", "", "a", "Web", "Rejected", r.number()});
    nba::rng random(r.byte());
    nba::interaction ctx;
    ctx.channel = r.byte() % 3 ? std::string() : "Web";
    ctx.attributes = {{"K", r.text()}};
    ctx.history = &history;
    ctx.time = r.number();
    ctx.random = &random;
    ctx.customer_id = r.text();
    ctx.personalization = r.byte() % 4 != 0;
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.exploration.thompson_sampling = r.byte() % 2;
    options.exploration.outbound_maturity_cap = r.byte() % 2;
    options.exploration.control_group = (r.byte() % 3) * 0.3;
    options.suppressions.push_back({"s", nba::policy_level::action, "Rejected", r.byte() % 3u, r.number(), r.number(), ""});
    options.min_priority = r.byte() % 2 ? 0.0 : r.number();
    options.selection.max_results = r.byte() % 4;
    options.reasons_per_offer = 2;
    options.capture_inputs = true;
    options.rules.emplace_back("x", nba::stage::eligibility,
                               nba::condition::compare(nba::attribute_source::profile, "x", nba::compare_op::lt, r.number()));
    const nba::decision d = nba::arbitrate(p, offers, models(), ctx, options);
    NBA_FUZZ_CHECK(d.ranked.size() + d.filtered.size() == offers.size());
    for (const auto& o : d.ranked) {
        NBA_FUZZ_CHECK(valid_propensity(o.propensity));
        NBA_FUZZ_CHECK(valid_propensity(o.model_propensity));
        NBA_FUZZ_CHECK(std::isfinite(o.priority) && o.priority >= 0.0);
    }
    (void)nba::decision_to_json(d, offers).dump();
    return 0;
}
