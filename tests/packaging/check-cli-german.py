#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""traverse-cli speaks German end to end: with LANGUAGE=de and the build's catalog
(TRAVERSE_LOCALEDIR), a bad config gives the core's error message in German on stderr, the
CLI's own usage error too, and --help is German. The same runs in the C locale must stay
English, so a catalog that is missing or not bound makes this fail."""
import os
import subprocess
import sys
import tempfile


def run(cli, args, env):
    return subprocess.run([cli] + args, capture_output=True, text=True, timeout=60, env=env)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check-cli-german.py TRAVERSE_CLI BUILD_PO_DIR")
    cli, po_dir = sys.argv[1:]
    mo = os.path.join(po_dir, "de", "LC_MESSAGES", "traverse.mo")
    if not os.path.isfile(mo):
        sys.exit(f"{mo} not built")
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    # C.UTF-8 is built into glibc (no locales package needed); gettext ignores LANGUAGE
    # only in the plain "C" locale.
    german = dict(base, LANG="C.UTF-8", LANGUAGE="de", TRAVERSE_LOCALEDIR=po_dir)
    english = dict(base, LANG="C", TRAVERSE_LOCALEDIR=po_dir)

    errors = []
    with tempfile.TemporaryDirectory(prefix="traverse-de-") as tmp:
        config = os.path.join(tmp, "bad.ini")
        with open(config, "w", encoding="utf-8") as f:
            f.write("[nat]\nmode = sideways\n")
        cases = [
            # (args, exit code, German text, English text)
            (["--config", config, "call", "echo"], 2,
             "traverse-cli: nat.mode: »sideways« ist keiner der Werte none, stun, turn, ice, auto",
             "traverse-cli: nat.mode: 'sideways' is not one of none, stun, turn, ice, auto"),
            (["frobnicate"], 2,
             "traverse-cli: unbekannter Befehl »frobnicate«: verwenden Sie register, call oder answer",
             "traverse-cli: unknown command 'frobnicate': use register, call or answer"),
        ]
        for args, code, de_text, en_text in cases:
            for env, want, lang in ((german, de_text, "de"), (english, en_text, "C")):
                r = run(cli, args, env)
                if r.returncode != code or want not in r.stderr.splitlines():
                    errors.append(f"{lang}: traverse-cli {' '.join(args)}: exit {r.returncode} "
                                  f"(want {code}), stderr {r.stderr!r}, want the line {want!r}")

    r = run(cli, ["--help"], german)
    if r.returncode != 0 or "Anrufstatistik als JSON schreiben" not in r.stdout \
            or "Befehle:" not in r.stdout:
        errors.append(f"de: traverse-cli --help is not German: exit {r.returncode}\n{r.stdout}")

    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        sys.exit(1)
    print("traverse-cli: German messages ok, C locale stays English")


if __name__ == "__main__":
    main()
