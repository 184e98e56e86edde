#!/usr/bin/env python3
"""The libraries istio-lint maps at start-up: libcrypto and libedit are opened on first use
(model/libcrypto.h, cli/libedit.h), not linked, so that a run pays for them only when it reads a
certificate or opens the simulate prompt. A link line that pulls either back in fails here. With
--static-cxx (a build with ISTIO_LINT_STATIC_CXX), libstdc++, libgcc_s, yaml-cpp, RE2 and fmt are
linked into the executable and must not be loaded either.

Usage: linked_libraries_test.py ISTIO_LINT [--static-cxx]
"""
import re
import subprocess
import sys

binary = sys.argv[1]
static_cxx = "--static-cxx" in sys.argv[2:]
try:
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
except FileNotFoundError:
    print("SKIPPED: readelf (binutils) is not installed")
    sys.exit(77)
needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
if not needed:
    print(f"FAIL: no NEEDED entries in readelf -d {binary}:\n{out}")
    sys.exit(1)
failed = False
opened_later = [n for n in needed if re.match(r"lib(crypto|ssl|edit|tinfo|bsd)\.so", n)]
if opened_later:
    print(f"FAIL: {binary} links {', '.join(opened_later)}; these are opened on first use (dlopen)")
    failed = True
if static_cxx:
    shared_cxx = [n for n in needed if re.match(r"lib(stdc\+\+|gcc_s|yaml-cpp|re2|fmt)\.so", n)]
    if shared_cxx:
        print(f"FAIL: {binary} loads {', '.join(shared_cxx)}; the build links the C++ libraries "
              "statically (ISTIO_LINT_STATIC_CXX)")
        failed = True
if failed:
    sys.exit(1)
print(f"ok: {len(needed)} libraries at start-up: {', '.join(needed)}")
