// Scoring with models exported from Pega: load an ADM datamart export — the predictor binning
// table and the model table, as CSV text — and score a customer exactly as Pega does. Reading
// the files is the host's business (here std::ifstream); nba parses text (nba/pega/table.hpp).
#include <nba/model/model_set.hpp>
#include <nba/pega.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace {
std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
} // namespace

int main(int argc, char** argv) {
    const std::string dir = std::string(argc > 1 ? argv[1] : NBA_EXAMPLE_DATA) + "/pega-datamart/";

    // The two tables of the export, parsed from text (parse_ndjson reads the NDJSON form).
    const nba::pega::table binning = nba::pega::parse_csv(read_text(dir + "predictordata.csv"));
    const nba::pega::table models = nba::pega::parse_csv(read_text(dir + "modeldata.csv"));

    // One adaptive model per model of the export, keyed by its context (here pyName). A model
    // the model table lacks (an orphan) could never be chosen: it is skipped and named.
    nba::pega::datamart_result loaded = nba::pega::models_from_datamart(binning, &models);
    for (const std::string& id : loaded.orphans) std::printf("skipped orphan model %s\n", id.c_str());
    nba::model_set set;
    for (nba::adaptive_model& m : loaded.models) set.add(std::move(m));
    std::printf("%zu models from %zu binning rows\n", set.size(), binning.rows.size());

    // A customer, scored by the model of each action; an action without a model gets 0.5.
    const nba::profile customer{{"AGE", 62}, {"COUNTRY", "Netherlands"}};
    for (const char* action : {"BARB01", "BOFFERSUM", "BMOBILEAPP"}) {
        const nba::adaptive_model* model = set.find(nba::model_key{{"Name", action}});
        const nba::estimate e = model ? model->score(customer) : nba::no_model_estimate;
        std::printf("%-10s propensity %.9f  evidence %.0f\n", action, e.propensity, e.evidence);
    }
}
