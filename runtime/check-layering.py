#!/usr/bin/env python3
"""Checks that the runtime's areas depend on each other only as
runtime/README.md's dependency table says.

Usage: check-layering.py RUNTIME_DIR

The table (section "Areas and what they may depend on") has one row per area:
| area | may depend on | external libraries | what lives there |
Checked:
  1. every file under include/snnrt/ and lib/ sits in a folder named for an
     area of the table (and every area has a folder);
  2. a file of area A includes "snnrt/B/..." only when B is A or reachable
     from A through the table's dependencies;
  3. a file includes a header of an external library (<sndfile.h>, <cblas.h>,
     <cuda_runtime.h>, ...) only when its area lists that library;
  4. no file includes an LLVM or MLIR header;
  5. runtime/CMakeLists.txt gives each area's library exactly the table's
     dependencies (DEPENDS), so what links is what the table says.
Prints one line per violation naming the file, the line and the rule; exits 1
if there is any.
"""
import os
import re
import sys

# External headers by the library name the table uses.
EXTERNAL_HEADERS = {
    "HDF5": [r"hdf5\.h", r"H5[A-Za-z]*\.h"],
    "BLAS": [r"cblas\.h"],
    "OpenMP": [r"omp\.h"],
    "MPI": [r"mpi\.h"],
    "NCCL": [r"nccl\.h"],
    "CUDA": [r"cuda_runtime[a-z_]*\.h", r"cuda\.h", r"cub/.*", r"thrust/.*",
             r"curand.*\.h", r"cublas.*\.h", r"cusparse.*\.h"],
    "libsndfile": [r"sndfile\.h"],
    "libsamplerate": [r"samplerate\.h"],
    "FFTW": [r"fftw3\.h"],
    "espeak-ng": [r"espeak-ng/.*"],
    "zlib": [r"zlib\.h"],
}
FORBIDDEN = [r"llvm/.*", r"mlir/.*"]


def parse_table(readme):
    areas = {}
    in_section = False
    for line in open(readme, encoding="utf-8"):
        if line.startswith("## "):
            in_section = line.strip().startswith(
                "## Areas and what they may depend on")
            continue
        if not in_section or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("area", "") or set(cells[0]) <= set("-: "):
            continue
        name = cells[0].strip("`")
        deps = [d.strip().strip("`") for d in cells[1].split(",")
                if d.strip() and d.strip() != "—"]
        ext = [e.strip() for e in cells[2].split(",")
               if e.strip() and e.strip() != "—"]
        areas[name] = (deps, ext)
    return areas


def closure(areas, name):
    seen, todo = set(), [name]
    while todo:
        a = todo.pop()
        if a in seen:
            continue
        seen.add(a)
        todo.extend(areas.get(a, ([], []))[0])
    return seen


def cmake_depends(cmake_file):
    text = open(cmake_file, encoding="utf-8").read()
    result = {}
    for m in re.finditer(r"^snnrt_add_area\((\w+)(.*?)\)", text, re.S | re.M):
        body = m.group(2)
        dm = re.search(r"DEPENDS((?:\s+[a-z]+)+)", body)
        result[m.group(1)] = set(dm.group(1).split()) if dm else set()
    return result


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    readme = os.path.join(root, "README.md")
    areas = parse_table(readme)
    if not areas:
        print(f"{readme}: no dependency table (section 'Areas and what they "
              "may depend on')")
        return 1
    errors = []
    for name, (deps, _) in areas.items():
        for d in deps:
            if d not in areas:
                errors.append(f"{readme}: area '{name}' depends on unknown "
                              f"area '{d}'")
        if name in closure(areas, name) - {name} or any(
                name in closure(areas, d) for d in deps):
            errors.append(f"{readme}: area '{name}' depends on itself "
                          "through a cycle")

    include_re = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
    for top in ("include/snnrt", "lib"):
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            errors.append(f"{base}: missing")
            continue
        for entry in sorted(os.listdir(base)):
            path = os.path.join(base, entry)
            if entry == "README.md":
                continue
            if not os.path.isdir(path):
                errors.append(f"{path}: not in an area folder")
                continue
            if entry not in areas:
                errors.append(f"{path}: folder '{entry}' is not an area of "
                              f"{readme}'s table")
                continue
            allowed = closure(areas, entry)
            ext_allowed = set()
            for a in allowed:
                ext_allowed.update(areas[a][1])
            for fname in sorted(os.listdir(path)):
                fpath = os.path.join(path, fname)
                if fname == "README.md" or os.path.isdir(fpath):
                    continue
                for no, line in enumerate(
                        open(fpath, encoding="utf-8", errors="replace"), 1):
                    m = include_re.match(line)
                    if not m:
                        continue
                    header = m.group(2)
                    where = f"{fpath}:{no}"
                    sm = re.match(r"snnrt/([a-z]+)/", header)
                    if sm:
                        other = sm.group(1)
                        if other not in areas:
                            errors.append(f"{where}: includes {header} of "
                                          f"unknown area '{other}'")
                        elif other not in allowed:
                            errors.append(
                                f"{where}: area '{entry}' includes {header}, "
                                f"but '{entry}' may not depend on '{other}' "
                                f"(allowed: {', '.join(sorted(allowed))})")
                        continue
                    if header.startswith("snnrt/"):
                        errors.append(f"{where}: {header} is not in an area")
                        continue
                    if any(re.fullmatch(p, header) for p in FORBIDDEN):
                        errors.append(f"{where}: includes {header}: the "
                                      "runtime never includes LLVM or MLIR")
                        continue
                    for lib, patterns in EXTERNAL_HEADERS.items():
                        if any(re.fullmatch(p, header) for p in patterns) \
                                and lib not in ext_allowed:
                            errors.append(
                                f"{where}: area '{entry}' includes <{header}> "
                                f"({lib}), which its row of the table does "
                                "not list")
    for name in areas:
        for top in ("include/snnrt", "lib"):
            if not os.path.isdir(os.path.join(root, top, name)):
                errors.append(f"{os.path.join(root, top, name)}: area "
                              f"'{name}' has no folder here")

    cmake_file = os.path.join(root, "CMakeLists.txt")
    built = cmake_depends(cmake_file)
    for name, (deps, _) in areas.items():
        if name not in built:
            errors.append(f"{cmake_file}: no snnrt_add_area({name} ...)")
        elif built[name] != set(deps):
            errors.append(
                f"{cmake_file}: snnrt-{name} DEPENDS "
                f"{' '.join(sorted(built[name])) or '(nothing)'}, the table "
                f"says {' '.join(sorted(deps)) or '(nothing)'}")
    for name in built:
        if name not in areas:
            errors.append(f"{cmake_file}: library snnrt-{name} is not an "
                          f"area of {readme}'s table")

    for e in errors:
        print(e)
    if errors:
        print(f"check-layering: {len(errors)} violation(s)")
        return 1
    print(f"check-layering: {len(areas)} areas, every include and link "
          "within the table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
