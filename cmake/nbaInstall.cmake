# Installs the headers and a relocatable CMake package under share/cmake/nba:
#   find_package(nba CONFIG REQUIRED)  ->  target nba::nba, with Eigen3 and nlohmann_json found
#   through the package config.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NBA_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/nba" CACHE STRING
    "Where the nba CMake package config is installed, relative to the prefix")

install(TARGETS nba EXPORT nbaTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/nba" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT nbaTargets NAMESPACE nba:: DESTINATION "${NBA_INSTALL_CMAKEDIR}")

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

# pkg-config, for builds without CMake (architecture-independent, hence share/pkgconfig).
configure_file("${PROJECT_SOURCE_DIR}/cmake/nba.pc.in" "${PROJECT_BINARY_DIR}/nba.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/nba.pc" DESTINATION "${CMAKE_INSTALL_DATADIR}/pkgconfig")
