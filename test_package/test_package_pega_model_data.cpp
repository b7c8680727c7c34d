// A consumer of the packaged nba's pega_model_data component (nba::pega_model_data): pyModelData,
// base64 of zlib-deflated text, decoded.
#include <nba/pega/model_data.hpp>

#include <cstdio>
#include <string>

int main() {
    const std::string text = nba::pega::decode_model_data("eJyrVspLzE1VslLKS0pUqgUAIqgEjQ==");
    if (text != "{\"name\":\"nba\"}") return 1;
    std::printf("nba pega_model_data: %s\n", text.c_str());
    return 0;
}
