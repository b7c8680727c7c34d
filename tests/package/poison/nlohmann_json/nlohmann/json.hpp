// A poisoned stand-in for <nlohmann/json.hpp> (tests/package/poison, see README there): an include directory
// placed first for a build that must not need nlohmann/json, so that any include of it fails.
#error "poisoned <nlohmann/json.hpp>: this build must not include it (it uses only nba components that need no nlohmann/json)"
