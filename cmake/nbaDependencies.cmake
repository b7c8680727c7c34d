# nba's components and what each needs. The core, nba::nba, needs nothing but a C++17 compiler;
# each opt-in component is a target of its own that adds exactly one dependency:
#
#   component        target                needs                 headers
#   json             nba::json             nlohmann_json 3.11+   nba/json.hpp, nba/json/, nba/detail/json_reader.hpp
#   pega             nba::pega             the json component    nba/pega.hpp, nba/pega/ (but model_data.hpp)
#   pega_model_data  nba::pega_model_data  ZLIB                  nba/pega/model_data.hpp
#
# This file is used by the build (cmake/nbaComponents.cmake) and, installed beside nbaConfig.cmake,
# by the package config, so a consumer finds a dependency the way nba's build found it, with the
# same minimum version. No version is passed to find_package() (a package's version file may reject
# a version range, or a plain version of another major); the minimum is checked afterwards instead.

set(nba_known_components json pega pega_model_data)

# _nba_component_<c>_requires    other components it needs
# _nba_component_<c>_package     the CMake package it needs ("" for none), found with ..._find_args
# _nba_component_<c>_target      the imported target that package defines
# _nba_component_<c>_min_version checked when the package sets <package>_VERSION ("" for any)
# _nba_component_<c>_export      the export set, installed as <export>.cmake
# _nba_component_<c>_hint        how to get the dependency (no ';': messages are CMake lists)
set(_nba_component_json_requires "")
set(_nba_component_json_package nlohmann_json)
set(_nba_component_json_find_args CONFIG)
set(_nba_component_json_target nlohmann_json::nlohmann_json)
set(_nba_component_json_min_version 3.11)
set(_nba_component_json_export nbaJsonTargets)
set(_nba_component_json_hint "On Debian/Ubuntu: apt-get install nlohmann-json3-dev. With vcpkg: the port's feature nba[json]. With Conan: the option nba/*:with_json=True.")

set(_nba_component_pega_requires json)
set(_nba_component_pega_package "")
set(_nba_component_pega_find_args "")
set(_nba_component_pega_target "")
set(_nba_component_pega_min_version "")
set(_nba_component_pega_export nbaPegaTargets)
set(_nba_component_pega_hint "With vcpkg: the port's feature nba[pega]. With Conan: the option nba/*:with_pega=True.")

set(_nba_component_pega_model_data_requires "")
set(_nba_component_pega_model_data_package ZLIB)
set(_nba_component_pega_model_data_find_args "")
set(_nba_component_pega_model_data_target ZLIB::ZLIB)
set(_nba_component_pega_model_data_min_version "")
set(_nba_component_pega_model_data_export nbaPegaModelDataTargets)
set(_nba_component_pega_model_data_hint "On Debian/Ubuntu: apt-get install zlib1g-dev. With vcpkg: the port's feature nba[pega-model-data]. With Conan: the option nba/*:with_pega_model_data=True.")

# _nba_find_component_dependency(<component> <found_var> <reason_var>)
# Looks for the package <component> needs (quietly; the caller decides whether a miss is an error).
# Sets <found_var> to TRUE or FALSE and, when FALSE, <reason_var> to a sentence that names the
# package and says how to get it.
function(_nba_find_component_dependency component found_var reason_var)
  set(package "${_nba_component_${component}_package}")
  set(target "${_nba_component_${component}_target}")
  set(min_version "${_nba_component_${component}_min_version}")
  set(hint "${_nba_component_${component}_hint}")
  set(${found_var} TRUE PARENT_SCOPE)
  set(${reason_var} "" PARENT_SCOPE)
  if(package STREQUAL "")
    return()
  endif()
  if(TARGET ${target})
    return()
  endif()
  find_package(${package} ${_nba_component_${component}_find_args} QUIET)
  if(NOT ${package}_FOUND OR NOT TARGET ${target})
    set(${found_var} FALSE PARENT_SCOPE)
    set(version_text "")
    if(NOT min_version STREQUAL "")
      set(version_text " ${min_version} or newer")
    endif()
    set(${reason_var} "nba's ${component} component needs ${package}${version_text}, which was not found. ${hint}" PARENT_SCOPE)
  elseif(NOT min_version STREQUAL "" AND DEFINED ${package}_VERSION AND ${package}_VERSION VERSION_LESS min_version)
    set(${found_var} FALSE PARENT_SCOPE)
    set(${reason_var} "nba's ${component} component needs ${package} ${min_version} or newer, found ${${package}_VERSION}. ${hint}" PARENT_SCOPE)
  endif()
endfunction()
