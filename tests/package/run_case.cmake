cmake_minimum_required(VERSION 3.16)
# Runs one packaging test case as a fresh CMake project: cmake -DCASE=<case> ... -P run_case.cmake
#   find_package     install nba to a temporary prefix (with -DEXPECT_TOOL=ON: bin/nba too, which
#                    must run), then build and run consumers that find it: the core alone on a
#                    simulated system without nlohmann_json, Eigen and zlib; pkg-config for the core
#                    and the components; the Conan test_package
#   components       find_package(nba COMPONENTS ...) on that prefix: each component is defined only
#                    when requested, with its dependency found; unknown components and missing
#                    dependencies fail with a message that names them
#   core_install     nba configured and installed on a simulated system without nlohmann_json, Eigen
#                    and zlib: the core alone is installed, and works
#   fetchcontent     a core consumer that brings nba in with FetchContent on such a system
#   add_subdirectory build and run consumers that add the nba source tree (core and components)
#   headers          compile every public header on its own with -Werror and user-level warnings,
#                    against its own component only
# "A simulated system without X": find_package(X) disabled (CMAKE_DISABLE_FIND_PACKAGE_X) and X's
# headers poisoned, i.e. stand-ins holding an #error first on the include path (poison/README.md).
foreach(_v CASE NBA_SOURCE_DIR NBA_BINARY_DIR WORK_DIR CXX_COMPILER)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "run_case.cmake: -D${_v}=... is required")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

# expect_failure(<regex> <command...>): the command must fail, and its output match <regex>
function(expect_failure regex)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REPLACE ";" " " cmd "${ARGN}")
  if(rc EQUAL 0)
    message(FATAL_ERROR "expected a failure, but this succeeded: ${cmd}\n${out}\n${err}")
  endif()
  # CMake wraps long messages: compare with the line breaks and indentation folded to spaces
  string(REGEX REPLACE "[\r\n]+[ \t]*" " " folded "${out} ${err}")
  if(NOT folded MATCHES "${regex}")
    message(FATAL_ERROR "failed as expected, but without a message matching '${regex}': ${cmd}\n${out}\n${err}")
  endif()
endfunction()

set(case_dir "${WORK_DIR}/${CASE}")
file(REMOVE_RECURSE "${case_dir}")
file(MAKE_DIRECTORY "${case_dir}")
set(gen_args "")
if(DEFINED GENERATOR AND NOT GENERATOR STREQUAL "")
  set(gen_args -G "${GENERATOR}")
endif()
set(configure ${CMAKE_COMMAND} ${gen_args} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Debug)
set(poison "${NBA_SOURCE_DIR}/tests/package/poison")
# a system without nlohmann_json, Eigen and zlib: find_package() finds none of them...
set(without_dependencies -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON -DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON
                         -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON)
# ...and their headers cannot be included (for consumer projects that take POISON/POISONED)
set(poison_all "-DPOISON=${poison}" "-DPOISONED=nlohmann_json,eigen,zlib")
set(poison_eigen "-DPOISON=${poison}" "-DPOISONED=eigen")

# Each poisoned header must really fail a compile, or the tests that rely on it prove nothing.
function(check_poison)
  file(GLOB_RECURSE stand_ins RELATIVE "${poison}" "${poison}/*")
  list(REMOVE_ITEM stand_ins README.md)
  foreach(f IN LISTS stand_ins)
    string(FIND "${f}" "/" slash)
    string(SUBSTRING "${f}" 0 ${slash} dir)
    math(EXPR slash "${slash} + 1")
    string(SUBSTRING "${f}" ${slash} -1 header)
    string(MAKE_C_IDENTIFIER "${header}" id)
    file(WRITE "${case_dir}/poison_${id}.cpp" "#include <${header}>\nint main() { return 0; }\n")
    expect_failure("poisoned <${header}>" ${CXX_COMPILER} -std=c++17 -fsyntax-only -I "${poison}/${dir}"
                   "${case_dir}/poison_${id}.cpp")
  endforeach()
endfunction()

# install_prefix(<build dir> <prefix>): cmake --install, then check the files every install has
function(install_prefix build prefix)
  run(${CMAKE_COMMAND} --install "${build}" --prefix "${prefix}")
  foreach(f include/nba/nba.hpp include/nba/json.hpp include/nba/pega/model_data.hpp
            share/cmake/nba/nbaConfig.cmake share/cmake/nba/nbaConfigVersion.cmake
            share/cmake/nba/nbaTargets.cmake share/cmake/nba/nbaDependencies.cmake
            share/pkgconfig/nba.pc share/doc/nba/LICENSE)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "the install did not produce ${f}")
    endif()
  endforeach()
  # nothing in nba uses Eigen: neither the package config nor a .pc file may mention it
  file(GLOB package_files "${prefix}/share/cmake/nba/*" "${prefix}/share/pkgconfig/*")
  foreach(f IN LISTS package_files)
    file(READ "${f}" text)
    string(TOLOWER "${text}" text)
    if(text MATCHES "eigen")
      message(FATAL_ERROR "${f} mentions Eigen, which nba does not use")
    endif()
  endforeach()
endfunction()

# the component files of an install: CMake targets and pkg-config
set(component_files share/cmake/nba/nbaJsonTargets.cmake share/cmake/nba/nbaPegaTargets.cmake
    share/cmake/nba/nbaPegaModelDataTargets.cmake share/pkgconfig/nba-json.pc share/pkgconfig/nba-pega.pc
    share/pkgconfig/nba-pega-model-data.pc)

# core_consumer(<prefix> <build dir> [<extra configure args>...]): build and run consumer/ on <prefix>
function(core_consumer prefix build)
  run(${configure} -S "${NBA_SOURCE_DIR}/tests/package/consumer" -B "${build}"
      "-DCMAKE_PREFIX_PATH=${prefix}" "-DEXPECTED_PREFIX=${prefix}" ${ARGN})
  run(${CMAKE_COMMAND} --build "${build}")
  run("${build}/consumer")
  set(last_output "${last_output}" PARENT_SCOPE)
endfunction()

# components_consumer(<prefix> <build dir> <configure args>...): configure components/ on <prefix>
# and, when it defines the program (all three components found), build and run it
function(components_consumer prefix build)
  run(${configure} -S "${NBA_SOURCE_DIR}/tests/package/components" -B "${build}" "-DCMAKE_PREFIX_PATH=${prefix}" ${ARGN})
  run(${CMAKE_COMMAND} --build "${build}")
  if(EXISTS "${build}/consumer")
    run("${build}/consumer")
  endif()
  set(last_output "${last_output}" PARENT_SCOPE)
endfunction()

if(CASE STREQUAL "find_package")
  set(prefix "${case_dir}/prefix")
  install_prefix("${NBA_BINARY_DIR}" "${prefix}")
  foreach(f IN LISTS component_files)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "the install did not produce ${f} (the build has every component)")
    endif()
  endforeach()
  # the command-line tool, when the build has it (NBA_BUILD_TOOLS): installed as bin/nba, and it runs
  if(EXPECT_TOOL)
    if(NOT EXISTS "${prefix}/bin/nba")
      message(FATAL_ERROR "the install did not produce bin/nba")
    endif()
    run("${prefix}/bin/nba" --version)
    file(READ "${NBA_SOURCE_DIR}/include/nba/version.hpp" version_header)
    set(tool_version "")
    foreach(part MAJOR MINOR PATCH)
      string(REGEX MATCH "NBA_VERSION_${part} ([0-9]+)" _ "${version_header}")
      list(APPEND tool_version "${CMAKE_MATCH_1}")
    endforeach()
    list(JOIN tool_version "." tool_version)
    if(NOT last_output STREQUAL "nba ${tool_version}\n")
      message(FATAL_ERROR "bin/nba --version printed '${last_output}', expected 'nba ${tool_version}'")
    endif()
  elseif(EXISTS "${prefix}/bin/nba")
    message(FATAL_ERROR "bin/nba was installed by a build without NBA_BUILD_TOOLS")
  endif()
  # The version file must accept a consumer with another pointer size (header-only: nlohmann/json
  # #1697), accept the same minor version and reject another one.
  function(check_version_file request pointer_size expect_compatible)
    string(REPLACE "." ";" parts "${request}")
    list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
    list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
    set(PACKAGE_FIND_VERSION "${request}")
    set(PACKAGE_FIND_VERSION_COUNT 2)
    set(CMAKE_SIZEOF_VOID_P ${pointer_size})
    unset(PACKAGE_VERSION_COMPATIBLE)
    unset(PACKAGE_VERSION_UNSUITABLE)
    include("${prefix}/share/cmake/nba/nbaConfigVersion.cmake")
    if(PACKAGE_VERSION_UNSUITABLE)
      message(FATAL_ERROR "nbaConfigVersion.cmake rejects a ${pointer_size}-byte-pointer consumer")
    endif()
    if(NOT "${PACKAGE_VERSION_COMPATIBLE}" STREQUAL "${expect_compatible}")
      message(FATAL_ERROR "nbaConfigVersion.cmake: request ${request} gave compatible="
                          "'${PACKAGE_VERSION_COMPATIBLE}', expected ${expect_compatible}")
    endif()
  endfunction()
  file(READ "${NBA_SOURCE_DIR}/include/nba/version.hpp" header)
  string(REGEX MATCH "NBA_VERSION_MAJOR ([0-9]+)" _ "${header}")
  set(major ${CMAKE_MATCH_1})
  string(REGEX MATCH "NBA_VERSION_MINOR ([0-9]+)" _ "${header}")
  set(minor ${CMAKE_MATCH_1})
  math(EXPR next_minor "${minor} + 1")
  check_version_file("${major}.${minor}" 4 TRUE)
  check_version_file("${major}.${minor}" 8 TRUE)
  check_version_file("${major}.${next_minor}" 8 FALSE)

  check_poison()
  # The core consumer, on this system: find_package(nba) looks for no dependency (the consumer
  # checks that no dependency's target or cache entry appeared)...
  run(${configure} -S "${NBA_SOURCE_DIR}/tests/package/consumer" -B "${case_dir}/core-looks-for-nothing"
      "-DCMAKE_PREFIX_PATH=${prefix}" "-DEXPECTED_PREFIX=${prefix}")
  # ...and on a system without nlohmann_json, Eigen and zlib it configures, builds and runs
  core_consumer("${prefix}" "${case_dir}/core" ${without_dependencies} ${poison_all})

  # pkg-config: a build without CMake finds the headers and the dependencies' flags
  find_program(PKG_CONFIG NAMES pkg-config pkgconf)
  if(NOT PKG_CONFIG)
    message(FATAL_ERROR "pkg-config is needed for this test (Debian: apt-get install pkgconf)")
  endif()
  set(ENV{PKG_CONFIG_PATH} "${prefix}/share/pkgconfig")
  run(${PKG_CONFIG} --modversion nba)
  string(STRIP "${last_output}" pc_version)
  if(NOT pc_version MATCHES "^${major}\\.${minor}\\.")
    message(FATAL_ERROR "pkg-config says version ${pc_version}")
  endif()
  # the core requires nothing, and its flags build the core program with every dependency poisoned
  run(${PKG_CONFIG} --print-requires nba)
  string(STRIP "${last_output}" pc_requires)
  if(NOT pc_requires STREQUAL "")
    message(FATAL_ERROR "nba.pc requires '${pc_requires}'; the core requires nothing")
  endif()
  run(${PKG_CONFIG} --cflags nba)
  string(STRIP "${last_output}" pc_cflags)
  separate_arguments(pc_cflags UNIX_COMMAND "${pc_cflags}")
  run(${CXX_COMPILER} -I "${poison}/nlohmann_json" -I "${poison}/eigen" -I "${poison}/zlib" ${pc_cflags}
      "${NBA_SOURCE_DIR}/tests/package/main.cpp" -o "${case_dir}/pkgconfig_consumer")
  run("${case_dir}/pkgconfig_consumer")
  # each component's .pc requires its dependency; together they build the components program
  foreach(module_requires "nba-json:nlohmann_json" "nba-pega:nba-json" "nba-pega-model-data:zlib")
    string(REPLACE ":" ";" module_requires "${module_requires}")
    list(GET module_requires 0 module)
    list(GET module_requires 1 required)
    run(${PKG_CONFIG} --print-requires ${module})
    if(NOT last_output MATCHES "(^|\n)${required}( |\n|$)")
      message(FATAL_ERROR "${module}.pc requires '${last_output}', not ${required}")
    endif()
  endforeach()
  run(${PKG_CONFIG} --cflags --libs nba-json nba-pega nba-pega-model-data)
  string(STRIP "${last_output}" pc_flags)
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  run(${CXX_COMPILER} -I "${poison}/eigen" "${NBA_SOURCE_DIR}/tests/package/components.cpp" ${pc_flags}
      -o "${case_dir}/pkgconfig_components")
  run("${case_dir}/pkgconfig_components")

  # the Conan test_package is a plain find_package consumer too (with the components it finds)
  run(${configure} -S "${NBA_SOURCE_DIR}/test_package" -B "${case_dir}/test_package" "-DCMAKE_PREFIX_PATH=${prefix}")
  run(${CMAKE_COMMAND} --build "${case_dir}/test_package")
  run("${case_dir}/test_package/test_package")
  if(NOT EXISTS "${case_dir}/test_package/test_package_json")
    message(FATAL_ERROR "the Conan test_package did not build its json program against a prefix that has the component")
  endif()
  run("${case_dir}/test_package/test_package_json")
elseif(CASE STREQUAL "components")
  set(prefix "${case_dir}/prefix")
  install_prefix("${NBA_BINARY_DIR}" "${prefix}")
  check_poison()
  set(b "${case_dir}/consumer")
  # all three, each with its dependency found through nba's config; Eigen poisoned
  components_consumer("${prefix}" "${b}-all" -DREQUIRED_COMPONENTS=json,pega,pega_model_data
    "-DEXPECT_TARGETS=nba::nba,nba::json,nba::pega,nba::pega_model_data,nlohmann_json::nlohmann_json,ZLIB::ZLIB"
    ${poison_eigen})
  if(NOT EXISTS "${b}-all/consumer")
    message(FATAL_ERROR "the components consumer did not build its program")
  endif()
  # one component brings only itself (and the components it builds on) and its dependency
  components_consumer("${prefix}" "${b}-json" -DREQUIRED_COMPONENTS=json
    -DEXPECT_TARGETS=nba::json,nlohmann_json::nlohmann_json -DEXPECT_NO_TARGETS=nba::pega,nba::pega_model_data,ZLIB::ZLIB)
  components_consumer("${prefix}" "${b}-pega" -DREQUIRED_COMPONENTS=pega
    -DEXPECT_TARGETS=nba::json,nba::pega -DEXPECT_NO_TARGETS=nba::pega_model_data,ZLIB::ZLIB)
  components_consumer("${prefix}" "${b}-model-data" -DREQUIRED_COMPONENTS=pega_model_data -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON
    -DEXPECT_TARGETS=nba::pega_model_data,ZLIB::ZLIB -DEXPECT_NO_TARGETS=nba::json,nba::pega,nlohmann_json::nlohmann_json)
  # an optional component whose dependency is missing is left out, and the rest is found
  components_consumer("${prefix}" "${b}-optional" -DOPTIONAL_COMPONENTS=json,pega_model_data
    -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON -DEXPECT_TARGETS=nba::nba,nba::pega_model_data -DEXPECT_NO_TARGETS=nba::json)
  # failures that name what is wrong
  expect_failure("nba has no component 'bogus'"
    ${configure} -S "${NBA_SOURCE_DIR}/tests/package/components" -B "${b}-bogus" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DREQUIRED_COMPONENTS=json,bogus)
  expect_failure("nba's json component needs nlohmann_json 3.11 or newer, which was not found"
    ${configure} -S "${NBA_SOURCE_DIR}/tests/package/components" -B "${b}-no-json" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DREQUIRED_COMPONENTS=json -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON)
  expect_failure("nba's pega component needs its json component"
    ${configure} -S "${NBA_SOURCE_DIR}/tests/package/components" -B "${b}-no-json-for-pega" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DREQUIRED_COMPONENTS=pega -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON)
  expect_failure("nba's pega_model_data component needs ZLIB, which was not found"
    ${configure} -S "${NBA_SOURCE_DIR}/tests/package/components" -B "${b}-no-zlib" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DREQUIRED_COMPONENTS=pega_model_data -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON)
elseif(CASE STREQUAL "core_install")
  check_poison()
  set(nba_options -DNBA_BUILD_TESTS=OFF -DNBA_BUILD_EXAMPLES=OFF -DNBA_BUILD_TOOLS=OFF -DNBA_BUILD_BENCHMARKS=OFF
                  -DNBA_INSTALL=ON)
  # nba itself, configured where no dependency can be found: the core alone, no error
  run(${configure} -S "${NBA_SOURCE_DIR}" -B "${case_dir}/nba" ${nba_options} ${without_dependencies})
  set(prefix "${case_dir}/prefix")
  install_prefix("${case_dir}/nba" "${prefix}")
  foreach(f IN LISTS component_files)
    if(EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "an nba built without its dependencies installed ${f}")
    endif()
  endforeach()
  core_consumer("${prefix}" "${case_dir}/core" ${without_dependencies} ${poison_all})
  # a component that was not installed: a clear failure when required, left out when optional
  expect_failure("was installed without its json component"
    ${configure} -S "${NBA_SOURCE_DIR}/tests/package/components" -B "${case_dir}/json" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DREQUIRED_COMPONENTS=json)
  components_consumer("${prefix}" "${case_dir}/optional" -DOPTIONAL_COMPONENTS=json,pega,pega_model_data
    -DEXPECT_TARGETS=nba::nba -DEXPECT_NO_TARGETS=nba::json,nba::pega,nba::pega_model_data)
  # asking nba's build for a component whose dependency is missing fails, naming the dependency
  expect_failure("nba's json component needs nlohmann_json 3.11 or newer, which was not found"
    ${configure} -S "${NBA_SOURCE_DIR}" -B "${case_dir}/nba-json-on" ${nba_options} ${without_dependencies} -DNBA_WITH_JSON=ON)
  # components turned off (as the vcpkg port does without its features), dependencies present:
  # nothing of them is installed
  run(${configure} -S "${NBA_SOURCE_DIR}" -B "${case_dir}/nba-off" ${nba_options}
      -DNBA_WITH_JSON=OFF -DNBA_WITH_PEGA=OFF -DNBA_WITH_PEGA_MODEL_DATA=OFF)
  install_prefix("${case_dir}/nba-off" "${case_dir}/prefix-off")
  foreach(f IN LISTS component_files)
    if(EXISTS "${case_dir}/prefix-off/${f}")
      message(FATAL_ERROR "an nba configured with its components OFF installed ${f}")
    endif()
  endforeach()
  expect_failure("nba's pega component needs its json component, which is not built"
    ${configure} -S "${NBA_SOURCE_DIR}" -B "${case_dir}/nba-pega-alone" ${nba_options} -DNBA_WITH_JSON=OFF -DNBA_WITH_PEGA=ON)
elseif(CASE STREQUAL "fetchcontent")
  check_poison()
  run(${configure} -S "${NBA_SOURCE_DIR}/tests/package/fetchcontent" -B "${case_dir}/build"
      "-DNBA_SOURCE_DIR=${NBA_SOURCE_DIR}" -DEXPECT_NO_COMPONENTS=ON ${without_dependencies} ${poison_all})
  run(${CMAKE_COMMAND} --build "${case_dir}/build")
  run("${case_dir}/build/consumer")
elseif(CASE STREQUAL "add_subdirectory")
  run(${configure} -S "${NBA_SOURCE_DIR}/tests/package/subdirectory" -B "${case_dir}/build"
      "-DNBA_SOURCE_DIR=${NBA_SOURCE_DIR}")
  run(${CMAKE_COMMAND} --build "${case_dir}/build")
  run("${case_dir}/build/components_consumer")
  run("${case_dir}/build/consumer")
elseif(CASE STREQUAL "headers")
  run(${configure} -S "${NBA_SOURCE_DIR}/tests/package/headers" -B "${case_dir}/build"
      "-DNBA_SOURCE_DIR=${NBA_SOURCE_DIR}")
  run(${CMAKE_COMMAND} --build "${case_dir}/build")
else()
  message(FATAL_ERROR "run_case.cmake: unknown CASE '${CASE}'")
endif()
message(STATUS "${CASE}: ok\n${last_output}")
