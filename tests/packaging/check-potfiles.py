#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when po/POTFILES is out of step with the tree: a file under src/ or data/
with translatable strings is not listed, or a listed file does not exist."""
import os
import re
import sys

SCAN_DIRS = ("src", "data")
# C: gettext macros from glib/gi18n.h. The lookbehind keeps foo_( or G_( from matching.
C_MARKS = re.compile(r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|g_dgettext|g_dngettext|"
                     r"g_dpgettext2?|ngettext)\s*\(\s*(?:\"|[A-Za-z_])")
UI_MARKS = re.compile(r"translatable\s*=\s*[\"'](?:yes|true|1)[\"']")
BLP_MARKS = re.compile(r"(?<![A-Za-z0-9_])(?:_|C_)\s*\(\s*\"")
GSCHEMA_MARKS = re.compile(r"<(?:summary|description)\b")


def translatable(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        sys.exit(f"cannot read {path}: {e}")
    if name.endswith((".c", ".h")):
        # Comments may mention _("..."); strip them before looking.
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        return bool(C_MARKS.search(text))
    if name.endswith(".ui"):
        return bool(UI_MARKS.search(text))
    if name.endswith(".blp"):
        return bool(BLP_MARKS.search(text))
    if name.endswith(".gschema.xml"):
        return bool(GSCHEMA_MARKS.search(text))
    # Merged through gettext by data/meson.build: always translatable.
    return name.endswith((".desktop.in", ".metainfo.xml.in", ".appdata.xml.in"))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-potfiles.py SOURCE_ROOT")
    root = sys.argv[1]
    potfiles = os.path.join(root, "po", "POTFILES")
    listed = []
    with open(potfiles, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                listed.append(line)
    errors = []
    for rel in listed:
        if not os.path.isfile(os.path.join(root, rel)):
            errors.append(f"po/POTFILES lists {rel}, which does not exist")
    dupes = {p for p in listed if listed.count(p) > 1}
    for rel in sorted(dupes):
        errors.append(f"po/POTFILES lists {rel} more than once")

    found = []
    for top in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                path = os.path.join(dirpath, fn)
                if translatable(path):
                    found.append(os.path.relpath(path, root))
    for rel in found:
        if rel not in listed:
            errors.append(f"{rel} has translatable strings but is missing from po/POTFILES")

    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        sys.exit(1)
    print(f"po/POTFILES: ok ({len(listed)} files listed, {len(found)} with translatable strings)")


if __name__ == "__main__":
    main()
