// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json/policies.hpp
/// Opt-in: policies as JSON (`"format": "nba.policies"`, version 1) — engagement rules with
/// conditions, suppression rules, channel limits, thresholds, selection and exploration; see
/// docs/pipeline.md. Includes nlohmann/json.
///
///     auto options = nba::policies_from_json<nba::profile, nba::offer>(j);  // load, validating every field
///     nlohmann::json saved = nba::policies_to_json(options);               // and save again
///
/// One list of fields per part of the format (`visit_fields`, `visit_policies` below) serves both
/// directions, so what is saved is exactly what is read. A load that fails throws an nba error
/// naming the JSON pointer of the offending field and returns nothing half-loaded.
#ifndef NBA_JSON_POLICIES_HPP
#define NBA_JSON_POLICIES_HPP

#include "../arbitrate.hpp"
#include "../detail/json_reader.hpp"
#include "../policy/condition.hpp"
#include "../policy/contact.hpp"

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// The policies format version this build writes and the only one it reads.
inline constexpr int policies_format_version = 1;

/// Limits on loaded conditions: nesting depth and nodes per condition.
inline constexpr std::size_t max_condition_depth = 64;
inline constexpr std::size_t max_condition_nodes = 10000;

namespace detail {

inline condition condition_from_json(const json& j, const std::string& path, std::size_t depth, std::size_t& nodes) {
    if (depth > max_condition_depth)
        throw_error(error_id::too_large, path, "conditions nest deeper than " + std::to_string(max_condition_depth));
    if (++nodes > max_condition_nodes)
        throw_error(error_id::too_large, path, "a condition has more than " + std::to_string(max_condition_nodes) + " parts");
    if (j.is_boolean()) return condition::constant(j.get<bool>());
    expect_object(j, path);
    for (const char* k : {"all", "any"}) {
        if (const json* parts = find_member(j, k)) {
            const std::string p = child(path, k);
            expect_array(*parts, p, max_condition_nodes);
            std::vector<condition> cs;
            for (std::size_t i = 0; i < parts->size(); ++i) cs.push_back(condition_from_json((*parts)[i], pointer_index(p, i), depth + 1, nodes));
            return std::string_view(k) == "all" ? condition::all(std::move(cs)) : condition::any(std::move(cs));
        }
    }
    if (const json* part = find_member(j, "not")) return condition::negation(condition_from_json(*part, child(path, "not"), depth + 1, nodes));
    const std::string attribute = get_string(member(j, "attribute", path), child(path, "attribute"));
    if (attribute.empty()) throw_error(error_id::invalid_value, child(path, "attribute"), "the attribute name is empty");
    attribute_source from = attribute_source::profile;
    if (const json* src = find_member(j, "source")) {
        const std::string v = get_string(*src, child(path, "source"));
        if (v == "context") from = attribute_source::context;
        else if (v != "profile") throw_error(error_id::unknown_name, child(path, "source"), "'" + v + "' is neither profile nor context");
    }
    const std::string op_text = get_string(member(j, "op", path), child(path, "op"));
    const auto op = compare_op_from_string(op_text);
    if (!op) throw_error(error_id::unknown_name, child(path, "op"), "'" + op_text + "' is not one of == != < <= > >= in not_in missing present");
    auto operand = [&](const json& v, const std::string& at) -> nba::value {
        if (v.is_number()) return nba::value(get_double(v, at));
        if (v.is_string()) return nba::value(v.get<std::string>());
        throw_error(error_id::type_mismatch, at, std::string("expected a number or a string, found ") + v.type_name());
    };
    switch (*op) {
    case compare_op::missing: return condition::missing(from, attribute);
    case compare_op::present: return condition::missing(from, attribute, true);
    case compare_op::in:
    case compare_op::not_in: {
        const std::string vp = child(path, "values");
        const json& vs = member(j, "values", path);
        expect_array(vs, vp, max_condition_nodes);
        std::vector<nba::value> values;
        for (std::size_t i = 0; i < vs.size(); ++i) values.push_back(operand(vs[i], pointer_index(vp, i)));
        return condition::one_of(from, attribute, std::move(values), *op == compare_op::not_in);
    }
    default: return condition::compare(from, attribute, *op, operand(member(j, "value", path), child(path, "value")));
    }
}

/// A condition as JSON, in the form condition_from_json reads. Throws `invalid_argument` (at
/// `path`) for an operand the format cannot hold: a missing value or a number that is not finite.
inline json condition_to_json(const condition& c, const std::string& path) {
    switch (c.node()) {
    case condition::kind::always: return true;
    case condition::kind::never: return false;
    case condition::kind::all:
    case condition::kind::any: {
        const char* k = c.node() == condition::kind::all ? "all" : "any";
        json parts = json::array();
        for (std::size_t i = 0; i < c.parts().size(); ++i)
            parts.push_back(condition_to_json(c.parts()[i], pointer_index(child(path, k), i)));
        return json{{k, std::move(parts)}};
    }
    case condition::kind::negation: return json{{"not", condition_to_json(c.parts().front(), child(path, "not"))}};
    case condition::kind::leaf: break;
    }
    auto operand = [](const nba::value& v, const std::string& at) -> json {
        if (v.is_symbol()) return v.symbol();
        if (v.is_number() && std::isfinite(v.number())) return v.number();
        throw_error(error_id::invalid_argument, at, "a condition's value must be text or a finite number to be saved");
    };
    json j{{"attribute", c.attribute_name()}, {"op", std::string(to_string(c.op()))}};
    if (c.source() == attribute_source::context) j["source"] = "context";
    switch (c.op()) {
    case compare_op::missing:
    case compare_op::present: break;
    case compare_op::in:
    case compare_op::not_in: {
        json values = json::array();
        for (std::size_t i = 0; i < c.operands().size(); ++i)
            values.push_back(operand(c.operands()[i], pointer_index(child(path, "values"), i)));
        j["values"] = std::move(values);
        break;
    }
    default: j["value"] = operand(c.operands().front(), child(path, "value"));
    }
    return j;
}

inline policy_level level_from_json(const json& j, const std::string& path) {
    const std::string v = get_string(j, path);
    if (v == "action") return policy_level::action;
    if (v == "group") return policy_level::group;
    if (v == "issue") return policy_level::issue;
    throw_error(error_id::unknown_name, path, "'" + v + "' is not one of action, group, issue");
}
[[nodiscard]] inline const char* to_json_name(policy_level l) noexcept {
    return l == policy_level::action ? "action" : (l == policy_level::group ? "group" : "issue");
}

// ------------------------------------------------------------------------------------------
// The fields of each part of the format, in the order they are read: one list per part, which
// field_reader and field_writer walk.

/// Whether a field must be present when read (saving writes every field).
enum class presence : unsigned char { required, optional };

/// A share: a number in [0, 1].
template <class D>
struct share_field {
    D& x;
};
template <class D>
[[nodiscard]] share_field<D> as_share(D& x) noexcept {
    return {x};
}

/// An engagement rule made of a condition, as the format holds it.
struct rule_fields {
    std::string name;
    nba::stage stage = nba::stage::eligibility;
    policy_level level = policy_level::issue;
    std::string applies_to;
    condition when;
};

template <class T, class U>
using if_is = std::enable_if_t<std::is_same_v<std::remove_const_t<T>, U>, int>;

template <class R, class V, if_is<R, rule_fields> = 0>
void visit_fields(R& r, V&& v) {
    v("name", r.name, presence::required);
    v("stage", r.stage, presence::required);
    v("level", r.level, presence::optional);
    v("applies_to", r.applies_to, presence::optional);
    v("when", r.when, presence::required);
}
template <class S, class V, if_is<S, suppression_rule> = 0>
void visit_fields(S& s, V&& v) {
    v("name", s.name, presence::required);
    v("level", s.level, presence::optional);
    v("outcome", s.outcome, presence::optional);
    v("count", s.count, presence::required);
    v("window", s.window, presence::required);
    v("suppress_for", s.suppress_for, presence::required);
    v("channel", s.channel, presence::optional);
}
template <class L, class V, if_is<L, channel_limit> = 0>
void visit_fields(L& l, V&& v) {
    v("channel", l.channel, presence::required);
    v("max", l.max, presence::required);
    v("period", l.period, presence::required);
    v("not_contacts", l.not_contacts, presence::optional);
}
template <class S, class V, if_is<S, selection> = 0>
void visit_fields(S& s, V&& v) {
    v("max_results", s.max_results, presence::optional);
    v("max_per_channel", s.max_per_channel, presence::optional);
    v("max_per_issue", s.max_per_issue, presence::optional);
    v("one_per_group", s.one_per_group, presence::optional);
    v("one_per_action", s.one_per_action, presence::optional);
}
template <class E, class V, if_is<E, exploration> = 0>
void visit_fields(E& e, V&& v) {
    v("thompson_sampling", e.thompson_sampling, presence::optional);
    v("outbound_maturity_cap", e.outbound_maturity_cap, presence::optional);
    v("control_group", as_share(e.control_group), presence::optional);
    v("evidence", e.evidence, presence::optional);
    v("lift_maturity", e.lift_maturity, presence::optional);
}
/// The top level. Not in the format: the options' `value` function and the exploration's
/// control_salt (the host sets those in code).
template <class Options, class V>
void visit_policies(Options& o, V&& v) {
    v("rules", o.rules, presence::optional);
    v("suppressions", o.suppressions, presence::optional);
    v("channel_limits", o.channel_limits, presence::optional);
    v("min_propensity", o.min_propensity, presence::optional);
    v("min_priority", o.min_priority, presence::optional);
    v("selection", o.selection, presence::optional);
    v("exploration", o.exploration, presence::optional);
    v("reasons_per_offer", o.reasons_per_offer, presence::optional);
    v("capture_inputs", o.capture_inputs, presence::optional);
}

/// Reads the fields of one JSON object (at `path`) into what a visit_fields list names.
class field_reader {
public:
    field_reader(const json& j, std::string path) : j_(j), path_(std::move(path)) { expect_object(j_, path_); }

    void operator()(const char* name, std::string& x, presence p) const {
        if (const json* v = find(name, p)) x = get_string(*v, at(name));
    }
    void operator()(const char* name, std::size_t& x, presence p) const {
        if (const json* v = find(name, p)) x = get_index(*v, at(name));
    }
    void operator()(const char* name, double& x, presence p) const { // counts, times and thresholds: >= 0
        if (const json* v = find(name, p)) x = get_count(*v, at(name));
    }
    void operator()(const char* name, bool& x, presence p) const {
        if (const json* v = find(name, p)) x = get_bool(*v, at(name));
    }
    void operator()(const char* name, share_field<double> x, presence p) const {
        if (const json* v = find(name, p)) {
            x.x = get_count(*v, at(name));
            if (x.x > 1.0) throw_error(error_id::invalid_value, at(name), "a share must be in [0, 1]");
        }
    }
    void operator()(const char* name, std::vector<std::string>& x, presence p) const {
        if (const json* v = find(name, p)) x = get_array(*v, at(name), 1000, get_string);
    }
    void operator()(const char* name, policy_level& x, presence p) const {
        if (const json* v = find(name, p)) x = level_from_json(*v, at(name));
    }
    void operator()(const char* name, exploration::evidence_source& x, presence p) const {
        const json* v = find(name, p);
        if (!v) return;
        const std::string e = get_string(*v, at(name));
        if (e == "local") x = exploration::evidence_source::local;
        else if (e == "model") x = exploration::evidence_source::model;
        else if (e == "offer") x = exploration::evidence_source::offer;
        else throw_error(error_id::unknown_name, at(name), "'" + e + "' is none of offer, model, local");
    }
    void operator()(const char* name, nba::stage& x, presence p) const {
        const json* v = find(name, p);
        if (!v) return;
        const std::string s = get_string(*v, at(name));
        if (s == "eligibility") x = nba::stage::eligibility;
        else if (s == "applicability") x = nba::stage::applicability;
        else if (s == "suitability") x = nba::stage::suitability;
        else throw_error(error_id::unknown_name, at(name), "'" + s + "' is not one of eligibility, applicability, suitability");
    }
    void operator()(const char* name, condition& x, presence p) const {
        std::size_t nodes = 0;
        if (const json* v = find(name, p)) x = condition_from_json(*v, at(name), 0, nodes);
    }
    /// An array of objects.
    template <class T>
    void operator()(const char* name, std::vector<T>& items, presence p) const {
        each_object(name, p, [&](const json& j, const std::string& path) {
            T item;
            visit_fields(item, field_reader(j, path));
            items.push_back(std::move(item));
        });
    }
    /// Engagement rules.
    template <class Profile, class Offer>
    void operator()(const char* name, std::vector<rule<Profile, Offer>>& rules, presence p) const {
        each_object(name, p, [&](const json& j, const std::string& path) {
            rule_fields r;
            visit_fields(r, field_reader(j, path));
            rules.emplace_back(std::move(r.name), r.stage, r.level, std::move(r.applies_to), std::move(r.when));
        });
    }
    /// An object.
    template <class T>
    void operator()(const char* name, T& object, presence p) const {
        if (const json* v = find(name, p)) visit_fields(object, field_reader(*v, at(name)));
    }

private:
    [[nodiscard]] const json* find(const char* name, presence p) const {
        return p == presence::required ? &member(j_, name, path_) : find_member(j_, name);
    }
    [[nodiscard]] std::string at(const char* name) const { return child(path_, name); }
    template <class F>
    void each_object(const char* name, presence p, F&& read) const {
        const json* v = find(name, p);
        if (!v) return;
        const std::string path = at(name);
        expect_array(*v, path, 100000);
        for (std::size_t i = 0; i < v->size(); ++i) read((*v)[i], pointer_index(path, i));
    }

    const json& j_;
    std::string path_;
};

/// Writes what a visit_fields list names as the fields of one JSON object (at `path`).
class field_writer {
public:
    field_writer(json& j, std::string path) : j_(j), path_(std::move(path)) { j_ = json::object(); }

    void operator()(const char* name, const std::string& x, presence) const { j_[name] = x; }
    void operator()(const char* name, std::size_t x, presence) const { j_[name] = x; }
    void operator()(const char* name, double x, presence) const { j_[name] = x; }
    void operator()(const char* name, bool x, presence) const { j_[name] = x; }
    void operator()(const char* name, share_field<const double> x, presence) const { j_[name] = x.x; }
    void operator()(const char* name, const std::vector<std::string>& x, presence) const { j_[name] = x; }
    void operator()(const char* name, policy_level x, presence) const { j_[name] = to_json_name(x); }
    void operator()(const char* name, exploration::evidence_source x, presence) const {
        j_[name] = x == exploration::evidence_source::local ? "local" : x == exploration::evidence_source::model ? "model" : "offer";
    }
    void operator()(const char* name, nba::stage x, presence) const { j_[name] = std::string(to_string(x)); }
    void operator()(const char* name, const condition& x, presence) const { j_[name] = condition_to_json(x, at(name)); }
    /// An array of objects.
    template <class T>
    void operator()(const char* name, const std::vector<T>& items, presence) const {
        json a = json::array();
        for (std::size_t i = 0; i < items.size(); ++i) {
            json o;
            visit_fields(items[i], field_writer(o, pointer_index(at(name), i)));
            a.push_back(std::move(o));
        }
        j_[name] = std::move(a);
    }
    /// Engagement rules; a rule written in C++ cannot be saved (`invalid_argument`).
    template <class Profile, class Offer>
    void operator()(const char* name, const std::vector<rule<Profile, Offer>>& rules, presence) const {
        json a = json::array();
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const auto& r = rules[i];
            const std::string path = pointer_index(at(name), i);
            if (!r.as_condition())
                throw_error(error_id::invalid_argument, path,
                            "rule '" + r.name() + "' is written in C++; only rules made of a condition can be saved");
            const rule_fields f{r.name(), r.stage(), r.level(), r.applies_to(), *r.as_condition()};
            json o;
            visit_fields(f, field_writer(o, path));
            a.push_back(std::move(o));
        }
        j_[name] = std::move(a);
    }
    /// An object.
    template <class T>
    void operator()(const char* name, const T& object, presence) const {
        json o;
        visit_fields(object, field_writer(o, at(name)));
        j_[name] = std::move(o);
    }

private:
    [[nodiscard]] std::string at(const char* name) const { return child(path_, name); }

    json& j_;
    std::string path_;
};

/// The policies body (the members of an nba.policies document but its format and version) of
/// the object `j` at `path`: shared by policies_from_json and the configuration format.
template <class Profile, class Offer>
[[nodiscard]] arbitration_options<Profile, Offer> policies_body_from_json(const json& j, const std::string& path) {
    if (find_member(j, "explain")) // the name before 0.2; refused rather than silently ignored
        throw_error(error_id::unknown_name, child(path, "explain"), "\"explain\" is now \"reasons_per_offer\" (the same count)");
    arbitration_options<Profile, Offer> o;
    visit_policies(o, field_reader(j, path));
    return o;
}

/// The policies body as JSON; errors name `path` + the member (e.g. `/policies/rules/0`).
template <class Profile, class Offer>
[[nodiscard]] json policies_body_to_json(const arbitration_options<Profile, Offer>& o, const std::string& path) {
    json body;
    visit_policies(o, field_writer(body, path));
    return body;
}

} // namespace detail

/// A condition from JSON: `true`/`false`, `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`,
/// or `{"attribute": "Age", "op": ">=", "value": 18}` (with `"source": "context"` to read an
/// interaction attribute; `"values": [...]` for in/not_in; no value for missing/present).
[[nodiscard]] inline condition condition_from_json(const nlohmann::json& j) {
    std::size_t nodes = 0;
    return detail::condition_from_json(j, "", 0, nodes);
}

/// A condition as JSON, in the form condition_from_json reads. Throws `invalid_argument` for an
/// operand the format cannot hold (a missing value, a number that is not finite).
[[nodiscard]] inline nlohmann::json condition_to_json(const condition& c) { return detail::condition_to_json(c, ""); }

/// Policies from JSON (`"format": "nba.policies"`, version 1): engagement rules with conditions,
/// suppression rules, channel limits, thresholds, selection and exploration; see
/// docs/pipeline.md. Throws an nba error naming the offending field; returns nothing half-loaded.
template <class Profile, class Offer>
[[nodiscard]] arbitration_options<Profile, Offer> policies_from_json(const nlohmann::json& j) {
    detail::check_format(j, "nba.policies", policies_format_version);
    return detail::policies_body_from_json<Profile, Offer>(j, "");
}

/// Policies as JSON, in the form policies_from_json reads: every field written, so
/// `policies_from_json(policies_to_json(o))` gives back `o` (but for its `value` function and the
/// exploration's control_salt, which the format does not hold). Throws `invalid_argument` naming
/// the rule (`/rules/<i>`) when a rule is written in C++ rather than as a condition.
template <class Profile, class Offer>
[[nodiscard]] nlohmann::json policies_to_json(const arbitration_options<Profile, Offer>& o) {
    nlohmann::json j{{"format", "nba.policies"}, {"version", policies_format_version}};
    j.update(detail::policies_body_to_json(o, ""));
    return j;
}

} // namespace v0
} // namespace nba

#endif // NBA_JSON_POLICIES_HPP
