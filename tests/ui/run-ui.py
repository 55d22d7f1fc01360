#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs one UI scenario against the real Traverse app, driven through AT-SPI only.

    run-ui.py --app BUILD/src/ui/traverse --schema-dir BUILD/data \
              --artifacts BUILD/tests/ui/artifacts SCENARIO.py

Outer stage (this process): checks the tools (exit 77 with the reason when one is
missing), makes an isolated HOME/XDG_* tree, starts Xvfb on a free display, then re-runs
itself as the inner stage inside `dbus-run-session`. Inner stage: starts the AT-SPI bus
(at-spi-bus-launcher, at-spi2-registryd) and gnome-keyring (unlocked, secrets only) on that
private session bus, imports SCENARIO.py and calls its `run(ui)` with a trvui.Ui. On a
failure it saves a screenshot and the accessibility tree into the artifacts directory.

Everything runs in process groups killed by PID on exit (also on SIGTERM from meson's
timeout). Nothing touches the network except the loopback the scenarios choose.
"""

import argparse
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

XVFB = shutil.which("Xvfb") or "/usr/bin/Xvfb"
DBUS_RUN_SESSION = shutil.which("dbus-run-session") or "/usr/bin/dbus-run-session"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
REGISTRYD = "/usr/libexec/at-spi2-registryd"
KEYRING = shutil.which("gnome-keyring-daemon") or "/usr/bin/gnome-keyring-daemon"
KEYRING_PASSWORD = b"traverse-ui-test"


def skip(reason):
    print(f"SKIP: {reason}", flush=True)
    sys.exit(SKIP)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--app", required=True, help="the built traverse executable")
    p.add_argument("--schema-dir", required=True, help="directory with gschemas.compiled")
    p.add_argument("--artifacts", required=True, help="where screenshots and logs go")
    p.add_argument("--build-root", default="", help="meson build root (for traverse-cli etc.)")
    p.add_argument("--source-root", default="", help="meson source root")
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--home", default="", help=argparse.SUPPRESS)
    p.add_argument("scenario")
    return p.parse_args()


def check_tools(args):
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        skip(f"must run under Debian's /usr/bin/python3 (pyatspi), not {sys.executable}")
    for tool, pkg in ((XVFB, "xvfb"), (DBUS_RUN_SESSION, "dbus"),
                      (BUS_LAUNCHER, "at-spi2-core"), (REGISTRYD, "at-spi2-core"),
                      (KEYRING, "gnome-keyring")):
        if not os.access(tool, os.X_OK):
            skip(f"{tool} not found (install the {pkg} package)")
    try:
        import pyatspi  # noqa: F401
    except ImportError as e:
        skip(f"pyatspi not importable ({e}); install python3-pyatspi")
    if not os.access(args.app, os.X_OK):
        skip(f"app not built: {args.app}")
    if not os.path.exists(os.path.join(args.schema_dir, "gschemas.compiled")):
        skip(f"no compiled schema in {args.schema_dir}")


def start_group(argv, **kw):
    """Starts argv in its own process group so that it and its children die together."""
    return subprocess.Popen(argv, start_new_session=True, **kw)


def kill_group(proc, grace=3.0):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=grace)


def install_term_handler():
    # meson sends SIGTERM on timeout: turn it into SystemExit so finally-blocks clean up.
    def on_term(signum, frame):
        raise SystemExit(f"terminated by signal {signum}")
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)


def outer(args):
    check_tools(args)
    install_term_handler()
    os.makedirs(args.artifacts, exist_ok=True)
    home = tempfile.mkdtemp(prefix="trv-ui-")
    xvfb = None
    try:
        env = dict(os.environ)
        for sub in ("config", "data", "cache", "runtime"):
            os.makedirs(os.path.join(home, sub), mode=0o700, exist_ok=True)
        env.update({
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, "config"),
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "XDG_CACHE_HOME": os.path.join(home, "cache"),
            "XDG_RUNTIME_DIR": os.path.join(home, "runtime"),
        })
        # Xvfb writes the display number it picked to the fd we pass: no races on :N.
        rfd, wfd = os.pipe()
        xvfb = start_group([XVFB, "-displayfd", str(wfd), "-screen", "0", "1280x900x24",
                            "-nolisten", "tcp", "-noreset"],
                           pass_fds=(wfd,), stdout=subprocess.DEVNULL,
                           stderr=open(os.path.join(args.artifacts, "xvfb.log"), "w"))
        os.close(wfd)
        display = b""
        deadline = time.monotonic() + 15
        while not display.endswith(b"\n") and time.monotonic() < deadline:
            chunk = os.read(rfd, 16)
            if not chunk:
                break
            display += chunk
        os.close(rfd)
        if not display.strip():
            print("Xvfb did not start (see xvfb.log)", file=sys.stderr)
            return 1
        env["DISPLAY"] = ":" + display.decode().strip()
        for k in ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY", "AT_SPI_BUS_ADDRESS",
                  "GNOME_KEYRING_CONTROL", "NO_AT_BRIDGE"):
            env.pop(k, None)
        argv = [DBUS_RUN_SESSION, "--", "/usr/bin/python3", os.path.abspath(__file__),
                "--inner", "--home", home, "--app", args.app, "--schema-dir", args.schema_dir,
                "--artifacts", args.artifacts, "--build-root", args.build_root,
                "--source-root", args.source_root, args.scenario]
        inner_proc = start_group(argv, env=env)
        try:
            return inner_proc.wait()
        finally:
            kill_group(inner_proc)
    finally:
        kill_group(xvfb)
        shutil.rmtree(home, ignore_errors=True)


def inner(args):
    install_term_handler()
    import trvui
    log = open(os.path.join(args.artifacts, "session.log"), "a")
    procs = []
    ui = None
    try:
        bus = start_group([BUS_LAUNCHER, "--launch-immediately"], stdout=log, stderr=log)
        procs.append(bus)
        # The registry comes up through a11y-bus activation too; starting it ourselves
        # makes a broken activation show up here rather than as an empty desktop later.
        trvui.wait_for(lambda: trvui.a11y_bus_ready(), 10, "the AT-SPI bus")
        reg = start_group([REGISTRYD], stdout=log, stderr=log)
        procs.append(reg)
        kr = start_group([KEYRING, "--foreground", "--unlock", "--components=secrets"],
                         stdin=subprocess.PIPE, stdout=log, stderr=log)
        kr.stdin.write(KEYRING_PASSWORD)
        kr.stdin.close()
        procs.append(kr)
        trvui.wait_for(lambda: trvui.bus_has_name("org.freedesktop.secrets"), 10,
                       "gnome-keyring on the session bus")

        spec = importlib.util.spec_from_file_location("scenario", args.scenario)
        scenario = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(scenario)
        ui = trvui.Ui(app=args.app, schema_dir=args.schema_dir, artifacts=args.artifacts,
                      home=args.home, build_root=args.build_root, source_root=args.source_root,
                      log=log)
        if os.environ.get("TRV_UI_PROFILE"):
            import cProfile
            cProfile.runctx("scenario.run(ui)", globals(), locals(),
                            os.environ["TRV_UI_PROFILE"])
        else:
            scenario.run(ui)
        print("scenario passed", flush=True)
        return 0
    except trvui.Skip as e:
        print(f"SKIP: {e}", flush=True)
        return SKIP
    except BaseException as e:  # noqa: B036 -- report every failure with artifacts
        traceback.print_exc()
        if ui is not None:
            ui.save_failure_artifacts()
        print(f"FAIL: {e}", flush=True)
        return 1
    finally:
        if ui is not None:
            ui.close()
        for p in reversed(procs):
            kill_group(p)
        log.close()


def main():
    args = parse_args()
    args.app = os.path.abspath(args.app)
    args.schema_dir = os.path.abspath(args.schema_dir)
    args.artifacts = os.path.abspath(args.artifacts)
    args.scenario = os.path.abspath(args.scenario)
    sys.exit(inner(args) if args.inner else outer(args))


if __name__ == "__main__":
    main()
