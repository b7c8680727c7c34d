"""Runs nba's Conan recipe (conanfile.py) and its test_package against a stand-in of the small part
of Conan's API they use, for every combination of the recipe's with_<component> options, and checks
that they are in step with the CMake components.

    python3 check_conan_recipe.py <nba source dir> '<components as JSON>'

The JSON comes from check_recipes.cmake, which reads cmake/nbaDependencies.cmake:
{"json": {"requires": [], "conan_ref": "nlohmann_json"}, "pega": {"requires": ["json"], ...}, ...}

Conan itself cannot be installed here (no registry for it), so this checks what the recipe says, not
how Conan acts on it: the requirements, the components with their requires, CMake target names and
pkg-config names, and which programs the test_package runs.
"""
import importlib.util
import itertools
import json
import os
import sys
import types

sys.dont_write_bytecode = True  # loading the recipes must leave nothing in the source tree


def install_conan_stand_in():
    """Registers modules conan, conan.tools.{cmake,files,build} with just the names the recipes use."""
    conan = types.ModuleType("conan")

    class ConanFile:
        pass

    conan.ConanFile = ConanFile
    tools = types.ModuleType("conan.tools")
    cmake = types.ModuleType("conan.tools.cmake")
    cmake.cmake_layout = lambda conanfile: None
    cmake.CMake = lambda conanfile: None
    files = types.ModuleType("conan.tools.files")
    files.copy = lambda *args, **kwargs: None
    build = types.ModuleType("conan.tools.build")
    build.can_run = lambda conanfile: True
    for name, module in {"conan": conan, "conan.tools": tools, "conan.tools.cmake": cmake,
                         "conan.tools.files": files, "conan.tools.build": build}.items():
        sys.modules[name] = module


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def recipe_class(module):
    from conan import ConanFile
    classes = [c for c in vars(module).values()
               if isinstance(c, type) and issubclass(c, ConanFile) and c is not ConanFile]
    if len(classes) != 1:
        raise SystemExit(f"{module.__file__}: expected one ConanFile class, found {len(classes)}")
    return classes[0]


class Options:
    def __init__(self, values):
        self.__dict__.update(values)

    def get_safe(self, name, default=None):
        return self.__dict__.get(name, default)


class Info:
    def __init__(self):
        self.properties = {}
        self.requires = []
        self.bindirs = ["bin"]
        self.libdirs = ["lib"]

    def set_property(self, name, value):
        self.properties[name] = value


class Components(dict):
    def __missing__(self, name):
        value = Info()
        self[name] = value
        return value


class CppInfo(Info):
    def __init__(self):
        super().__init__()
        self.components = Components()


def closure(components, chosen):
    """The components chosen and those they build on."""
    result = set()
    todo = list(chosen)
    while todo:
        c = todo.pop()
        if c not in result:
            result.add(c)
            todo.extend(components[c]["requires"])
    return result


def main():
    source, table = sys.argv[1], json.loads(sys.argv[2])
    install_conan_stand_in()
    recipe = recipe_class(load(os.path.join(source, "conanfile.py"), "nba_conanfile"))
    test_recipe = recipe_class(load(os.path.join(source, "test_package", "conanfile.py"), "nba_test_conanfile"))
    problems = []

    declared = set(recipe.options)
    expected_options = {f"with_{c}" for c in table}
    if declared != expected_options:
        problems.append(f"options are {sorted(declared)}, the components call for {sorted(expected_options)}")
    with open(os.path.join(source, "test_package", "CMakeLists.txt"), encoding="utf-8") as f:
        test_cmake = f.read()
    if f"foreach(component {' '.join(table)})" not in test_cmake:
        problems.append(f"test_package/CMakeLists.txt does not build a program for each of {list(table)}")

    combinations = 0
    for values in itertools.product([False, True], repeat=len(table)):
        chosen = {c for c, on in zip(table, values) if on}
        options = Options({f"with_{c}": on for c, on in zip(table, values)})
        label = "{" + ", ".join(f"with_{c}={on}" for c, on in zip(table, values)) + "}"
        built = closure(table, chosen)

        nba = recipe.__new__(recipe)
        nba.options = options
        required = []
        nba.requires = lambda ref, **kwargs: required.append(ref)
        nba.requirements()
        required_names = sorted(r.split("/")[0] for r in required)
        expected_refs = sorted({table[c]["conan_ref"] for c in built if table[c]["conan_ref"]})
        if required_names != expected_refs:
            problems.append(f"{label}: requires {required}, the components {sorted(built)} need {expected_refs}")

        nba.cpp_info = CppInfo()
        nba.package_info()
        info = nba.cpp_info
        components = info.components
        expected_components = {"core"} | built
        if set(components) != expected_components:
            problems.append(f"{label}: components {sorted(components)}, expected {sorted(expected_components)}")
        if info.properties.get("cmake_file_name") != "nba":
            problems.append(f"{label}: cmake_file_name is {info.properties.get('cmake_file_name')!r}")
        for name, component in components.items():
            target = "nba::nba" if name == "core" else f"nba::{name}"
            pc = "nba" if name == "core" else "nba-" + name.replace("_", "-")
            if component.properties.get("cmake_target_name") != target:
                problems.append(f"{label}: component {name} has the CMake target "
                                f"{component.properties.get('cmake_target_name')!r}, expected {target}")
            if component.properties.get("pkg_config_name") != pc:
                problems.append(f"{label}: component {name} has the pkg-config name "
                                f"{component.properties.get('pkg_config_name')!r}, expected {pc}")
            if component.bindirs or component.libdirs:
                problems.append(f"{label}: component {name} has bindirs/libdirs (header-only)")
            if name == "core":
                expected_requires = []
            else:
                expected_requires = list(table[name]["requires"]) or ["core"]
                if table[name]["conan_ref"]:
                    ref = table[name]["conan_ref"]
                    expected_requires.append(f"{ref}::{ref}")
            if sorted(component.requires) != sorted(expected_requires):
                problems.append(f"{label}: component {name} requires {component.requires}, expected {expected_requires}")
        if info.bindirs or info.libdirs:
            problems.append(f"{label}: the package has bindirs/libdirs (header-only)")
        # CMakeDeps makes the package's own target link every component, and PkgConfigDeps its own
        # .pc require them: those names must not be a component's (the core's above all)
        root_target = info.properties.get("cmake_target_name", "nba::nba")
        root_pc = info.properties.get("pkg_config_name", "nba")
        for name, component in components.items():
            if component.properties.get("cmake_target_name") == root_target:
                problems.append(f"{label}: the package's target {root_target} is also component {name}'s")
            if component.properties.get("pkg_config_name") == root_pc:
                problems.append(f"{label}: the package's pkg-config name {root_pc} is also component {name}'s")

        # the test_package runs the core program and one per component built
        test = test_recipe.__new__(test_recipe)
        test.dependencies = {"nba": types.SimpleNamespace(options=options)}
        test.cpp = types.SimpleNamespace(build=types.SimpleNamespace(bindir="bin"))
        ran = []
        test.run = lambda command, **kwargs: ran.append(os.path.basename(command))
        test.test()
        expected_programs = sorted(["test_package"] + [f"test_package_{c}" for c in built])
        if sorted(ran) != expected_programs:
            problems.append(f"{label}: test_package runs {sorted(ran)}, expected {expected_programs}")
        combinations += 1

    if problems:
        print("\n".join(problems))
        return 1
    print(f"Conan recipe and test_package in step with the components {list(table)} "
          f"for all {combinations} combinations of the options")
    return 0


if __name__ == "__main__":
    sys.exit(main())
