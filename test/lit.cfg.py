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

# `lava`: a python with Lava for level 5 of snnc verify (--vendor lava):
# $SNNC_VENDOR_PYTHON, else the build's vendors venv (scripts/snnc-setup
# vendors), used only when it imports Lava's NetX loader.
def _lava_python():
    import subprocess
    candidates = [os.environ.get("SNNC_VENDOR_PYTHON", ""),
                  os.path.join(config.snnc_obj_root, "vendors-venv", "bin", "python")]
    for python in candidates:
        if python and os.access(python, os.X_OK):
            try:
                subprocess.run([python, "-c", "import h5py, lava.lib.dl.netx"],
                               check=True, capture_output=True, timeout=120)
                return python
            except (subprocess.SubprocessError, OSError):
                continue
    return None


_python = _lava_python()
if not _python and os.environ.get("SNNC_REQUIRE_VENDORS") == "1":
    lit_config.fatal("SNNC_REQUIRE_VENDORS=1 but no python with Lava's NetX: set "
                     "SNNC_VENDOR_PYTHON or run scripts/snnc-setup vendors")
if _python:
    config.available_features.add("lava")
    config.substitutions.append(("%vendor_python", _python))


# `xylosim`: a python with Rockpool's XyloSim for level 5 of snnc verify
# (--vendor xylosim): the same candidates, used when it imports XyloSim
# through tools/snn-vendor/xylo_bridge.py (Rockpool's syns61201 without samna).
def _xylo_python():
    import subprocess
    vendor_dir = os.path.join(config.snnc_src_root, "tools", "snn-vendor")
    candidates = [os.environ.get("SNNC_VENDOR_PYTHON", ""),
                  os.path.join(config.snnc_obj_root, "vendors-venv", "bin", "python")]
    for python in candidates:
        if python and os.access(python, os.X_OK):
            try:
                subprocess.run([python, "-c",
                                "import sys; sys.path.insert(0, sys.argv[1]); "
                                "import h5py, xylo_bridge; xylo_bridge.import_xylosim()",
                                vendor_dir],
                               check=True, capture_output=True, timeout=120)
                return python
            except (subprocess.SubprocessError, OSError):
                continue
    return None


_xpython = _xylo_python()
if _xpython:
    config.available_features.add("xylosim")
    config.substitutions.append(("%xylo_python", _xpython))


# `nir-<fw>`: a python with that framework's NIR reader, for the tests that
# run snnc's NIR export in the framework itself
# (test/data/nir/load_export_in_frameworks.py). Only from the environment,
# as the framework environments are large and not made by the build:
# SNNC_NIR_FW_PYTHON (Norse, Rockpool), SNNC_NIR_SINABS_PYTHON and
# SNNC_NIR_SPYX_PYTHON (test/data/nir/README.md says how to make them).
def _nir_frameworks():
    import subprocess
    wanted = {"norse": ("SNNC_NIR_FW_PYTHON", "norse.torch"),
              "rockpool": ("SNNC_NIR_FW_PYTHON", "rockpool.nn.modules.torch.nir"),
              "sinabs": ("SNNC_NIR_SINABS_PYTHON", "sinabs.nir"),
              "spyx": ("SNNC_NIR_SPYX_PYTHON", "spyx.nir")}
    for fw, (var, module) in wanted.items():
        python = os.environ.get(var, "")
        if not python or not os.access(python, os.X_OK):
            continue
        try:
            subprocess.run([python, "-c", "import h5py, nir, " + module],
                           check=True, capture_output=True, timeout=300)
        except (subprocess.SubprocessError, OSError):
            continue
        config.available_features.add("nir-" + fw)
        config.substitutions.append(("%nir_" + fw + "_python", python))


_nir_frameworks()


# `mpi`: snnc built with MPI (SNNC_HAVE_MPI) and an `mpirun` to start it, for
# data-parallel training. %mpirun allows root (CI containers) and more ranks
# than cores. SNNC_REQUIRE_MPI=1 (CI) makes its absence an error. Not in a
# sanitized build: Open MPI's run-time is uninstrumented and keeps memory
# until exit, which LeakSanitizer would blame on snnc; the trainer's
# data-parallel logic runs sanitized in test/unit/train/DataParallelTest.cpp
# (ranks as threads).
import shutil
_mpirun = shutil.which("mpirun")
_sanitized = getattr(config, "snnc_sanitize", "OFF") in ("ON", "1", "TRUE")
# `mpi-build`: snnc links MPI (whether or not tests may start it): a test of
# the build without MPI does not apply, sanitized or not.
if getattr(config, "snnc_have_mpi", "OFF") in ("ON", "1", "TRUE"):
    config.available_features.add("mpi-build")
# %limit-memory: caps a shell's address space at ~1 GB so a file that makes a
# reader allocate gigabytes fails the test; empty under ASan, whose shadow
# memory reserves terabytes of address space.
config.substitutions.append(
    ("%limit-memory", "" if _sanitized else "ulimit -v 1000000;"))
if _sanitized:
    pass
elif getattr(config, "snnc_have_mpi", "OFF") in ("ON", "1", "TRUE") and _mpirun:
    config.available_features.add("mpi")
    # Containers often forbid the cross-memory attach Open MPI's shared
    # memory transport uses for large messages: copy through the buffer.
    config.substitutions.append(
        ("%mpirun", _mpirun + " --allow-run-as-root --oversubscribe"
         " --mca btl_vader_single_copy_mechanism none"))
elif os.environ.get("SNNC_REQUIRE_MPI") == "1":
    lit_config.fatal("SNNC_REQUIRE_MPI=1 but snnc was built without MPI or no "
                     "mpirun is on PATH: run scripts/snnc-setup (it installs "
                     "Open MPI) and configure again")


# GPUs (docs/training.md, "Data-parallel training on GPUs"): `gpu` when snnc
# has the CUDA backend and nvidia-smi lists a GPU (CUDA_VISIBLE_DEVICES
# respected), `gpus-2` with two or more; `nccl` when snnc links NCCL. A
# machine without them says which GPU tests it leaves out, and why.
def _visible_gpus():
    if getattr(config, "snnc_have_cuda", "OFF") not in ("ON", "1", "TRUE"):
        return 0, "snnc built without the CUDA backend"
    smi = shutil.which("nvidia-smi")
    if not smi:
        return 0, "no nvidia-smi on PATH"
    import subprocess
    try:
        listed = subprocess.run([smi, "-L"], capture_output=True, text=True,
                                timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return 0, "nvidia-smi failed: %s" % e
    count = sum(1 for line in listed.splitlines() if line.startswith("GPU "))
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        count = min(count, len([d for d in visible.split(",") if d.strip()]))
    return count, "%d GPU(s) visible" % count


_gpus, _gpu_why = _visible_gpus()
if _gpus >= 1:
    config.available_features.add("gpu")
if _gpus >= 2:
    config.available_features.add("gpus-2")
if getattr(config, "snnc_have_nccl", "OFF") in ("ON", "1", "TRUE"):
    config.available_features.add("nccl")
if _gpus < 2:
    lit_config.note("data-parallel training on GPUs (REQUIRES: gpus-2) "
                    "not tested: " + _gpu_why)
