// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json/configuration.hpp
/// Opt-in: a whole configuration — the offer catalogue and the policies — as one JSON document
/// (`"format": "nba.configuration"`, version 1; docs/configuration.md, schema in
/// docs/schema/nba-configuration.schema.json). Includes nlohmann/json.
///
///     auto config = nba::configuration_from_json(j);        // nba::configuration<nba::profile, nba::offer>
///     nlohmann::json saved = nba::configuration_to_json(config);
///
/// The catalogue is written as the hierarchy it is — issues → groups → actions → treatments, each
/// lever at its level, value and `mandatory` at the action (a treatment may override both),
/// channel and direction per treatment, context weights at any level — and loaded flat: one offer
/// per treatment, in document order, carrying the context weights of its issue, group, action and
/// treatment in that order. The policies are the body of an nba.policies document
/// (json/policies.hpp), read and written by the same field lists.
///
/// A load validates every field and throws an nba error naming the JSON pointer of the first bad
/// one; it returns nothing half-loaded. Unlike nba's other formats, unknown members are refused
/// (`unknown_name`): a misspelt setting in a hand-edited configuration must not silently fall back
/// to its default. A host's own members begin with "x-" (`"x-creative": "banner.png"`); nba
/// skips them, and hands each treatment's object to the host's `make_offer`.
#ifndef NBA_JSON_CONFIGURATION_HPP
#define NBA_JSON_CONFIGURATION_HPP

#include "../configuration.hpp"
#include "../detail/json_reader.hpp"
#include "../detail/string.hpp"
#include "../offer.hpp"
#include "policies.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// The configuration format version this build writes and the only one it reads.
inline constexpr int configuration_format_version = 1;

/// Limits on a loaded configuration, so that a hostile document cannot exhaust memory: at most
/// this many offers (treatments, in all)...
inline constexpr std::size_t max_configuration_offers = 1000000;
/// ...and at most this many bytes for the flattened catalogue, counted as it is built: per offer
/// a fixed size (the offer and the working memory of the load) plus its names, and per context
/// weight its size and text. The bound matters because flattening copies an issue's names and
/// context weights into every offer under it.
inline constexpr std::size_t max_configuration_bytes = std::size_t{1} << 28;

namespace detail {

// ------------------------------------------------------------------------------------------
// Checks shared by loading (an invalid_input error at the field's JSON pointer) and saving (an
// invalid_argument error naming the offer, `/offers/<i>`), so that what saves loads.

/// What is wrong with a value, and the error id a load reports it with; empty when nothing.
struct config_problem {
    error_id id = error_id::invalid_value;
    std::string what;
    explicit operator bool() const noexcept { return !what.empty(); }
};

/// A name of the hierarchy, a channel or a context key: not empty, valid UTF-8.
[[nodiscard]] inline config_problem name_problem(std::string_view s) {
    if (s.empty()) return {error_id::invalid_value, "the name is empty"};
    if (!is_valid_utf8(s)) return {error_id::encoding, "the text is not valid UTF-8"};
    return {};
}

/// V: finite and >= 0.
[[nodiscard]] inline config_problem value_problem(double v) {
    if (v >= 0.0 && std::isfinite(v)) return {};
    return {error_id::invalid_value, "the value V must be finite and >= 0, not " + number_text(v)};
}

/// L = 1 + (issue + group + action) / 100, computed as arbitrate() does: finite and >= 0.
[[nodiscard]] inline config_problem levers_problem(const levers& l) {
    const double sum = l.issue + l.group + l.action;
    const double L = 1.0 + sum / 100.0;
    if (L >= 0.0 && std::isfinite(L)) return {};
    return {error_id::invalid_value, "the levers of issue (" + number_text(l.issue) + "), group (" + number_text(l.group) +
                                         ") and action (" + number_text(l.action) + ") give L = 1 + " + number_text(sum) +
                                         " / 100 = " + number_text(L) + "; L must be finite and >= 0"};
}

/// C = 1 + Σ matching weights / 100 must stay finite and >= 0 whatever the interaction holds. An
/// interaction has one value per key (keys ignoring ASCII case), so the lowest C takes, for each
/// key, the value whose weights add up lowest (or none), and the highest likewise.
[[nodiscard]] inline config_problem context_range_problem(const std::vector<context_weight>& ws) {
    double negative = 0.0, positive = 0.0;
    for (const auto& w : ws) (w.weight < 0.0 ? negative : positive) += w.weight;
    auto in_range = [](double low, double high) {
        return 1.0 + low / 100.0 >= 0.0 && std::isfinite(1.0 + low / 100.0) && std::isfinite(1.0 + high / 100.0);
    };
    if (in_range(negative, positive)) return {}; // even if every weight matched at once
    std::vector<std::size_t> order(ws.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto key_less = [&](std::size_t a, std::size_t b) {
        const std::string& x = ws[a].key;
        const std::string& y = ws[b].key;
        return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                            [](char c, char d) { return ascii_lower(c) < ascii_lower(d); });
    };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (key_less(a, b)) return true;
        if (key_less(b, a)) return false;
        return ws[a].value < ws[b].value;
    });
    double low = 0.0, high = 0.0;
    for (std::size_t i = 0; i < order.size();) { // one key
        double key_low = 0.0, key_high = 0.0;
        std::size_t j = i;
        while (j < order.size() && iequals(ws[order[j]].key, ws[order[i]].key)) { // one value
            double sum = 0.0;
            const std::size_t v = j;
            while (j < order.size() && iequals(ws[order[j]].key, ws[order[i]].key) && ws[order[j]].value == ws[order[v]].value)
                sum += ws[order[j++]].weight;
            key_low = std::min(key_low, sum);
            key_high = std::max(key_high, sum);
        }
        low += key_low;
        high += key_high;
        i = j;
    }
    if (in_range(low, high)) return {};
    return {error_id::invalid_value, "the context weights of this offer (its issue's, group's, action's and treatment's) "
                                     "range from " + number_text(low) + " to " + number_text(high) +
                                         " in total; C = 1 + total / 100 must stay finite and >= 0"};
}

/// The keys that identify an offer — issue, group, action, treatment, channel, direction — as a
/// set of positions in a catalogue (offers are found by what they are, never by address).
template <class Offer>
class offer_key_index {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    explicit offer_key_index(const std::vector<Offer>& offers) : set_(16, hasher{&offers}, same{&offers}) {}
    /// Adds position `i`; returns the position of an earlier offer with the same keys, or npos.
    std::size_t insert(std::size_t i) {
        const auto [at, fresh] = set_.insert(i);
        return fresh ? npos : *at;
    }

private:
    using traits = offer_traits<Offer>;
    struct hasher {
        const std::vector<Offer>* offers;
        std::size_t operator()(std::size_t i) const noexcept {
            const Offer& o = (*offers)[i];
            std::size_t h = static_cast<std::size_t>(traits::direction(o));
            for (std::string_view s : {std::string_view(traits::issue(o)), std::string_view(traits::group(o)),
                                       std::string_view(traits::name(o)), std::string_view(traits::treatment(o)),
                                       std::string_view(traits::channel(o))})
                h = h * 1099511628211u ^ std::hash<std::string_view>{}(s);
            return h;
        }
    };
    struct same {
        const std::vector<Offer>* offers;
        bool operator()(std::size_t a, std::size_t b) const noexcept {
            const Offer& x = (*offers)[a];
            const Offer& y = (*offers)[b];
            return traits::direction(x) == traits::direction(y) &&
                   std::string_view(traits::issue(x)) == std::string_view(traits::issue(y)) &&
                   std::string_view(traits::group(x)) == std::string_view(traits::group(y)) &&
                   std::string_view(traits::name(x)) == std::string_view(traits::name(y)) &&
                   std::string_view(traits::treatment(x)) == std::string_view(traits::treatment(y)) &&
                   std::string_view(traits::channel(x)) == std::string_view(traits::channel(y));
        }
    };
    std::unordered_set<std::size_t, hasher, same> set_;
};

/// One lever per issue, per group (of an issue) and per action (of a group), however many
/// entries of a document — or offers of a catalogue — name it.
class lever_registry {
public:
    struct seen {
        double lever;
        std::string where;
    };
    /// Registers `lever` for the issue, group or action named by `names` (1, 2 or 3 names), given
    /// at `where`; returns the earlier registration when that one gave another lever.
    template <class Names>
    const seen* add(const Names& names, double lever, const std::string& where) {
        std::string key; // each name prefixed by its length: no two sequences of names share a key
        for (std::string_view n : names) {
            key += std::to_string(n.size());
            key += ':';
            key += n;
        }
        const auto [at, fresh] = seen_.try_emplace(std::move(key), seen{lever, where});
        return fresh || at->second.lever == lever ? nullptr : &at->second;
    }

private:
    std::map<std::string, seen> seen_;
};

[[nodiscard]] inline const char* level_name(std::size_t names) noexcept {
    return names == 1 ? "issue" : (names == 2 ? "group" : "action");
}

// ------------------------------------------------------------------------------------------
// Unknown members: refused, so that a misspelt name ("one_per_actoin") is an error rather than a
// setting silently left at its default. A host's own members begin with "x-"; nba never reads them.

/// Whether `name` is a host's own member ("x-" and at least one more character).
[[nodiscard]] inline bool is_host_member(std::string_view name) noexcept { return name.size() > 2 && name.substr(0, 2) == "x-"; }

/// Throws unknown_name at the first member of object `j` (at `path`) that is neither in `known`
/// nor a host's own; does nothing for a value that is not an object (the read reports that).
template <class Names>
void refuse_unknown_members(const json& j, const std::string& path, const Names& known, const char* what) {
    if (!j.is_object()) return;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        if (is_host_member(key) || std::find(std::begin(known), std::end(known), std::string_view(key)) != std::end(known)) continue;
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        throw_error(error_id::unknown_name, child(path, key),
                    "'" + key + "' is not a member of " + what + " (" + list + "; a host's own members begin with \"x-\")");
    }
}

/// The member names a visit_fields / visit_policies list reads.
struct member_names {
    std::vector<std::string_view>& names;
    template <class T>
    void operator()(const char* name, T&&, presence) const {
        names.emplace_back(name);
    }
};
template <class T>
[[nodiscard]] std::vector<std::string_view> fields_of() {
    std::vector<std::string_view> names;
    T object{};
    visit_fields(object, member_names{names});
    return names;
}

/// Refuses unknown members in a condition (at `path`) and its parts, down to the depth the
/// condition reader allows (deeper, the reader reports the nesting).
inline void refuse_unknown_condition_members(const json& j, const std::string& path, std::size_t depth) {
    if (!j.is_object() || depth > max_condition_depth) return;
    for (const char* k : {"all", "any", "not"}) {
        const json* part = find_member(j, k);
        if (!part) continue;
        const std::array<std::string_view, 1> known{k};
        refuse_unknown_members(j, path, known, "a condition");
        const std::string p = child(path, k);
        if (part->is_array())
            for (std::size_t i = 0; i < part->size(); ++i) refuse_unknown_condition_members((*part)[i], pointer_index(p, i), depth + 1);
        else
            refuse_unknown_condition_members(*part, p, depth + 1);
        return;
    }
    static constexpr std::array<std::string_view, 5> leaf{"attribute", "source", "op", "value", "values"};
    refuse_unknown_members(j, path, leaf, "a condition");
}

/// Refuses unknown members in the policies body (the object at `path`), by the same field lists
/// the policies are read with.
template <class Profile, class Offer>
void refuse_unknown_policy_members(const json& j, const std::string& path) {
    if (!j.is_object()) return;
    if (find_member(j, "explain")) // the name before 0.2, as policies_from_json says
        throw_error(error_id::unknown_name, child(path, "explain"), "\"explain\" is now \"reasons_per_offer\" (the same count)");
    std::vector<std::string_view> top;
    arbitration_options<Profile, Offer> o;
    visit_policies(o, member_names{top});
    refuse_unknown_members(j, path, top, "the policies");
    auto each = [&](const char* name, const std::vector<std::string_view>& known, const char* what, bool rules) {
        const json* a = find_member(j, name);
        if (!a || !a->is_array()) return;
        const std::string p = child(path, name);
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string at = pointer_index(p, i);
            refuse_unknown_members((*a)[i], at, known, what);
            if (const json* when = rules ? find_member((*a)[i], "when") : nullptr) refuse_unknown_condition_members(*when, child(at, "when"), 0);
        }
    };
    each("rules", fields_of<rule_fields>(), "a rule", true);
    each("suppressions", fields_of<suppression_rule>(), "a suppression rule", false);
    each("channel_limits", fields_of<channel_limit>(), "a channel limit", false);
    if (const json* s = find_member(j, "selection")) refuse_unknown_members(*s, child(path, "selection"), fields_of<selection>(), "the selection");
    if (const json* e = find_member(j, "exploration"))
        refuse_unknown_members(*e, child(path, "exploration"), fields_of<exploration>(), "the exploration");
}

/// The members of each entry of the catalogue.
inline constexpr std::array<std::string_view, 5> document_members{"format", "version", "$schema", "issues", "policies"};
inline constexpr std::array<std::string_view, 4> issue_members{"name", "lever", "context_weights", "groups"};
inline constexpr std::array<std::string_view, 4> group_members{"name", "lever", "context_weights", "actions"};
inline constexpr std::array<std::string_view, 6> action_members{"name", "lever", "context_weights", "value", "mandatory", "treatments"};
inline constexpr std::array<std::string_view, 6> treatment_members{"name", "channel", "direction", "value", "mandatory", "context_weights"};
inline constexpr std::array<std::string_view, 3> weight_members{"key", "value", "weight"};

// ------------------------------------------------------------------------------------------
// Loading

/// A document's catalogue, flattened: one offer per treatment in document order, and the JSON
/// object of the treatment each came from (for a host that reads members of its own).
struct flat_catalogue {
    std::vector<offer> offers;
    std::vector<const json*> treatments;
};

class catalogue_reader {
public:
    explicit catalogue_reader(flat_catalogue& out) : out_(out), keys_(out.offers) {}

    void read(const json& doc) {
        const json& issues = member(doc, "issues", "");
        expect_array(issues, "/issues", max_configuration_offers);
        for (std::size_t i = 0; i < issues.size(); ++i) {
            at_[0] = i;
            read_issue(issues[i], pointer_index("/issues", i));
        }
    }

private:
    void read_issue(const json& j, const std::string& path) {
        refuse_unknown_members(j, path, issue_members, "an issue");
        const std::size_t mark = read_entry(j, path, issue_, {});
        each_child(j, path, "groups", "an issue needs at least one group", [&](const json& g, const std::string& p, std::size_t i) {
            at_[1] = i;
            read_group(g, p);
        });
        weights_.resize(mark);
    }
    void read_group(const json& j, const std::string& path) {
        refuse_unknown_members(j, path, group_members, "a group");
        const std::size_t mark = read_entry(j, path, group_, {issue_.name});
        each_child(j, path, "actions", "a group needs at least one action", [&](const json& a, const std::string& p, std::size_t i) {
            at_[2] = i;
            read_action(a, p);
        });
        weights_.resize(mark);
    }
    void read_action(const json& j, const std::string& path) {
        refuse_unknown_members(j, path, action_members, "an action");
        const std::size_t mark = read_entry(j, path, action_, {issue_.name, group_.name});
        if (const config_problem p = levers_problem({issue_.lever, group_.lever, action_.lever})) throw_error(p.id, path, p.what);
        value_ = 1.0;
        if (const json* v = find_member(j, "value")) value_ = read_value(*v, child(path, "value"));
        mandatory_ = false;
        if (const json* m = find_member(j, "mandatory")) mandatory_ = get_bool(*m, child(path, "mandatory"));
        each_child(j, path, "treatments", "an action needs at least one treatment",
                   [&](const json& t, const std::string& p, std::size_t i) {
                       at_[3] = i;
                       read_treatment(t, p);
                   });
        weights_.resize(mark);
    }

    void read_treatment(const json& j, const std::string& path) {
        expect_object(j, path);
        refuse_unknown_members(j, path, treatment_members, "a treatment");
        offer o;
        o.issue = issue_.name;
        o.group = group_.name;
        o.name = action_.name;
        if (const json* n = find_member(j, "name")) o.treatment = read_name(*n, child(path, "name"));
        o.channel = read_name(member(j, "channel", path), child(path, "channel"));
        if (const json* d = find_member(j, "direction")) {
            const std::string p = child(path, "direction");
            const std::string s = get_string(*d, p);
            if (s == "inbound") o.direction = direction::inbound;
            else if (s == "outbound") o.direction = direction::outbound;
            else throw_error(error_id::unknown_name, p, "'" + s + "' is neither inbound nor outbound");
        }
        o.value = value_;
        if (const json* v = find_member(j, "value")) o.value = read_value(*v, child(path, "value"));
        o.mandatory = mandatory_;
        if (const json* m = find_member(j, "mandatory")) o.mandatory = get_bool(*m, child(path, "mandatory"));
        o.levers = {issue_.lever, group_.lever, action_.lever};
        const std::size_t mark = weights_.size();
        read_context_weights(j, path);
        if (const config_problem p = context_range_problem(weights_)) throw_error(p.id, path, p.what);

        o.context_weights = weights_;
        weights_.resize(mark);

        out_.offers.push_back(std::move(o));
        out_.treatments.push_back(&j);
        where_.push_back(at_);
        const std::size_t earlier = keys_.insert(out_.offers.size() - 1);
        if (earlier != offer_key_index<offer>::npos) {
            const offer& d = out_.offers.back();
            throw_error(error_id::duplicate, path,
                        "the same offer as " + treatment_path(where_[earlier]) + " (issue '" + d.issue + "', group '" + d.group +
                            "', action '" + d.name + "', treatment '" + d.treatment + "', channel '" + d.channel + "', " +
                            std::string(to_string(d.direction)) + ")");
        }
    }

    struct entry {
        std::string name;
        double lever = 0.0;
    };

    /// The name, lever and context weights of an issue, group or action; returns the number of
    /// context weights before this entry's (to drop them when its children are read).
    std::size_t read_entry(const json& j, const std::string& path, entry& e, std::initializer_list<std::string_view> parents) {
        expect_object(j, path);
        e.name = read_name(member(j, "name", path), child(path, "name"));
        e.lever = 0.0;
        const std::string lever_path = child(path, "lever");
        if (const json* l = find_member(j, "lever")) e.lever = get_double(*l, lever_path);
        std::vector<std::string_view> names(parents);
        names.push_back(e.name);
        if (const lever_registry::seen* other = levers_.add(names, e.lever, lever_path))
            throw_error(error_id::invalid_value, lever_path,
                        std::string(level_name(names.size())) + " '" + e.name + "' has lever " + number_text(e.lever) +
                            (find_member(j, "lever") ? "" : " (absent: 0)") + " here but " + number_text(other->lever) + " at " +
                            other->where + ": " + (names.size() == 1 ? "an issue" : (names.size() == 2 ? "a group" : "an action")) +
                            " has one lever, however many entries name it");
        const std::size_t mark = weights_.size();
        read_context_weights(j, path);
        return mark;
    }

    void read_context_weights(const json& j, const std::string& path) {
        const json* a = find_member(j, "context_weights");
        if (!a) return;
        const std::string p = child(path, "context_weights");
        expect_array(*a, p, max_configuration_offers);
        for (std::size_t i = 0; i < a->size(); ++i) {
            const json& w = (*a)[i];
            const std::string wp = pointer_index(p, i);
            expect_object(w, wp);
            refuse_unknown_members(w, wp, weight_members, "a context weight");
            context_weight cw;
            cw.key = read_name(member(w, "key", wp), child(wp, "key"));
            cw.value = get_string(member(w, "value", wp), child(wp, "value"));
            if (!is_valid_utf8(cw.value)) throw_error(error_id::encoding, child(wp, "value"), "the text is not valid UTF-8");
            cw.weight = get_double(member(w, "weight", wp), child(wp, "weight"));
            weights_.push_back(std::move(cw));
        }
    }

    template <class F>
    void each_child(const json& j, const std::string& path, const char* name, const char* empty, F&& read) {
        const std::string p = child(path, name);
        const json& a = member(j, name, path);
        expect_array(a, p, max_configuration_offers);
        if (a.empty()) throw_error(error_id::invalid_value, p, empty);
        for (std::size_t i = 0; i < a.size(); ++i) read(a[i], pointer_index(p, i), i);
    }

    [[nodiscard]] static std::string read_name(const json& j, const std::string& path) {
        std::string s = get_string(j, path);
        if (const config_problem p = name_problem(s)) throw_error(p.id, path, p.what);
        return s;
    }
    [[nodiscard]] static double read_value(const json& j, const std::string& path) {
        const double v = get_double(j, path);
        if (const config_problem p = value_problem(v)) throw_error(p.id, path, p.what);
        return v;
    }
    [[nodiscard]] static std::string treatment_path(const std::array<std::size_t, 4>& at) {
        return "/issues/" + std::to_string(at[0]) + "/groups/" + std::to_string(at[1]) + "/actions/" + std::to_string(at[2]) +
               "/treatments/" + std::to_string(at[3]);
    }

    flat_catalogue& out_;
    offer_key_index<offer> keys_;
    lever_registry levers_;
    entry issue_, group_, action_;
    double value_ = 1.0;
    bool mandatory_ = false;
    std::vector<context_weight> weights_; // of the entries above the treatment being read
    std::array<std::size_t, 4> at_{};     // issue, group, action, treatment being read
    std::vector<std::array<std::size_t, 4>> where_; // of each offer read
};

/// The size of the flattened catalogue, counted before anything is built; throws too_large at
/// the treatment that passes `max_configuration_offers` or `max_configuration_bytes`. Reads what
/// it can and counts nothing for the rest: the load that follows reports what is malformed.
inline void check_flattened_size(const json& doc) {
    const json* issues = find_member(doc, "issues");
    if (!issues || !issues->is_array()) return;
    auto text = [](const json* j) -> std::size_t { return j && j->is_string() ? j->get_ref<const std::string&>().size() : 0; };
    auto own = [&](const json& e) { // an entry's name and context weights, copied into each offer under it
        std::size_t n = text(find_member(e, "name"));
        const json* weights = find_member(e, "context_weights");
        if (weights && weights->is_array())
            for (const json& w : *weights) n += sizeof(context_weight) + text(find_member(w, "key")) + text(find_member(w, "value"));
        return n;
    };
    auto children = [](const json& e, const char* name) -> const json* {
        const json* a = find_member(e, name);
        return a && a->is_array() ? a : nullptr;
    };
    // per offer: the offer itself and the load's working memory for it (key index, paths)
    constexpr std::size_t fixed = sizeof(offer) + sizeof(const json*) + sizeof(std::array<std::size_t, 4>) + 4 * sizeof(void*);
    std::size_t bytes = 0, offers = 0;
    for (std::size_t i = 0; i < issues->size(); ++i) {
        const json& issue = (*issues)[i];
        const std::size_t issue_bytes = own(issue);
        const json* groups = children(issue, "groups");
        for (std::size_t g = 0; groups && g < groups->size(); ++g) {
            const json& group = (*groups)[g];
            const std::size_t group_bytes = issue_bytes + own(group);
            const json* actions = children(group, "actions");
            for (std::size_t a = 0; actions && a < actions->size(); ++a) {
                const json& action = (*actions)[a];
                const std::size_t action_bytes = group_bytes + own(action);
                const json* treatments = children(action, "treatments");
                for (std::size_t t = 0; treatments && t < treatments->size(); ++t) {
                    const json& treatment = (*treatments)[t];
                    bytes += fixed + action_bytes + own(treatment) + text(find_member(treatment, "channel"));
                    ++offers;
                    if (offers > max_configuration_offers || bytes > max_configuration_bytes) {
                        const std::string path = "/issues/" + std::to_string(i) + "/groups/" + std::to_string(g) + "/actions/" +
                                                 std::to_string(a) + "/treatments/" + std::to_string(t);
                        throw_error(error_id::too_large, path,
                                    offers > max_configuration_offers
                                        ? "more than " + std::to_string(max_configuration_offers) + " offers (max_configuration_offers)"
                                        : "the catalogue, flattened, takes more than " + std::to_string(max_configuration_bytes) +
                                              " bytes (max_configuration_bytes): an entry's names and context weights are "
                                              "copied into every offer under it");
                    }
                }
            }
        }
    }
}

/// The catalogue of a configuration document, flattened and validated.
[[nodiscard]] inline flat_catalogue read_catalogue(const json& doc) {
    check_flattened_size(doc);
    flat_catalogue out;
    catalogue_reader(out).read(doc);
    return out;
}

/// The offer type a host's conversion (`nba::offer` → its type, optionally given the
/// treatment's JSON object too) makes.
template <class F, class = void>
struct made_offer {};
template <class F>
struct made_offer<F, std::enable_if_t<std::is_invocable_v<F&, offer&&, const json&>>> {
    using type = std::decay_t<std::invoke_result_t<F&, offer&&, const json&>>;
    static constexpr bool with_json = true;
};
template <class F>
struct made_offer<F, std::enable_if_t<!std::is_invocable_v<F&, offer&&, const json&> && std::is_invocable_v<F&, offer&&>>> {
    using type = std::decay_t<std::invoke_result_t<F&, offer&&>>;
    static constexpr bool with_json = false;
};

// ------------------------------------------------------------------------------------------
// Saving

/// Checks offer `i` of a catalogue as loading would check what saving writes of it; throws
/// invalid_argument naming `/offers/<i>`.
template <class Offer>
void check_offer_for_saving(const std::vector<Offer>& offers, std::size_t i, const std::vector<context_weight>& weights,
                            offer_key_index<Offer>& keys, lever_registry& levers) {
    using traits = offer_traits<Offer>;
    const Offer& o = offers[i];
    const std::string path = pointer_index("/offers", i);
    auto fail = [&](const std::string& what) { throw_error(error_id::invalid_argument, path, what); };
    const std::string_view issue = traits::issue(o), group = traits::group(o), action = traits::name(o);
    const std::string_view treatment = traits::treatment(o);
    const std::pair<const char*, std::string_view> names[] = {
        {"issue", issue}, {"group", group}, {"action", action}, {"channel", traits::channel(o)}};
    for (const auto& [what, name] : names)
        if (const config_problem p = name_problem(name)) fail("the " + std::string(what) + " name: " + p.what);
    if (!treatment.empty())
        if (const config_problem p = name_problem(treatment)) fail("the treatment name: " + p.what);
    if (const config_problem p = value_problem(static_cast<double>(traits::value(o)))) fail(p.what);
    const nba::levers l = traits::levers(o);
    if (!std::isfinite(l.issue) || !std::isfinite(l.group) || !std::isfinite(l.action)) fail("a lever is not finite");
    if (const config_problem p = levers_problem(l)) fail(p.what);
    for (std::size_t k = 0; k < weights.size(); ++k) {
        const context_weight& w = weights[k];
        const std::string which = "context weight " + std::to_string(k) + ": ";
        if (const config_problem p = name_problem(w.key)) fail(which + "the key: " + p.what);
        if (!is_valid_utf8(w.value)) fail(which + "the value is not valid UTF-8");
        if (!std::isfinite(w.weight)) fail(which + "the weight is not finite");
    }
    if (const config_problem p = context_range_problem(weights)) fail(p.what);
    const std::pair<const lever_registry::seen*, std::size_t> others[] = {
        {levers.add(std::initializer_list<std::string_view>{issue}, l.issue, path), 1},
        {levers.add(std::initializer_list<std::string_view>{issue, group}, l.group, path), 2},
        {levers.add(std::initializer_list<std::string_view>{issue, group, action}, l.action, path), 3}};
    for (const auto& [other, level] : others)
        if (other)
            fail("its " + std::string(level_name(level)) + " lever is " +
                 number_text(level == 1 ? l.issue : (level == 2 ? l.group : l.action)) + " but " + number_text(other->lever) +
                 " at " + other->where + "; the JSON form holds one lever per issue, group and action");
    const std::size_t earlier = keys.insert(i);
    if (earlier != offer_key_index<Offer>::npos)
        fail("the same keys (issue, group, action, treatment, channel, direction) as /offers/" + std::to_string(earlier));
}

/// How many context weights, from position `from` on, the offers [b, e) all begin with
/// (returned as an end position).
[[nodiscard]] inline std::size_t shared_weights(const std::vector<std::vector<context_weight>>& weights, std::size_t b,
                                                std::size_t e, std::size_t from) {
    std::size_t end = weights[b].size();
    for (std::size_t k = b + 1; k < e && end > from; ++k) {
        const auto& x = weights[b];
        const auto& y = weights[k];
        std::size_t n = from;
        while (n < end && n < y.size() && x[n].key == y[n].key && x[n].value == y[n].value && x[n].weight == y[n].weight) ++n;
        end = n;
    }
    return std::max(end, from);
}

[[nodiscard]] inline json weights_to_json(const std::vector<context_weight>& w, std::size_t from, std::size_t to) {
    json a = json::array();
    for (std::size_t k = from; k < to; ++k) a.push_back(json{{"key", w[k].key}, {"value", w[k].value}, {"weight", w[k].weight}});
    return a;
}

/// The ends of the runs of consecutive offers in [b, e) that `same(i, j)` puts together.
template <class Same>
[[nodiscard]] std::vector<std::size_t> run_ends(std::size_t b, std::size_t e, Same same) {
    std::vector<std::size_t> ends;
    for (std::size_t i = b; i < e;) {
        std::size_t j = i + 1;
        while (j < e && same(i, j)) ++j;
        ends.push_back(j);
        i = j;
    }
    return ends;
}

template <class Offer, class WriteExtra>
[[nodiscard]] json catalogue_to_json(const std::vector<Offer>& offers, WriteExtra& write_extra) {
    using traits = offer_traits<Offer>;
    std::vector<std::vector<context_weight>> weights(offers.size());
    {
        offer_key_index<Offer> keys(offers);
        lever_registry levers;
        for (std::size_t i = 0; i < offers.size(); ++i) {
            for (const context_weight& w : traits::context_weights(offers[i])) weights[i].push_back(w);
            check_offer_for_saving(offers, i, weights[i], keys, levers);
        }
    }
    auto same_issue = [&](std::size_t a, std::size_t b) { return traits::issue(offers[a]) == traits::issue(offers[b]); };
    auto same_group = [&](std::size_t a, std::size_t b) { return traits::group(offers[a]) == traits::group(offers[b]); };
    auto same_action = [&](std::size_t a, std::size_t b) { return traits::name(offers[a]) == traits::name(offers[b]); };
    auto entry = [](std::string_view name, double lever, const std::vector<context_weight>& w, std::size_t from, std::size_t to) {
        json j{{"name", std::string(name)}, {"lever", lever}};
        if (to > from) j["context_weights"] = weights_to_json(w, from, to);
        return j;
    };
    json issues = json::array();
    std::size_t ib = 0;
    for (const std::size_t ie : run_ends(0, offers.size(), same_issue)) {
        const std::vector<std::size_t> group_ends = run_ends(ib, ie, same_group);
        // weights every offer of an entry shares go to the highest entry with more than one child
        const std::size_t issue_to = group_ends.size() > 1 ? shared_weights(weights, ib, ie, 0) : 0;
        json issue = entry(traits::issue(offers[ib]), traits::levers(offers[ib]).issue, weights[ib], 0, issue_to);
        json groups = json::array();
        std::size_t gb = ib;
        for (const std::size_t ge : group_ends) {
            const std::vector<std::size_t> action_ends = run_ends(gb, ge, same_action);
            const std::size_t group_to = action_ends.size() > 1 ? shared_weights(weights, gb, ge, issue_to) : issue_to;
            json group = entry(traits::group(offers[gb]), traits::levers(offers[gb]).group, weights[gb], issue_to, group_to);
            json actions = json::array();
            std::size_t ab = gb;
            for (const std::size_t ae : action_ends) {
                const std::size_t action_to = shared_weights(weights, ab, ae, group_to);
                const Offer& first = offers[ab];
                const double value = static_cast<double>(traits::value(first));
                const bool mandatory = traits::mandatory(first);
                json action = entry(traits::name(first), traits::levers(first).action, weights[ab], group_to, action_to);
                action["value"] = value;
                action["mandatory"] = mandatory;
                json treatments = json::array();
                for (std::size_t t = ab; t < ae; ++t) {
                    const Offer& o = offers[t];
                    json treatment{{"channel", std::string(traits::channel(o))},
                                   {"direction", std::string(to_string(static_cast<nba::direction>(traits::direction(o))))}};
                    if (!std::string_view(traits::treatment(o)).empty()) treatment["name"] = std::string(traits::treatment(o));
                    if (static_cast<double>(traits::value(o)) != value) treatment["value"] = static_cast<double>(traits::value(o));
                    if (traits::mandatory(o) != mandatory) treatment["mandatory"] = traits::mandatory(o);
                    if (weights[t].size() > action_to) treatment["context_weights"] = weights_to_json(weights[t], action_to, weights[t].size());
                    write_extra(o, treatment);
                    for (auto it = treatment.begin(); it != treatment.end(); ++it)
                        if (!is_host_member(it.key()) &&
                            std::find(treatment_members.begin(), treatment_members.end(), std::string_view(it.key())) == treatment_members.end())
                            throw_error(error_id::invalid_argument, pointer_index("/offers", t),
                                        "the host wrote member '" + it.key() + "'; a host's own members begin with \"x-\"");
                    treatments.push_back(std::move(treatment));
                }
                action["treatments"] = std::move(treatments);
                actions.push_back(std::move(action));
                ab = ae;
            }
            group["actions"] = std::move(actions);
            groups.push_back(std::move(group));
            gb = ge;
        }
        issue["groups"] = std::move(groups);
        issues.push_back(std::move(issue));
        ib = ie;
    }
    return issues;
}

} // namespace detail

/// A configuration from JSON for a host's own offer type: each offer is loaded as an
/// `nba::offer` (validated as above) and handed to `make_offer`, which returns the host's offer —
/// `make_offer(nba::offer&&)`, or `make_offer(nba::offer&&, const nlohmann::json& treatment)` to
/// read members of the host's own (names beginning with "x-") from the treatment's JSON object. The
/// host's type needs an `offer_traits` specialisation (offer.hpp); the policies are loaded for it.
///
///     auto config = nba::configuration_from_json<my_profile>(j, [](nba::offer&& o, const nlohmann::json& t) {
///         return my_offer{std::move(o), t.value("x-creative", "")};
///     });
///
/// \param j           the document
/// \param make_offer  the conversion; what it throws propagates
template <class Profile = nba::profile, class MakeOffer, class Offer = typename detail::made_offer<MakeOffer>::type>
[[nodiscard]] configuration<Profile, Offer> configuration_from_json(const nlohmann::json& j, MakeOffer&& make_offer) {
    static_assert(is_offer_v<Offer>, "make_offer must return an offer type with an offer_traits specialisation");
    detail::check_format(j, "nba.configuration", configuration_format_version);
    detail::refuse_unknown_members(j, "", detail::document_members, "an nba.configuration document");
    if (const nlohmann::json* s = detail::find_member(j, "$schema")) (void)detail::get_string(*s, "/$schema");
    detail::flat_catalogue flat = detail::read_catalogue(j);
    configuration<Profile, Offer> c;
    if (const nlohmann::json* p = detail::find_member(j, "policies")) {
        detail::refuse_unknown_policy_members<Profile, Offer>(*p, "/policies");
        c.policies = detail::policies_body_from_json<Profile, Offer>(*p, "/policies");
    }
    c.offers.reserve(flat.offers.size());
    for (std::size_t i = 0; i < flat.offers.size(); ++i) {
        if constexpr (detail::made_offer<MakeOffer>::with_json)
            c.offers.push_back(make_offer(std::move(flat.offers[i]), *flat.treatments[i]));
        else
            c.offers.push_back(make_offer(std::move(flat.offers[i])));
    }
    return c;
}

/// A configuration from JSON (`"format": "nba.configuration"`, version 1; docs/configuration.md):
/// the catalogue, flattened into one `nba::offer` per treatment in document order, and the
/// policies. Validates every field — names not empty, values finite and >= 0, levers and
/// context weights that keep L and C finite and >= 0, one lever per issue, group and action, no
/// offer twice (the same issue, group, action, treatment, channel and direction), the limits
/// `max_configuration_offers` and `max_configuration_bytes` — and throws an nba error naming the
/// JSON pointer of the first bad field; returns nothing half-loaded. Unknown members are refused
/// (`unknown_name`), but for a host's own, whose names begin with "x-".
/// \param j  the document
template <class Profile = nba::profile>
[[nodiscard]] configuration<Profile, nba::offer> configuration_from_json(const nlohmann::json& j) {
    return configuration_from_json<Profile>(j, [](nba::offer&& o) { return std::move(o); });
}

namespace detail {
/// Text to JSON for the text overloads: a syntax error is an nba parse_error (`syntax`).
[[nodiscard]] inline json parse_configuration_text(std::string_view text) {
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        throw_error(error_id::syntax, "", std::string("not valid JSON: ") + e.what());
    }
}
template <class Text>
using if_text = std::enable_if_t<!std::is_same_v<std::decay_t<Text>, json> && std::is_convertible_v<const Text&, std::string_view>, int>;
} // namespace detail

/// A configuration from JSON text: as `configuration_from_json(nlohmann::json::parse(text))`, but
/// text that is not JSON throws an nba `parse_error` (`syntax`) rather than nlohmann's.
/// \param text  the document, e.g. a file's contents
template <class Profile = nba::profile, class Text, detail::if_text<Text> = 0>
[[nodiscard]] configuration<Profile, nba::offer> configuration_from_json(const Text& text) {
    return configuration_from_json<Profile>(detail::parse_configuration_text(std::string_view(text)));
}

/// A configuration from JSON text for a host's own offer type (see the overload taking
/// `nlohmann::json` and `make_offer`).
/// \param text        the document
/// \param make_offer  the conversion; what it throws propagates
template <class Profile = nba::profile, class Text, class MakeOffer, detail::if_text<Text> = 0>
[[nodiscard]] auto configuration_from_json(const Text& text, MakeOffer&& make_offer) {
    return configuration_from_json<Profile>(detail::parse_configuration_text(std::string_view(text)),
                                            std::forward<MakeOffer>(make_offer));
}

/// A configuration as JSON, in the form configuration_from_json reads, for any offer type (read
/// through its `offer_traits`); `write_extra(offer, treatment)` is called for each treatment's
/// JSON object after nba has written its members, to add the host's own (names beginning with "x-",
/// which nba never uses: see docs/configuration.md; another name throws `invalid_argument`). Consecutive offers of the same issue, group and action are
/// written as one entry; the catalogue's order is kept, so an issue whose offers are not
/// consecutive is written as several entries of the same name. Context weights every offer of an
/// entry shares are written once, at that entry. Every policy field is written. Throws
/// `invalid_argument` naming `/offers/<i>` for an offer loading would refuse (an empty name, a
/// value or lever out of domain, two levers for one issue, group or action, the same keys twice)
/// and `/policies/rules/<i>` for a rule written in C++.
/// \param c            the configuration
/// \param write_extra  called as `write_extra(const Offer&, nlohmann::json& treatment)`
template <class Profile, class Offer, class WriteExtra>
[[nodiscard]] nlohmann::json configuration_to_json(const configuration<Profile, Offer>& c, WriteExtra&& write_extra) {
    nlohmann::json j{{"format", "nba.configuration"}, {"version", configuration_format_version}};
    j["issues"] = detail::catalogue_to_json(c.offers, write_extra);
    j["policies"] = detail::policies_body_to_json(c.policies, "/policies");
    return j;
}

/// A configuration as JSON, in the form configuration_from_json reads: saving what a load gave
/// and loading it again gives the same configuration and the same JSON text (but for the
/// policies' `value` function and the exploration's control_salt, which the format does not hold).
/// \param c  the configuration
template <class Profile, class Offer>
[[nodiscard]] nlohmann::json configuration_to_json(const configuration<Profile, Offer>& c) {
    return configuration_to_json(c, [](const Offer&, nlohmann::json&) {});
}

} // namespace v0
} // namespace nba

#endif // NBA_JSON_CONFIGURATION_HPP
