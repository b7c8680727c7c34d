// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file policy/condition.hpp
/// A small, safe condition language for engagement policies: comparisons, set membership and
/// and/or/not over profile and interaction attributes. Conditions are data (they can be loaded
/// from JSON and saved, see json/policies.hpp), evaluate in bounded time, and cannot run host code.
///
/// Semantics:
///  - `Age >= 18`: numbers compare as numbers; text compares byte for byte (== and != only, and
///    <, <=, >, >= lexicographically); text that reads as a number compares with a number as
///    that number ("42" == 42); otherwise values of different kinds are not equal.
///  - a missing attribute satisfies only `missing` (so `not (Age >= 18)` holds for an unknown age).
///  - `Segment in [gold, platinum]`: equal to one of the values, by the rules above.
///  - `all` of no conditions is true, `any` of none is false.
#ifndef NBA_POLICY_CONDITION_HPP
#define NBA_POLICY_CONDITION_HPP

#include "../detail/conversion.hpp"
#include "../error.hpp"
#include "../interaction.hpp"
#include "../profile.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// Where a condition reads an attribute: the customer's profile or the interaction's attributes.
enum class attribute_source : unsigned char { profile, context };

enum class compare_op : unsigned char { eq, ne, lt, le, gt, ge, in, not_in, missing, present };

[[nodiscard]] constexpr std::string_view to_string(compare_op op) noexcept {
    switch (op) {
    case compare_op::eq: return "==";
    case compare_op::ne: return "!=";
    case compare_op::lt: return "<";
    case compare_op::le: return "<=";
    case compare_op::gt: return ">";
    case compare_op::ge: return ">=";
    case compare_op::in: return "in";
    case compare_op::not_in: return "not_in";
    case compare_op::missing: return "missing";
    case compare_op::present: return "present";
    }
    return "?";
}
[[nodiscard]] constexpr std::optional<compare_op> compare_op_from_string(std::string_view s) noexcept {
    for (compare_op op : {compare_op::eq, compare_op::ne, compare_op::lt, compare_op::le, compare_op::gt, compare_op::ge,
                          compare_op::in, compare_op::not_in, compare_op::missing, compare_op::present})
        if (s == to_string(op)) return op;
    return std::nullopt;
}

/// A condition tree. Build it with the static functions; evaluate with `holds`; read it back
/// (to save it, say) with `node()` and the accessors of each kind of node.
class condition {
public:
    /// The kinds of node: constants, and/or/not of parts, and a comparison of one attribute.
    enum class kind : unsigned char { always, never, all, any, negation, leaf };

    /// Always true.
    condition() = default;

    [[nodiscard]] static condition constant(bool value) {
        condition c;
        c.kind_ = value ? kind::always : kind::never;
        return c;
    }
    /// `attribute op value`, for ==, !=, <, <=, >, >=.
    [[nodiscard]] static condition compare(attribute_source from, std::string attribute, compare_op op, nba::value operand) {
        if (op == compare_op::in || op == compare_op::not_in || op == compare_op::missing || op == compare_op::present)
            detail::throw_error(error_id::invalid_argument, "", "compare() takes ==, !=, <, <=, > or >=; use one_of() or missing()");
        condition c = leaf(from, std::move(attribute), op);
        c.operands_.push_back(std::move(operand));
        return c;
    }
    /// `attribute in {values}` (or not in).
    [[nodiscard]] static condition one_of(attribute_source from, std::string attribute, std::vector<nba::value> values,
                                          bool negate = false) {
        condition c = leaf(from, std::move(attribute), negate ? compare_op::not_in : compare_op::in);
        c.operands_ = std::move(values);
        return c;
    }
    /// `attribute` is missing (or present).
    [[nodiscard]] static condition missing(attribute_source from, std::string attribute, bool negate = false) {
        return leaf(from, std::move(attribute), negate ? compare_op::present : compare_op::missing);
    }
    [[nodiscard]] static condition all(std::vector<condition> parts) { return group(kind::all, std::move(parts)); }
    [[nodiscard]] static condition any(std::vector<condition> parts) { return group(kind::any, std::move(parts)); }
    [[nodiscard]] static condition negation(condition part) { return group(kind::negation, {std::move(part)}); }

    /// Whether the condition holds for this profile and interaction.
    template <class Profile>
    [[nodiscard]] bool holds(const Profile& profile, const interaction& ctx) const {
        switch (kind_) {
        case kind::always: return true;
        case kind::never: return false;
        case kind::all:
            for (const auto& c : children_)
                if (!c.holds(profile, ctx)) return false;
            return true;
        case kind::any:
            for (const auto& c : children_)
                if (c.holds(profile, ctx)) return true;
            return false;
        case kind::negation: return !children_.front().holds(profile, ctx);
        case kind::leaf: break;
        }
        attribute a;
        if (source_ == attribute_source::profile) a = get_attribute(profile, attribute_);
        else if (const auto v = ctx.get(attribute_)) a = attribute(*v);
        const bool absent = a.is_missing() || (a.is_symbol() && a.symbol().empty());
        if (op_ == compare_op::missing) return absent;
        if (op_ == compare_op::present) return !absent;
        if (absent) return false;
        if (op_ == compare_op::in || op_ == compare_op::not_in) {
            bool found = false;
            for (const auto& v : operands_) found = found || compare(a, v.view()) == 0;
            return op_ == compare_op::in ? found : !found;
        }
        const int c = compare(a, operands_.front().view());
        switch (op_) {
        case compare_op::eq: return c == 0;
        case compare_op::ne: return c != 0;
        case compare_op::lt: return c == -1;
        case compare_op::le: return c == -1 || c == 0;
        case compare_op::gt: return c == 1;
        case compare_op::ge: return c == 1 || c == 0;
        default: return false;
        }
    }

    /// What kind of node this is.
    [[nodiscard]] kind node() const noexcept { return kind_; }
    /// The parts of an `all` or `any` node, or the one part of a `negation`.
    [[nodiscard]] const std::vector<condition>& parts() const noexcept { return children_; }
    /// A `leaf`'s attribute source, attribute name, operator and operands (one for ==, !=, <,
    /// <=, >, >=; the set for in and not_in; none for missing and present).
    [[nodiscard]] attribute_source source() const noexcept { return source_; }
    [[nodiscard]] const std::string& attribute_name() const noexcept { return attribute_; }
    [[nodiscard]] compare_op op() const noexcept { return op_; }
    [[nodiscard]] const std::vector<nba::value>& operands() const noexcept { return operands_; }

    /// Nodes in the tree (for limits on loaded policies).
    [[nodiscard]] std::size_t size() const noexcept {
        std::size_t n = 1;
        for (const auto& c : children_) n += c.size();
        return n;
    }

private:
    static condition leaf(attribute_source from, std::string attribute, compare_op op) {
        if (attribute.empty()) detail::throw_error(error_id::invalid_argument, "", "a condition needs an attribute name");
        condition c;
        c.kind_ = kind::leaf;
        c.source_ = from;
        c.attribute_ = std::move(attribute);
        c.op_ = op;
        return c;
    }
    static condition group(kind k, std::vector<condition> parts) {
        condition c;
        c.kind_ = k;
        c.children_ = std::move(parts);
        return c;
    }
    // -1, 0, 1 for less, equal, greater; 2 when the values cannot be compared.
    [[nodiscard]] static int compare(const attribute& a, const attribute& b) noexcept {
        if (a.is_symbol() && b.is_symbol()) {
            const int c = a.symbol().compare(b.symbol());
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        const auto x = detail::as_number(a), y = detail::as_number(b);
        if (!x || !y) return 2;
        return *x < *y ? -1 : (*y < *x ? 1 : 0);
    }

    kind kind_ = kind::always;
    attribute_source source_ = attribute_source::profile;
    compare_op op_ = compare_op::eq;
    std::string attribute_;
    std::vector<nba::value> operands_;
    std::vector<condition> children_;
};

} // namespace v0
} // namespace nba

#endif // NBA_POLICY_CONDITION_HPP
