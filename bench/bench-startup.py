#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up time and idle memory of the desktop app, beside GNOME Calls in the same run.

    bench/bench-startup.py --build _build [--runs 5] [--idle 10] [--no-calls]

Runs bench/startup_scenario.py through tests/ui/run-ui.py: Xvfb, a private session bus,
the AT-SPI bus and registry, as the UI tests use. Per app it prints the median time from
exec to the main window's accessible frame (warm: a HOME that has seen a run; first run:
a fresh HOME each time) and RSS/PSS after idling, each app started as a user would (no
GSK_RENDERER: each chooses its renderer). The floor, `empty-adw`, is an empty libadwaita
window (bench/trv-bench-empty-window.c); `empty-adw-nogl` is the same window with GL off,
as Traverse draws where there is no GPU. GNOME Calls (Debian package gnome-calls)
is measured when installed, unless --no-calls. BENCH_SMAPS=1 adds the largest mappings.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="_build")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--idle", type=float, default=10.0)
    p.add_argument("--no-calls", action="store_true")
    args = p.parse_args()
    build = os.path.abspath(args.build)
    app = os.path.join(build, "src", "ui", "traverse")
    apps = [f"traverse={app}"]
    floor = os.path.join(build, "bench", "trv-bench-empty-window")
    if os.access(floor, os.X_OK):
        apps.append(f"empty-adw={floor}")
        # The same window with GL off, as Traverse runs without a GPU (src/ui/main.c);
        # env execs the window, so the pid measured is still the window's.
        apps.append(f"empty-adw-nogl=env GDK_DEBUG=gl-disable GSK_RENDERER=cairo {floor}")
    calls = shutil.which("gnome-calls")
    if not args.no_calls:
        if calls:
            apps.append(f"gnome-calls={calls}")
        else:
            print("gnome-calls not installed (apt-get install gnome-calls): measuring Traverse only",
                  file=sys.stderr)
    env = dict(os.environ, BENCH_APPS=";".join(apps), BENCH_RUNS=str(args.runs),
               BENCH_IDLE=str(args.idle), PYTHONPATH=os.path.join(SRC, "tests", "ui"))
    artifacts = os.path.join(build, "bench-startup")
    r = subprocess.run(["/usr/bin/python3", os.path.join(SRC, "tests", "ui", "run-ui.py"),
                        "--app", app, "--schema-dir", os.path.join(build, "data"),
                        "--artifacts", artifacts, "--build-root", build, "--source-root", SRC,
                        os.path.join(HERE, "startup_scenario.py")],
                       env=env, capture_output=True, text=True, timeout=900)
    rows = [json.loads(line[6:]) for line in r.stdout.splitlines() if line.startswith("BENCH:")]
    if r.returncode != 0 or not rows:
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr)
        sys.exit(r.returncode or 1)
    print(f"{'app':<15} {'warm s':>7} {'first run s':>12} {'RSS MiB':>8} {'PSS MiB':>8}")
    for row in rows:
        print(f"{row['app']:<15} {row['warm_s']:>7.3f} {row['first_run_s']:>12.3f} "
              f"{row.get('rss_mib', 0):>8.1f} {row.get('pss_mib', 0):>8.1f}")
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
