# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up benchmark, run by bench-startup.py through tests/ui/run-ui.py (Xvfb, AT-SPI).

For each app in BENCH_APPS (name=argv, ';'-separated): RUNS first runs, each with a fresh
HOME/XDG tree, and RUNS warm runs with one HOME that has seen a run before. A run is the
time from exec to the app's first frame on the accessibility bus, polled every 5 ms; after
the last warm run the app idles IDLE seconds and its RSS and PSS are read from /proc.
Prints one JSON line per app, prefixed with BENCH:.
"""

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

import pyatspi
from gi.repository import GLib

import trvui

SETTLE_S = 3.0


def _xdg_env(home):
    env = {"HOME": home}
    for sub, var in (("config", "XDG_CONFIG_HOME"), ("data", "XDG_DATA_HOME"),
                     ("cache", "XDG_CACHE_HOME")):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
        env[var] = os.path.join(home, sub)
    return env


def _frame_of(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in trvui.children(desktop):
        try:
            if app.get_process_id() != pid:
                continue
        except GLib.Error:
            continue
        for child in trvui.children(app):
            try:
                if child.getRole() == pyatspi.ROLE_FRAME:
                    return child
            except GLib.Error:
                continue
    return None


def _mem(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["rss_mib"] = round(int(line.split()[1]) / 1024, 1)
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    out["pss_mib"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    if os.environ.get("BENCH_SMAPS"):
        out["top_rss_kib"] = _top_mappings(pid)
    return out


def _top_mappings(pid, n=15):
    """RSS per mapped file (anonymous memory as '[anon]'), largest first."""
    sizes = {}
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split()
            if "-" in head[0] and not line.startswith(("Rss", "Pss")) and len(head) >= 5:
                name = os.path.basename(head[5]) if len(head) > 5 else "[anon]"
            elif head[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(head[1])
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:n]


def _one_run(ui, argv, home, idle=0.0, timeout=20.0):
    env = ui.app_env(_xdg_env(home))
    # As a user starts it: each app chooses its own renderer (the UI tests force cairo).
    env.pop("GSK_RENDERER", None)
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = t0 + timeout
        while _frame_of(proc.pid) is None:
            if proc.poll() is not None:
                raise AssertionError(f"{argv[0]} exited with {proc.returncode} at start")
            if time.monotonic() > deadline:
                raise AssertionError(f"{argv[0]}: no frame within {timeout} s")
            time.sleep(0.005)
        elapsed = time.monotonic() - t0
        mem = {}
        # Work the app leaves for after its window (the plugin registry, written on a
        # thread) must finish, or every run would find it missing again.
        time.sleep(max(idle, SETTLE_S))
        if idle > 0:
            mem = _mem(proc.pid)
        return elapsed, mem
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=10)


def run(ui):
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    idle = float(os.environ.get("BENCH_IDLE", "10"))
    apps = [a.split("=", 1) for a in os.environ["BENCH_APPS"].split(";") if a]
    for name, cmd in apps:
        argv = cmd.split()
        firsts = []
        for _ in range(runs):
            home = tempfile.mkdtemp(prefix="bench-first-")
            try:
                firsts.append(_one_run(ui, argv, home)[0])
            finally:
                shutil.rmtree(home, ignore_errors=True)
        home = tempfile.mkdtemp(prefix="bench-warm-")
        try:
            _one_run(ui, argv, home)            # this HOME's first run, not counted
            warms = []
            mem = {}
            for i in range(runs):
                t, m = _one_run(ui, argv, home, idle=idle if i == runs - 1 else 0)
                warms.append(t)
                mem = m or mem
        finally:
            shutil.rmtree(home, ignore_errors=True)
        print("BENCH:" + json.dumps({
            "app": name,
            "warm_s": round(statistics.median(warms), 3),
            "warm_all": [round(t, 3) for t in warms],
            "first_run_s": round(statistics.median(firsts), 3),
            "first_all": [round(t, 3) for t in firsts],
            "idle_s": idle, **mem}), flush=True)
