import os

from conan import ConanFile
from conan.tools.build import can_run
from conan.tools.cmake import CMake, cmake_layout


class NbaTestConan(ConanFile):
    settings = "os", "arch", "compiler", "build_type"
    generators = "CMakeDeps", "CMakeToolchain"

    def requirements(self):
        self.requires(self.tested_reference_str)

    def layout(self):
        cmake_layout(self)

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def test(self):
        if not can_run(self):
            return
        # the core program, and one per component the tested package was built with (its with_*
        # options); test_package/CMakeLists.txt builds a component's program when its target exists
        options = self.dependencies["nba"].options
        with_pega = bool(options.get_safe("with_pega"))
        built = {
            "json": bool(options.get_safe("with_json")) or with_pega,  # pega brings json along
            "pega": with_pega,
            "pega_model_data": bool(options.get_safe("with_pega_model_data")),
        }
        programs = ["test_package"] + ["test_package_" + c for c, on in built.items() if on]
        for program in programs:
            self.run(os.path.join(self.cpp.build.bindir, program), env="conanrun")
