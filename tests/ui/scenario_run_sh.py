# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12: the README's quick start gives a fully working app. The app is started by
`tools/run.sh --no-build` (the same environment set-up as `tools/run.sh`, without installing
and building), with none of the test harness's GSETTINGS_SCHEMA_DIR / XDG_DATA_DIRS: the
Preferences can store settings (Add account enabled, a network setting saved and read
back), and the app icon is found in the icon theme the app sees. It also checks how the
app starts: GL stays off when it would only be used for nothing (GSK_RENDERER=cairo here,
or no GPU: Mesa's llvmpipe and libLLVM are never loaded), and GStreamer and libnice, held back
until the window has drawn, are loaded soon after."""
import os
import subprocess

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV
from trvui_prefs import close_preferences, field, open_preferences, show_page

ICON = "io.github.traverse.Traverse"
# Looks the icon up the way GTK does for the app's window, in the app's own environment.
HAS_ICON = """
import gi, sys
gi.require_version("Gtk", "4.0")
from gi.repository import Gtk, Gdk
Gtk.init()
theme = Gtk.IconTheme.get_for_display(Gdk.Display.get_default())
sys.exit(0 if theme.has_icon(sys.argv[1]) else 1)
"""


def app_environ(pid):
    with open("/proc/%d/environ" % pid, "rb") as f:
        pairs = [p.split(b"=", 1) for p in f.read().split(b"\0") if b"=" in p]
    return {k.decode(): v.decode() for k, v in pairs}


def mapped(pid, pred):
    with open("/proc/%d/maps" % pid) as f:
        return [line.split()[-1] for line in f if len(line.split()) >= 6 and pred(line.split()[-1])]


def is_gl_driver(path):
    name = os.path.basename(path)
    return name.endswith("_dri.so") or name.startswith("libLLVM")


def run(ui):
    run_sh = os.path.join(ui.source_root, "tools", "run.sh")
    ui.start_app(command=[run_sh, "--no-build"],
                 env=dict(AUDIO_ENV, TRAVERSE_BUILDDIR=ui.build_root),
                 unset=("GSETTINGS_SCHEMA_DIR", "XDG_DATA_DIRS"))
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    pid = ui.proc.pid
    # The deferred start-up work ran: GStreamer's plugins are loaded after the first frame.
    trvui.wait_for(lambda: mapped(pid, lambda p: "/gstreamer-1.0/libgst" in p), 20,
                   "GStreamer plugins loaded after the window")
    assert not mapped(pid, is_gl_driver), "a GL driver was loaded: %s" % mapped(pid, is_gl_driver)
    # libnice is not linked (its 25 libraries stay out of the start) but opened by the same
    # start-up thread, once GStreamer is up.
    needed = subprocess.run(["readelf", "-d", "/proc/%d/exe" % pid], capture_output=True,
                            text=True, check=True).stdout
    assert "NEEDED" in needed and "libnice" not in needed, "the app links libnice"
    trvui.wait_for(lambda: mapped(pid, lambda p: "/libnice.so" in p), 20,
                   "libnice opened after the window")
    # run.sh exec'd the app itself (the window belongs to the process started).
    assert os.path.realpath("/proc/%d/exe" % ui.proc.pid).endswith("/src/ui/traverse")

    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")
    add = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Add account", root=prefs)
    assert not ui.exists(pyatspi.ROLE_LABEL, lambda n: n and "cannot be stored" in n,
                         root=prefs), "the Preferences say settings cannot be stored"
    assert trvui.has_state(add, pyatspi.STATE_SENSITIVE), "Add account is disabled"
    show_page(ui, prefs, "Network")
    ui.set_text(field(ui, prefs, "STUN server"), "127.0.0.1:3478")
    ui.press("Return")   # network settings apply as they are made; Return at once
    close_preferences(ui, prefs)
    # Stored where the app reads it (its own schema dir, not the harness's).
    env = app_environ(ui.proc.pid)
    got = subprocess.run(["gsettings", "get", "io.github.traverse.Traverse.Nat", "stun-server"],
                         env=env, capture_output=True, text=True, timeout=20)
    assert "127.0.0.1:3478" in got.stdout, (got.stdout, got.stderr)

    icon = subprocess.run(["/usr/bin/python3", "-c", HAS_ICON, ICON], env=env,
                          capture_output=True, text=True, timeout=30)
    assert icon.returncode == 0, "the app icon %s is not in the app's icon theme: %s" % (
        ICON, icon.stderr.strip())
    ui.screenshot("run-sh-1-started")
