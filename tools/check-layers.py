#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that no #include reaches up a layer.

  base <- config <- {sdp, nat, contacts} <- transport <- media <- sip <- {ui, cli} <- {tests, bench}

A file may include headers of its own folder and of the layers below it; sdp and nat are
siblings (contacts too) and may not include each other, nor may ui and cli. src/core never includes GTK or
libadwaita. The build enforces the same for src/ (each layer is a static library that sees only
the headers below it); this check also covers tests/ and bench/ and names the offending line.

Usage: check-layers.py [SOURCE_ROOT]      exit 0 when the order holds, 1 with a list when not
       check-layers.py --self-test        proves that the check fails on an upward include
"""
import os
import re
import shutil
import sys
import tempfile

RANK = {"base": 0, "config": 1, "sdp": 2, "nat": 2, "contacts": 2, "transport": 3, "media": 4, "sip": 5,
        "ui": 6, "cli": 6, "tests": 7, "bench": 7}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
GUI_HEADERS = re.compile(r"^(gtk/|gdk/|adwaita\.h)")


def layer_of(rel):
    parts = rel.split("/")
    if parts[0] == "src" and len(parts) > 2 and parts[1] == "core":
        return parts[2] if parts[2] in RANK else None
    if parts[0] == "src" and len(parts) > 1 and parts[1] in ("ui", "cli"):
        return parts[1]
    if parts[0] in ("tests", "bench"):
        return parts[0]
    return None


def sources(root):
    for top in ("src", "tests", "bench"):
        for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith((".c", ".h")):
                    path = os.path.join(dirpath, name)
                    yield os.path.relpath(path, root).replace(os.sep, "/")


def check(root):
    files = list(sources(root))
    # Header name -> layer. Headers are included by name only (each layer's folder is an
    # include directory), so a name must be unique across layers.
    owner = {}
    problems = []
    for rel in files:
        layer = layer_of(rel)
        if rel.endswith(".h") and layer in RANK and RANK[layer] < 7:
            name = os.path.basename(rel)
            if name in owner and owner[name] != layer:
                problems.append(f"{rel}: header name also used in {owner[name]}/")
            owner[name] = layer
    for rel in files:
        layer = layer_of(rel)
        if layer is None:
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            kind, name = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            if kind == "<":
                if RANK[layer] <= RANK["sip"] and GUI_HEADERS.match(name):
                    problems.append(f"{rel}:{line}: the core includes a GUI header <{name}>")
                continue
            target = owner.get(os.path.basename(name))
            if target is None or target == layer:
                continue
            if RANK[target] > RANK[layer] or (RANK[target] == RANK[layer]):
                problems.append(f"{rel}:{line}: {layer}/ includes \"{name}\" from {target}/, "
                                f"which is not below it")
    return problems


def self_test():
    """Copies the tree, adds one upward include per kind, and expects each to be caught."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    if check(root):
        print("self-test: the tree itself does not pass; run the plain check first")
        return 1
    cases = [
        ("src/core/base/trv-error.c", '#include "trv-call.h"\n'),        # base -> sip
        ("src/core/sdp/trv-offer-answer.c", '#include "trv-nat-probe.h"\n'),  # sibling
        ("src/core/media/trv-media-session.c", "#include <gtk/gtk.h>\n"),  # GUI in core
        ("src/cli/traverse-cli.c", '#include "trv-window.h"\n'),          # cli -> ui
    ]
    failures = 0
    for path, line in cases:
        with tempfile.TemporaryDirectory() as tmp:
            for top in ("src", "tests", "bench"):
                shutil.copytree(os.path.join(root, top), os.path.join(tmp, top))
            with open(os.path.join(tmp, path), "a", encoding="utf-8") as f:
                f.write(line)
            found = check(tmp)
            if not any(p.startswith(path + ":") for p in found):
                print(f"self-test: NOT caught: {line.strip()} in {path}")
                failures += 1
            else:
                print(f"self-test: caught {line.strip()} in {path}")
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    problems = check(root)
    for p in problems:
        print(p)
    print(f"layers: {len(problems)} include(s) reach up a layer" if problems
          else "layers: every include points down the layer order")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
