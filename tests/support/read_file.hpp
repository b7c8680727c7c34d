// The tests' own file reading: the library parses text and reads no files (nba/pega/table.hpp),
// and tests do not include the nba tool's code.
#ifndef NBA_TEST_READ_FILE_HPP
#define NBA_TEST_READ_FILE_HPP

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace nba_test {

/// The whole file; throws std::runtime_error naming it when it cannot be read.
inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open '" + path + "'");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw std::runtime_error("cannot read '" + path + "'");
    return s;
}

} // namespace nba_test

#endif
