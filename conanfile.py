import os

from conan import ConanFile
from conan.tools.cmake import cmake_layout
from conan.tools.files import copy

required_conan_version = ">=2.0"


class NbaConan(ConanFile):
    name = "nba"
    version = "0.1.0"
    description = ("Embeddable, header-only C++17 library for real-time next-best-action decisioning: "
                   "adaptive propensity models (Pega ADM compatible), policies and arbitration.")
    license = "Apache-2.0"
    url = "https://github.com/nba-decisioning/nba"
    homepage = "https://github.com/nba-decisioning/nba"
    topics = ("next-best-action", "decisioning", "personalization", "naive-bayes", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    # The core (nba::nba) needs nothing; each option adds a component and its one dependency, as
    # the CMake components and the vcpkg features do (cmake/nbaDependencies.cmake has the table).
    # with_pega builds on the json component and so brings it along.
    options = {
        "with_json": [True, False],             # nba::json: nlohmann_json
        "with_pega": [True, False],             # nba::pega: the json component
        "with_pega_model_data": [True, False],  # nba::pega_model_data: zlib
    }
    default_options = {
        "with_json": False,
        "with_pega": False,
        "with_pega_model_data": False,
    }
    exports_sources = "include/*", "LICENSE"
    no_copy_source = True

    @property
    def _with_json(self):
        return bool(self.options.with_json) or bool(self.options.with_pega)

    def requirements(self):
        if self._with_json:
            self.requires("nlohmann_json/3.11.3")
        if self.options.with_pega_model_data:
            self.requires("zlib/[>=1.2.11 <2]")

    def layout(self):
        cmake_layout(self)

    def package_id(self):
        # every header is packaged whatever the options: they only add requirements
        self.info.clear()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", os.path.join(self.source_folder, "include"), os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "nba")
        # CMakeDeps makes the package's own target link every component; it must not be nba::nba,
        # which is the core alone. Link the components' targets instead.
        self.cpp_info.set_property("cmake_target_name", "nba::all")
        self.cpp_info.set_property("pkg_config_name", "nba-all")

        def component(name, target, pkg_config, requires):
            c = self.cpp_info.components[name]
            c.set_property("cmake_target_name", target)
            c.set_property("pkg_config_name", pkg_config)
            c.bindirs = []
            c.libdirs = []
            c.requires = requires

        component("core", "nba::nba", "nba", [])
        if self._with_json:
            component("json", "nba::json", "nba-json", ["core", "nlohmann_json::nlohmann_json"])
        if self.options.with_pega:
            component("pega", "nba::pega", "nba-pega", ["json"])
        if self.options.with_pega_model_data:
            component("pega_model_data", "nba::pega_model_data", "nba-pega-model-data", ["core", "zlib::zlib"])
