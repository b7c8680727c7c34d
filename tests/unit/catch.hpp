// Catch2 v2 (Debian) and v3 (vcpkg, Conan) behind one include.
#ifndef NBA_TESTS_CATCH_HPP
#define NBA_TESTS_CATCH_HPP

#if __has_include(<catch2/catch_test_macros.hpp>)
#  include <catch2/catch_approx.hpp>
#  include <catch2/catch_test_macros.hpp>
#  include <catch2/generators/catch_generators.hpp>
#  include <catch2/matchers/catch_matchers_string.hpp>
#else
#  include <catch2/catch.hpp>
namespace Catch {
using Approx = Detail::Approx;
}
#endif

#endif
