#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Loopback call benchmark: median setup_ms / first_rtp_ms, CPU seconds and peak RSS per call.

Runs N direct calls (no registrar) between two traverse-cli processes on 127.0.0.1 and prints
a table. Usage: bench/bench-calls.py [--build DIR] [--calls N] [--codec NAME] [--duration S]
"""
import argparse
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_wait(proc, timeout):
    """Wait for proc with a bound; return (exit code, rusage)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage
        time.sleep(0.02)
    proc.kill()
    _, status, usage = os.wait4(proc.pid, 0)
    return -9, usage


def one_call(cli, tmp, i, codec, duration, tone):
    port = free_port()
    callee_cfg = os.path.join(tmp, f"callee-{i}.conf")
    with open(callee_cfg, "w") as f:
        f.write(f"[account]\naddress=sip:bob@127.0.0.1\nregister=false\nlocal-port={port}\n"
                f"[media]\ncodecs={codec}\n")
    caller_cfg = os.path.join(tmp, f"caller-{i}.conf")
    with open(caller_cfg, "w") as f:
        f.write(f"[media]\ncodecs={codec}\n")
    env = dict(os.environ, TRAVERSE_AUDIOSINK="fakesink")
    stats = os.path.join(tmp, f"stats-{i}.json")
    callee = subprocess.Popen([cli, "--config", callee_cfg, "answer", "--play", tone,
                               "--timeout", "20"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    line = callee.stdout.readline()
    if "ready" not in line:
        callee.kill()
        raise RuntimeError(f"callee did not start: {line!r} {callee.stderr.read()}")
    caller = subprocess.Popen([cli, "--config", caller_cfg, "call", f"sip:bob@127.0.0.1:{port}",
                               "--play", tone, "--duration", str(duration), "--timeout", "10",
                               "--stats", stats],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    rc_caller, ru_caller = run_wait(caller, duration + 20)
    rc_callee, ru_callee = run_wait(callee, 20)
    if rc_caller != 0:
        raise RuntimeError(f"call {i} failed with exit {rc_caller}: {caller.stderr.read()}")
    with open(stats) as f:
        s = json.load(f)
    return {
        "setup_ms": s["call"]["setup_ms"],
        "first_rtp_ms": s["call"]["first_rtp_ms"],
        "cpu_s_caller": ru_caller.ru_utime + ru_caller.ru_stime,
        "cpu_s_callee": ru_callee.ru_utime + ru_callee.ru_stime,
        "rss_mib_caller": ru_caller.ru_maxrss / 1024.0,
        "rss_mib_callee": ru_callee.ru_maxrss / 1024.0,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="_build")
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--codec", default="opus")
    ap.add_argument("--duration", type=float, default=2.0)
    args = ap.parse_args()

    cli = os.path.join(args.build, "src", "cli", "traverse-cli")
    tone_tool = os.path.join(args.build, "tests", "tools", "trv-tone")
    with tempfile.TemporaryDirectory(prefix="traverse-bench-") as tmp:
        tone = os.path.join(tmp, "tone.wav")
        subprocess.run([tone_tool, "gen", "--freq", "440", "--seconds", "2", tone], check=True)
        rows = [one_call(cli, tmp, i, args.codec, args.duration, tone) for i in range(args.calls)]

    def med(key):
        return statistics.median(r[key] for r in rows)

    print(f"# {args.calls} loopback calls, codec {args.codec}, {args.duration:.1f} s each")
    print(f"# machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
          f"{platform.platform()}")
    print(f"{'figure':<28}{'median':>10}{'min':>10}{'max':>10}")
    for key, unit in (("setup_ms", "ms"), ("first_rtp_ms", "ms"),
                      ("cpu_s_caller", "s"), ("cpu_s_callee", "s"),
                      ("rss_mib_caller", "MiB"), ("rss_mib_callee", "MiB")):
        vals = [r[key] for r in rows]
        print(f"{key + ' (' + unit + ')':<28}{med(key):>10.2f}{min(vals):>10.2f}{max(vals):>10.2f}")


if __name__ == "__main__":
    sys.exit(main())
