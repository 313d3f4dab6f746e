# lit configuration for snnc's IR and tool tests.
import os
import lit.formats
import lit.util

config.name = "snnc"
config.test_format = lit.formats.ShTest(lit.util.which("bash") is not None)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.snnc_obj_root, "test")
# GoogleTest suites run under ctest; fixtures and inputs are not tests.
config.excludes = ["unit", "data", "Inputs", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py", "README.md"]

config.environment["PATH"] = os.pathsep.join(
    [config.snnc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%snnc_src", config.snnc_src_root))
config.substitutions.append(("%snnc_obj", config.snnc_obj_root))
config.substitutions.append(("%python", "python3"))
config.substitutions.append(
    ("%snn-gen-network",
     "python3 " + os.path.join(config.snnc_src_root, "tools", "snn-gen-network",
                               "snn-gen-network.py")))
