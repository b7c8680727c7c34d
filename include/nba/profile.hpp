// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file profile.hpp
/// What nba knows about a customer: named attributes that are numbers, symbols or missing.
///
/// The library reads a host's profile type through `profile_traits<T>`; `nba::profile` is a ready
/// default. Reading never copies: traits hand out `nba::attribute`, a non-owning view.
#ifndef NBA_PROFILE_HPP
#define NBA_PROFILE_HPP

#include "error.hpp"
#include "detail/string.hpp"

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// What an attribute holds.
enum class value_kind : unsigned char {
    missing, ///< no value (absent, or a NaN number)
    number,  ///< a real number (±infinity allowed)
    symbol,  ///< a string (a category, a code, a segment name)
};

[[nodiscard]] constexpr std::string_view to_string(value_kind k) noexcept {
    switch (k) {
    case value_kind::missing: return "missing";
    case value_kind::number: return "number";
    case value_kind::symbol: return "symbol";
    }
    return "unknown";
}

/// A non-owning view of one attribute value: missing, a number or a symbol. A symbol view is only
/// valid while the string it was made from lives. A NaN number is missing: it carries no
/// information, and treating it as a number would poison every comparison after it.
class attribute {
public:
    /// Missing.
    constexpr attribute() noexcept = default;

    /// A number; NaN becomes missing. Any arithmetic type (bool reads as 0/1).
    template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
    constexpr attribute(T x) noexcept // NOLINT(google-explicit-constructor): a value is its view
        : kind_(static_cast<double>(x) == static_cast<double>(x) ? value_kind::number : value_kind::missing),
          number_(static_cast<double>(x)) {}

    /// A symbol (which may be empty: whether "" means missing is for the model to decide).
    constexpr attribute(std::string_view s) noexcept // NOLINT(google-explicit-constructor)
        : kind_(value_kind::symbol), symbol_(s) {}
    /// A symbol; a null pointer is missing.
    constexpr attribute(const char* s) noexcept // NOLINT(google-explicit-constructor)
        : kind_(s == nullptr ? value_kind::missing : value_kind::symbol),
          symbol_(s == nullptr ? std::string_view() : std::string_view(s)) {}
    /// A symbol viewing `s` (which must outlive the view).
    attribute(const std::string& s) noexcept // NOLINT(google-explicit-constructor)
        : kind_(value_kind::symbol), symbol_(s) {}

    [[nodiscard]] static constexpr attribute missing() noexcept { return attribute(); }

    [[nodiscard]] constexpr value_kind kind() const noexcept { return kind_; }
    [[nodiscard]] constexpr bool is_missing() const noexcept { return kind_ == value_kind::missing; }
    [[nodiscard]] constexpr bool is_number() const noexcept { return kind_ == value_kind::number; }
    [[nodiscard]] constexpr bool is_symbol() const noexcept { return kind_ == value_kind::symbol; }

    /// The number. Precondition: is_number().
    [[nodiscard]] constexpr double number() const noexcept {
        NBA_ASSERT(is_number());
        return number_;
    }
    /// The symbol. Precondition: is_symbol().
    [[nodiscard]] constexpr std::string_view symbol() const noexcept {
        NBA_ASSERT(is_symbol());
        return symbol_;
    }

    /// Same kind and same content (numbers by ==, symbols byte for byte; all missings are equal).
    [[nodiscard]] friend constexpr bool operator==(const attribute& a, const attribute& b) noexcept {
        if (a.kind_ != b.kind_) return false;
        switch (a.kind_) {
        case value_kind::missing: return true;
        case value_kind::number: return !(a.number_ < b.number_) && !(b.number_ < a.number_);
        case value_kind::symbol: return a.symbol_ == b.symbol_;
        }
        return false;
    }
    [[nodiscard]] friend constexpr bool operator!=(const attribute& a, const attribute& b) noexcept {
        return !(a == b);
    }

private:
    value_kind kind_ = value_kind::missing;
    double number_ = 0.0;
    std::string_view symbol_{};
};

/// An owning attribute value: what `nba::profile` stores. Converts to an `attribute` view.
class value {
public:
    value() = default;
    template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
    value(T x) : value(attribute(x)) {} // NOLINT(google-explicit-constructor)
    value(std::string s) noexcept // NOLINT(google-explicit-constructor)
        : kind_(value_kind::symbol), symbol_(std::move(s)) {}
    value(std::string_view s) : value(std::string(s)) {} // NOLINT(google-explicit-constructor)
    value(const char* s) : value(attribute(s)) {}        // NOLINT(google-explicit-constructor)
    /// Copies what the view shows.
    explicit value(const attribute& a)
        : kind_(a.kind()), number_(a.is_number() ? a.number() : 0.0),
          symbol_(a.is_symbol() ? std::string(a.symbol()) : std::string()) {}

    [[nodiscard]] static value missing() noexcept { return value(); }

    [[nodiscard]] value_kind kind() const noexcept { return kind_; }
    [[nodiscard]] bool is_missing() const noexcept { return kind_ == value_kind::missing; }
    [[nodiscard]] bool is_number() const noexcept { return kind_ == value_kind::number; }
    [[nodiscard]] bool is_symbol() const noexcept { return kind_ == value_kind::symbol; }
    [[nodiscard]] double number() const noexcept { return view().number(); }
    [[nodiscard]] const std::string& symbol() const noexcept {
        NBA_ASSERT(is_symbol());
        return symbol_;
    }

    /// A view of this value, valid while the value lives unchanged.
    [[nodiscard]] attribute view() const noexcept {
        switch (kind_) {
        case value_kind::number: return attribute(number_);
        case value_kind::symbol: return attribute(std::string_view(symbol_));
        case value_kind::missing: break;
        }
        return attribute();
    }
    operator attribute() const noexcept { return view(); } // NOLINT(google-explicit-constructor)

    [[nodiscard]] friend bool operator==(const value& a, const value& b) noexcept {
        return a.view() == b.view();
    }
    [[nodiscard]] friend bool operator!=(const value& a, const value& b) noexcept { return !(a == b); }

private:
    value_kind kind_ = value_kind::missing;
    double number_ = 0.0;
    std::string symbol_;
};

/// The default profile: a customer id and a set of named attributes. Names are case-sensitive and
/// unique; lookups are binary searches over a sorted, contiguous array (no hashing, no allocation).
class profile {
public:
    /// One named attribute.
    struct entry {
        std::string name;
        nba::value value;
    };
    using const_iterator = std::vector<entry>::const_iterator;

    profile() = default;

    /// A profile from name/value pairs. Throws `invalid_input` (`duplicate`, path `/<name>`) when
    /// a name appears twice.
    profile(std::initializer_list<std::pair<std::string_view, nba::value>> attributes) {
        entries_.reserve(attributes.size());
        for (const auto& [name, v] : attributes) {
            if (contains(name))
                detail::throw_error(error_id::duplicate, pointer(name),
                                    "attribute '" + std::string(name) + "' is given twice");
            set(name, v);
        }
    }
    /// A profile for customer `id`.
    explicit profile(std::string id,
                     std::initializer_list<std::pair<std::string_view, nba::value>> attributes = {})
        : profile(attributes) {
        id_ = std::move(id);
    }

    /// The customer id (may be empty).
    [[nodiscard]] const std::string& id() const noexcept { return id_; }
    void set_id(std::string id) { id_ = std::move(id); }

    /// Inserts or replaces an attribute; returns *this.
    profile& set(std::string_view name, nba::value v) {
        auto it = lower_bound(name);
        if (it != entries_.end() && it->name == name) it->value = std::move(v);
        else entries_.insert(it, entry{std::string(name), std::move(v)});
        return *this;
    }
    /// Removes an attribute; returns whether it was there.
    bool erase(std::string_view name) {
        auto it = lower_bound(name);
        if (it == entries_.end() || it->name != name) return false;
        entries_.erase(it);
        return true;
    }

    /// The attribute called `name`, or missing when there is none.
    [[nodiscard]] attribute get(std::string_view name) const noexcept {
        auto it = lower_bound(name);
        return (it != entries_.end() && it->name == name) ? it->value.view() : attribute();
    }
    [[nodiscard]] bool contains(std::string_view name) const noexcept {
        auto it = lower_bound(name);
        return it != entries_.end() && it->name == name;
    }

    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
    [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
    /// Entries in ascending name order.
    [[nodiscard]] const_iterator begin() const noexcept { return entries_.begin(); }
    [[nodiscard]] const_iterator end() const noexcept { return entries_.end(); }

private:
    [[nodiscard]] static std::string pointer(std::string_view name) {
        std::string p;
        detail::append_pointer_token(p, name);
        return p;
    }
    [[nodiscard]] std::vector<entry>::const_iterator lower_bound(std::string_view name) const noexcept {
        return std::lower_bound(entries_.begin(), entries_.end(), name,
                                [](const entry& e, std::string_view n) { return e.name < n; });
    }
    [[nodiscard]] std::vector<entry>::iterator lower_bound(std::string_view name) noexcept {
        return std::lower_bound(entries_.begin(), entries_.end(), name,
                                [](const entry& e, std::string_view n) { return e.name < n; });
    }

    std::string id_;
    std::vector<entry> entries_;
};

/// How nba reads a profile type. Specialise it for your own type (in namespace nba) with
///
///     static nba::attribute get(const T& profile, std::string_view name);
///
/// returning missing for names the profile does not have. The primary template is empty, so a type
/// without a specialisation is rejected at compile time by `is_profile_v`.
template <class T, class Enable = void>
struct profile_traits {};

template <>
struct profile_traits<profile> {
    [[nodiscard]] static attribute get(const profile& p, std::string_view name) noexcept {
        return p.get(name);
    }
};

namespace detail {
template <class T, class = void>
struct is_profile : std::false_type {};
template <class T>
struct is_profile<T, std::void_t<decltype(profile_traits<T>::get(std::declval<const T&>(),
                                                                 std::string_view()))>>
    : std::is_convertible<decltype(profile_traits<T>::get(std::declval<const T&>(), std::string_view())),
                          attribute> {};
} // namespace detail

/// True when `profile_traits<T>` is specialised with a usable `get`.
template <class T>
inline constexpr bool is_profile_v = detail::is_profile<T>::value;

/// Reads attribute `name` of any profile type through its traits.
template <class Profile>
[[nodiscard]] attribute get_attribute(const Profile& p, std::string_view name) {
    static_assert(is_profile_v<Profile>,
                  "nba: this type is not a profile; specialise nba::profile_traits<T> with "
                  "static nba::attribute get(const T&, std::string_view)");
    return profile_traits<Profile>::get(p, name);
}

} // namespace v0
} // namespace nba

#endif // NBA_PROFILE_HPP
