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
    exports_sources = "include/*", "LICENSE"
    no_copy_source = True

    def requirements(self):
        self.requires("eigen/3.4.0")
        self.requires("nlohmann_json/3.11.3")

    def layout(self):
        cmake_layout(self)

    def package_id(self):
        self.info.clear()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", os.path.join(self.source_folder, "include"), os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "nba")
        self.cpp_info.set_property("cmake_target_name", "nba::nba")
        self.cpp_info.set_property("pkg_config_name", "nba")
        self.cpp_info.requires = ["eigen::eigen", "nlohmann_json::nlohmann_json"]
