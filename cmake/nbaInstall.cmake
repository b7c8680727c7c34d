# Installs the headers and a relocatable CMake package under share/cmake/nba:
#   find_package(nba CONFIG REQUIRED)                   ->  nba::nba, and no dependency is looked for
#   find_package(nba CONFIG REQUIRED COMPONENTS json)   ->  nba::json too, nlohmann_json found first
# Each component this build defines (NBA_COMPONENTS) has an export set of its own, included by the
# package config only when the component is requested, so a core consumer never meets a
# component's dependency. Every header is installed whatever the components: headers of a
# component that is not installed are inert until included.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NBA_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/nba" CACHE STRING
    "Where the nba CMake package config is installed, relative to the prefix")

install(TARGETS nba EXPORT nbaTargets)
install(EXPORT nbaTargets NAMESPACE nba:: DESTINATION "${NBA_INSTALL_CMAKEDIR}")
foreach(_nba_c IN LISTS NBA_COMPONENTS)
  install(TARGETS nba_${_nba_c} EXPORT ${_nba_component_${_nba_c}_export})
  install(EXPORT ${_nba_component_${_nba_c}_export} NAMESPACE nba:: DESTINATION "${NBA_INSTALL_CMAKEDIR}")
endforeach()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/nba" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")

# nbaConfig.cmake learns which components were installed from NBA_INSTALLED_COMPONENTS.
set(NBA_INSTALLED_COMPONENTS "${NBA_COMPONENTS}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/nbaConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/nbaConfig.cmake"
  INSTALL_DESTINATION "${NBA_INSTALL_CMAKEDIR}")
# Header-only: the version file must not check the consumer's pointer size (nlohmann/json #1697).
# 0.x releases are compatible only within a minor version.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/nbaConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/nbaConfig.cmake"
  "${PROJECT_BINARY_DIR}/nbaConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/nbaDependencies.cmake"
  DESTINATION "${NBA_INSTALL_CMAKEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/nba")

# pkg-config, for builds without CMake (architecture-independent, hence share/pkgconfig), in step
# with the CMake components: nba.pc for the core (no Requires), and nba-<component>.pc (underscores
# become hyphens) for each component installed, requiring nba or the component it builds on, and
# the component's dependency.
configure_file("${PROJECT_SOURCE_DIR}/cmake/nba.pc.in" "${PROJECT_BINARY_DIR}/nba.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/nba.pc" DESTINATION "${CMAKE_INSTALL_DATADIR}/pkgconfig")
set(_nba_pc_module_nlohmann_json "nlohmann_json >= 3.11")
set(_nba_pc_module_ZLIB "zlib")
foreach(_nba_c IN LISTS NBA_COMPONENTS)
  string(REPLACE "_" "-" NBA_PC_NAME "nba-${_nba_c}")
  set(NBA_PC_COMPONENT "${_nba_c}")
  set(NBA_PC_REQUIRES "")
  foreach(_nba_r IN LISTS _nba_component_${_nba_c}_requires)
    string(REPLACE "_" "-" _nba_r "nba-${_nba_r}")
    list(APPEND NBA_PC_REQUIRES "${_nba_r}")
  endforeach()
  if(NOT NBA_PC_REQUIRES)
    set(NBA_PC_REQUIRES nba)
  endif()
  set(_nba_package "${_nba_component_${_nba_c}_package}")
  if(NOT _nba_package STREQUAL "")
    if(NOT DEFINED _nba_pc_module_${_nba_package})
      message(FATAL_ERROR "nbaInstall.cmake: no pkg-config module known for ${_nba_package}")
    endif()
    list(APPEND NBA_PC_REQUIRES "${_nba_pc_module_${_nba_package}}")
  endif()
  list(JOIN NBA_PC_REQUIRES ", " NBA_PC_REQUIRES)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/nba-component.pc.in" "${PROJECT_BINARY_DIR}/${NBA_PC_NAME}.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/${NBA_PC_NAME}.pc" DESTINATION "${CMAKE_INSTALL_DATADIR}/pkgconfig")
endforeach()
