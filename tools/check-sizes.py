#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a source file in src/ is over 800 lines or a C function over 120 lines.

Functions are found the way the code is written (GNU style): the name at column 0 followed
by '(', the body from the next '{' at column 0 to the next '}' at column 0.

Usage: check-sizes.py [SOURCE_ROOT] [--max-file N] [--max-function N]
"""
import argparse
import os
import re
import sys

FUNC_START = re.compile(r"^([A-Za-z_]\w*)\s*\(")


def functions(lines):
    i = 0
    while i < len(lines):
        m = FUNC_START.match(lines[i])
        if m and not lines[i].rstrip().endswith(";"):
            j = i
            while j < len(lines) and not lines[j].startswith("{"):
                if lines[j].rstrip().endswith(";") or (j > i and FUNC_START.match(lines[j])):
                    break
                j += 1
            if j < len(lines) and lines[j].startswith("{"):
                k = j + 1
                while k < len(lines) and not lines[k].startswith("}"):
                    k += 1
                yield m.group(1), i + 1, k - i + 1
                i = k
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?",
                    default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--max-file", type=int, default=800)
    ap.add_argument("--max-function", type=int, default=120)
    args = ap.parse_args()
    problems = []
    nfuncs = 0
    for dirpath, _dirs, files in os.walk(os.path.join(args.root, "src")):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, args.root)
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if len(lines) > args.max_file:
                problems.append(f"{rel}: {len(lines)} lines (limit {args.max_file})")
            if name.endswith(".c"):
                for fname, start, length in functions(lines):
                    nfuncs += 1
                    if length > args.max_function:
                        problems.append(f"{rel}:{start}: {fname} is {length} lines "
                                        f"(limit {args.max_function})")
    for p in problems:
        print(p)
    print(f"sizes: {len(problems)} over the limits ({nfuncs} functions checked)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
