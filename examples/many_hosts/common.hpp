// What the host, merger and check programs of examples/many_hosts share: the data (Kevin
// Hillstrom's e-mail campaign, split between hosts by customer), the offers, the models every
// host starts from, the volume constraints, the Redis key names and a little command-line parsing.
#ifndef NBA_EXAMPLES_MANY_HOSTS_COMMON_HPP
#define NBA_EXAMPLES_MANY_HOSTS_COMMON_HPP

#include "../csv_rows.hpp"

#include <nba/nba.hpp>
#include <nba/policy/volume.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace many_hosts {

/// Host time: a day is this many customers of the file (in file order).
inline constexpr double rows_per_day = 2000.0;

/// The campaign's three actions; each has an adaptive model keyed by its name.
inline std::vector<nba::offer> offers() {
    std::vector<nba::offer> o{{"Sales", "Email", "Mens E-Mail", "Email", nba::direction::outbound},
                              {"Sales", "Email", "Womens E-Mail", "Email", nba::direction::outbound},
                              {"Sales", "Email", "No E-Mail", "Email", nba::direction::outbound}};
    return o;
}

/// The models every host and the merger start from (the same on every process).
inline nba::model_set start_models() {
    using nba::predictor_type;
    const std::vector<std::pair<std::string, predictor_type>> predictors{
        {"recency", predictor_type::numeric}, {"history_segment", predictor_type::symbolic},
        {"history", predictor_type::numeric}, {"mens", predictor_type::symbolic},
        {"womens", predictor_type::symbolic}, {"zip_code", predictor_type::symbolic},
        {"newbie", predictor_type::symbolic}, {"channel", predictor_type::symbolic}};
    nba::model_set s;
    for (const nba::offer& o : offers()) s.add(nba::adaptive_model::create({{"Name", o.name}}, predictors));
    return s;
}

/// Daily budgets of the two e-mails, shared by all hosts.
inline std::vector<nba::volume_constraint> constraints(std::int64_t mens_per_day, std::int64_t womens_per_day,
                                                       std::int64_t chunk) {
    nba::volume_constraint mens;
    mens.name = "MensEmailPerDay";
    mens.action = "Mens E-Mail";
    mens.budget = mens_per_day;
    mens.period = nba::volume_period::every(1.0);
    mens.chunk = chunk;
    nba::volume_constraint womens = mens;
    womens.name = "WomensEmailPerDay";
    womens.action = "Womens E-Mail";
    womens.budget = womens_per_day;
    return {mens, womens};
}

/// The campaign's customers, and which of them a host serves.
struct data {
    example::csv csv;
    std::size_t logged = 0, visit = 0;
    std::vector<std::size_t> not_predictors;

    explicit data(const std::string& path) : csv(example::read_csv(path, ',')) {
        logged = csv.column("segment");
        visit = csv.column("visit");
        not_predictors = {logged, visit, csv.column("conversion"), csv.column("spend")};
    }
    [[nodiscard]] nba::profile profile(std::size_t row) const { return example::to_profile(csv, csv.rows[row], not_predictors); }
    [[nodiscard]] bool visited(std::size_t row) const { return csv.rows[row][visit] == "1"; }
    /// The action the customer was sent (the log's random choice): the model that learns the visit.
    [[nodiscard]] std::size_t logged_offer(std::size_t row) const {
        const std::string& s = csv.rows[row][logged];
        return s == "Mens E-Mail" ? 0 : s == "Womens E-Mail" ? 1 : 2;
    }
};

/// Customers go to hosts by row: row r to host r % hosts (a load balancer's split by customer).
[[nodiscard]] inline bool served_by(std::size_t row, std::size_t shard, std::size_t shards) { return row % shards == shard; }

/// Redis keys, all under one prefix.
struct keys {
    std::string prefix;
    [[nodiscard]] std::string deltas() const { return prefix + ":deltas"; }        // the stream hosts add their deltas to
    [[nodiscard]] std::string central() const { return prefix + ":central"; }      // the merged models (JSON)
    [[nodiscard]] std::string version() const { return prefix + ":central:version"; }
    [[nodiscard]] std::string merger() const { return prefix + ":merger"; }        // the merger's state (JSON)
    [[nodiscard]] std::string final_sequence(const std::string& host) const { return prefix + ":final:" + host; }
    [[nodiscard]] std::string granted(const std::string& constraint) const { return prefix + ":granted:" + constraint; }
};

/// --name value pairs.
class args {
public:
    args(int argc, char** argv) {
        for (int i = 1; i + 1 < argc; i += 2) {
            const std::string k = argv[i];
            if (k.rfind("--", 0) != 0) throw std::runtime_error("expected --name value, got " + k);
            values_[k.substr(2)] = argv[i + 1];
        }
        if (argc % 2 == 0) throw std::runtime_error(std::string("no value after ") + argv[argc - 1]);
    }
    [[nodiscard]] std::string get(const std::string& k, const std::string& fallback = {}) const {
        const auto it = values_.find(k);
        if (it != values_.end()) return it->second;
        if (fallback.empty()) throw std::runtime_error("missing --" + k);
        return fallback;
    }
    [[nodiscard]] long long number(const std::string& k, long long fallback) const {
        const auto it = values_.find(k);
        return it == values_.end() ? fallback : std::stoll(it->second);
    }

private:
    std::map<std::string, std::string> values_;
};

/// The Redis port: --port, or the first line of --port-file (written by the test fixture).
[[nodiscard]] inline int redis_port(const args& a) {
    const std::string file = a.get("port-file", "-");
    if (file != "-") {
        std::ifstream in(file);
        int port = 0;
        if (!(in >> port)) throw std::runtime_error("cannot read a port from " + file);
        return port;
    }
    return static_cast<int>(a.number("port", 6379));
}

[[nodiscard]] inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace many_hosts

#endif
