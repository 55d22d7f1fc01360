# SPDX-License-Identifier: GPL-3.0-or-later
"""UI scenario that takes the AppStream screenshots (data/screenshots/*.png) from the real
app: the main window (Recent view after an echo test, and the Dial Pad with an address typed
in), an echo test call at 360 px wide, and the Preferences' Network page in each NAT mode.
Run it through tools/screenshots.sh, which sets up Xvfb/AT-SPI via tests/ui/run-ui.py and
copies the results into data/screenshots/."""
import os
import re

import gi
import pyatspi

gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf  # noqa: E402

import trvui  # noqa: E402
from trvui_calls import AUDIO_ENV, home_page_shows, recent_rows  # noqa: E402
from trvui_prefs import open_preferences, show_page  # noqa: E402

HEIGHT = 760
NAT_MODES = ("None", "STUN", "TURN", "ICE", "Automatic")


def pointer_away():
    """The X pointer (drawn by Xvfb in the middle of the screen) to the far corner, out of
    the windows at 0,0."""
    import ctypes
    x11 = ctypes.CDLL("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XWarpPointer.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int,
                                 ctypes.c_int, ctypes.c_uint, ctypes.c_uint, ctypes.c_int,
                                 ctypes.c_int]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(None)
    assert dpy, "cannot open the X display"
    try:
        x11.XWarpPointer(dpy, 0, x11.XDefaultRootWindow(dpy), 0, 0, 0, 0, 1270, 890)
        x11.XSync(dpy, 0)
    finally:
        x11.XCloseDisplay(dpy)


def window_shot(ui, title, width, name):
    """The window `title` resized to width x HEIGHT (no window manager: it sits at 0,0),
    the screen cropped to it, as artifacts/NAME.png."""
    ui.resize_window(title, width, HEIGHT)
    full = ui.screenshot(name + "-screen")
    pb = GdkPixbuf.Pixbuf.new_from_file(full)
    out = os.path.join(ui.artifacts, name + ".png")
    pb.new_subpixbuf(0, 0, width, HEIGHT).savev(out, "png", [], [])
    print(f"saved {out} ({width}x{HEIGHT})", flush=True)


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    pointer_away()
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    home_page_shows(ui, frame)
    ui.resize_window("Traverse", 360, HEIGHT)

    # The call view at 360 px: an echo test with its connection details.
    ui.press("ctrl+e")
    ui.find(pyatspi.ROLE_LABEL, re.compile(r"^(opus|G722|PCMU|PCMA), "), root=frame, timeout=20)
    ui.find(pyatspi.ROLE_LABEL, "Direct", root=frame, timeout=10)
    trvui.wait_for(lambda: ui.find_all(pyatspi.ROLE_LABEL, re.compile(r"^0:0[4-9]$"), root=frame),
                   15, "the call timer and the quality figures to settle")
    window_shot(ui, "Traverse", 360, "call-360")
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))

    # The main window: Recent with that call, then the Dial Pad with an address typed in.
    home_page_shows(ui, frame)
    trvui.wait_for(lambda: recent_rows(ui, frame), 10, "the echo test in Recent")
    window_shot(ui, "Traverse", 480, "main-recent")
    field = home_page_shows(ui, frame)
    ui.set_text(field, "sip:bob@example.org")
    window_shot(ui, "Traverse", 480, "main-dial-pad")

    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)
    # Example servers, as a user would type them (TURN needs its credentials too).
    values = {"STUN": {"STUN server": "stun.example.org"},
              "TURN": {"TURN server": "turn.example.org", "TURN user name": "alice",
                       "TURN password": "secret"}}
    for name in NAT_MODES:
        ui.choose(mode, name)
        for field, value in values.get(name, {}).items():
            ui.set_text(ui.find(pyatspi.ROLE_TEXT, field, root=prefs), value)
            ui.press("Return")
        # Complete values: no inline error left (a field is checked as it is typed).
        trvui.wait_for(lambda: not ui.exists(pyatspi.ROLE_LIST_ITEM, re.compile("^missing"),
                                             root=prefs), 10, f"mode {name} without errors")
        window_shot(ui, "Preferences", 640, "network-" + name.lower())
