#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a source file lacks an SPDX-License-Identifier line in its first five lines.

Source files: C (.c, .h), Python, shell, meson.build, GtkBuilder .ui, CSS, .ci/run and tools/.
Usage: check-spdx.py [SOURCE_ROOT]
"""
import os
import subprocess
import sys

SUFFIXES = (".c", ".h", ".py", ".sh", ".ui", ".css")
NAMES = ("meson.build", "meson_options.txt", "run")
LICENSE = "SPDX-License-Identifier: GPL-3.0-or-later"


def tracked(root):
    try:
        out = subprocess.run(["git", "ls-files"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.split("\n")
        return [f for f in out if f]
    except (OSError, subprocess.CalledProcessError):
        return [os.path.relpath(os.path.join(d, n), root)
                for d, _s, files in os.walk(root) if "/." not in d and "_build" not in d
                for n in files]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    missing = []
    checked = 0
    for rel in tracked(root):
        name = os.path.basename(rel)
        if not (name.endswith(SUFFIXES) or name in NAMES):
            continue
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            continue
        checked += 1
        with open(path, encoding="utf-8", errors="replace") as f:
            head = [next(f, "") for _ in range(5)]
        if not any(LICENSE in line for line in head):
            missing.append(rel)
    for rel in missing:
        print(f"{rel}: no '{LICENSE}' line in its first five lines")
    print(f"spdx: {len(missing)} of {checked} source files without an SPDX line")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
