#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every language in po/LINGUAS has a valid .po file that translates all messages
the sources contain now (extracted afresh, as the traverse-pot target does)."""
import os
import re
import subprocess
import sys
import tempfile

# meson's i18n 'glib' preset.
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-translations.py SOURCE_ROOT")
    root = sys.argv[1]
    po_dir = os.path.join(root, "po")
    with open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8") as f:
        langs = [w for line in f if not line.startswith("#") for w in line.split()]
    if not langs:
        sys.exit("po/LINGUAS lists no language")
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "traverse.pot")
        r = run(["xgettext", "--package-name=traverse", "-D", root,
                 "--files-from", os.path.join(po_dir, "POTFILES"), "-o", pot] + XGETTEXT_ARGS)
        if r.returncode != 0 or not os.path.exists(pot):
            sys.exit(f"xgettext failed:\n{r.stderr}")
        for lang in langs:
            po = os.path.join(po_dir, lang + ".po")
            if not os.path.isfile(po):
                errors.append(f"po/LINGUAS lists {lang} but po/{lang}.po is missing")
                continue
            r = run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po])
            if r.returncode != 0:
                errors.append(f"po/{lang}.po does not compile:\n{r.stderr}")
                continue
            merged = os.path.join(tmp, lang + ".po")
            r = run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot])
            if r.returncode != 0:
                errors.append(f"msgmerge po/{lang}.po failed:\n{r.stderr}")
                continue
            r = run(["msgfmt", "--check", "--statistics", "-o", os.devnull, merged])
            stats = r.stderr.strip()
            bad = re.findall(r"(\d+) (fuzzy|untranslated)", stats)
            if r.returncode != 0 or any(int(n) for n, _ in bad):
                untranslated = run(["msgattrib", "--untranslated", "--no-obsolete", merged]).stdout
                ids = re.findall(r'^msgid "(.+)"$', untranslated, flags=re.M)[:10]
                errors.append(f"po/{lang}.po is incomplete against the sources ({stats}); "
                              f"e.g. {ids}")
            else:
                print(f"po/{lang}.po: {stats}")
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
