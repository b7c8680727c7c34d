// nba command-line tool: loading model sets from the files and directories the user names.
#ifndef NBA_TOOL_MODELS_HPP
#define NBA_TOOL_MODELS_HPP

#include "io.hpp"

#include <nba/json.hpp>
#include <nba/model/model_set.hpp>
#include <nba/pega.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace nba_cli {

/// Adds the model(s) of one file: nba's JSON (a model or a model set), a Pega factory JSON, a
/// Pega model JSON, or pyModelData (base64 of zlib-deflated JSON). Errors are re-thrown with the
/// file name in front of the detail.
inline void load_model_file(nba::model_set& set, const std::string& path) {
    const std::string text = read_file(path);
    with_file(path, [&] {
        const nlohmann::json j = parse_model_text(text, path);
        const nlohmann::json* format = j.is_object() ? nba::detail::find_member(j, "format") : nullptr;
        if (format && format->is_string() && format->get<std::string>() == "nba.model_set") {
            const nba::model_set loaded = nba::model_set_from_json(j);
            for (const auto& m : loaded.models()) set.add(m);
        } else if (format) {
            set.add(nba::model_from_json(j));
        } else {
            set.add(nba::pega::model_from_json(j));
        }
    });
}

/// Adds every model named by `path`: a file, or a directory whose regular files are read in
/// name order (hidden files skipped).
inline void load_models(nba::model_set& set, const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<std::string> files;
        for (const auto& entry : fs::directory_iterator(path, ec))
            if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
                files.push_back(entry.path().string());
        std::sort(files.begin(), files.end());
        if (files.empty()) nba::detail::throw_error(nba::error_id::invalid_argument, "", "no model files in directory '" + path + "'");
        for (const auto& f : files) load_model_file(set, f);
        return;
    }
    load_model_file(set, path);
}

/// Adds the models of a datamart export. Binning-table models missing from the model table
/// (orphans) are skipped with one warning on stderr naming them, or refused with `strict`.
inline void load_datamart(nba::model_set& set, const std::string& binning_path, const std::string& models_path,
                          bool strict) {
    const auto binning = read_table(binning_path);
    std::optional<nba::pega::table> models;
    if (!models_path.empty()) models = read_table(models_path);
    nba::pega::datamart_options options;
    options.strict = strict;
    with_file(binning_path, [&] {
        nba::pega::datamart_result loaded = nba::pega::models_from_datamart(binning, models ? &*models : nullptr, options);
        if (!loaded.orphans.empty()) {
            const std::size_t n = loaded.orphans.size();
            std::cerr << "nba: warning: " << binning_path << ": " << n << (n == 1 ? " model has" : " models have")
                      << " no row in the model table " << models_path
                      << " and can never match a context; skipped (--strict refuses such an export): ";
            for (std::size_t i = 0; i < n; ++i) std::cerr << (i ? ", " : "") << loaded.orphans[i];
            std::cerr << '\n';
        }
        for (auto& m : loaded.models) set.add(std::move(m));
    });
}

/// Where a command's models come from: --model paths and a datamart export.
struct model_sources {
    std::vector<std::string> models;
    std::string datamart;
    std::string datamart_models;
    bool strict = false; ///< refuse a datamart export with orphan models instead of skipping them

    /// Loads them all; an error when none was given or the options do not fit together.
    [[nodiscard]] nba::model_set load() const {
        nba::model_set set;
        for (const auto& m : models) load_models(set, m);
        if (!datamart_models.empty() && datamart.empty())
            nba::detail::throw_error(nba::error_id::invalid_argument, "", "--datamart-models needs --datamart");
        if (!datamart.empty()) load_datamart(set, datamart, datamart_models, strict);
        if (set.empty()) nba::detail::throw_error(nba::error_id::invalid_argument, "", "no models: give --model or --datamart");
        return set;
    }
};

} // namespace nba_cli

#endif
