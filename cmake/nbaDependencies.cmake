# Finds nba's dependencies on the system. No version is passed to find_package(): Debian's Eigen
# 3.4.0 config rejects version ranges and Eigen 5's rejects a plain "3.3", so the minimum versions
# are checked here instead. Used both by the build and (as nbaDependencies.cmake) by the installed
# package config, so consumers find exactly what nba was built against.
include(CMakeFindDependencyMacro)

macro(_nba_find_dependency name min_version hint)
  if(NOT TARGET ${ARGV3})
    if(_nba_as_dependency)
      find_dependency(${name} CONFIG)
    else()
      find_package(${name} CONFIG QUIET)
      if(NOT ${name}_FOUND)
        message(FATAL_ERROR "nba needs ${name} ${min_version} or newer; none was found. ${hint}")
      endif()
    endif()
  endif()
  if(DEFINED ${name}_VERSION AND ${name}_VERSION VERSION_LESS ${min_version})
    message(FATAL_ERROR "nba needs ${name} ${min_version} or newer; found ${${name}_VERSION}. ${hint}")
  endif()
endmacro()

_nba_find_dependency(Eigen3 3.4 "On Debian/Ubuntu: apt-get install libeigen3-dev" Eigen3::Eigen)
_nba_find_dependency(nlohmann_json 3.11 "On Debian/Ubuntu: apt-get install nlohmann-json3-dev" nlohmann_json::nlohmann_json)
