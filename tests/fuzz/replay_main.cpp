// Runs a fuzz target over files and directories of inputs, so the corpus is replayed by CTest
// under any compiler (and the sanitizer presets). Prints "N passed, 0 failed"; any broken
// promise aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path p(argv[i]);
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::recursive_directory_iterator(p))
                if (e.is_regular_file()) files.push_back(e.path().string());
        } else {
            files.push_back(p.string());
        }
    }
    std::size_t n = 0;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        // every prefix too: truncated inputs are the commonest corruption
        for (std::size_t cut = 1; cut < bytes.size() && cut < 4096; cut += 1 + bytes.size() / 64)
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), cut);
        ++n;
    }
    std::printf("%zu passed, 0 failed\n", n);
    return n > 0 ? 0 : 1;
}
