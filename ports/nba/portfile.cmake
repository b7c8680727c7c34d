# Header-only: one release configuration is enough.
set(VCPKG_BUILD_TYPE release)

vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO nba-decisioning/nba
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
)

# The core needs nothing; each feature turns on the component of the same name (hyphens become
# underscores in CMake), whose dependency the feature brings.
vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        json            NBA_WITH_JSON
        pega            NBA_WITH_PEGA
        pega-model-data NBA_WITH_PEGA_MODEL_DATA
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DNBA_BUILD_TESTS=OFF
        -DNBA_BUILD_EXAMPLES=OFF
        -DNBA_BUILD_TOOLS=OFF
        -DNBA_BUILD_BENCHMARKS=OFF
        -DNBA_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/nba)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/lib" "${CURRENT_PACKAGES_DIR}/debug")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
