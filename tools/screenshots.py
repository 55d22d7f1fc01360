# SPDX-License-Identifier: GPL-3.0-or-later
"""UI scenario that takes the AppStream screenshots (data/screenshots/*.png) from the real
app: the main window with an address typed in, and an echo test call with its connection
details. Run it through tools/screenshots.sh, which sets up Xvfb/AT-SPI via tests/ui/run-ui.py
and copies the results into data/screenshots/."""
import os
import re

import gi
import pyatspi

gi.require_version("Atspi", "2.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import Atspi, GdkPixbuf  # noqa: E402

import trvui  # noqa: E402
from trvui_calls import AUDIO_ENV  # noqa: E402


def window_shot(ui, frame, name):
    """Screenshot of the whole screen, cropped to the window, as artifacts/NAME.png."""
    full = ui.screenshot(name + "-screen")
    r = frame.get_extents(Atspi.CoordType.SCREEN)
    pb = GdkPixbuf.Pixbuf.new_from_file(full)
    x, y = max(r.x, 0), max(r.y, 0)
    w, h = min(r.width, pb.get_width() - x), min(r.height, pb.get_height() - y)
    assert w > 100 and h > 100, f"window extents {r.x},{r.y} {r.width}x{r.height}"
    out = os.path.join(ui.artifacts, name + ".png")
    pb.new_subpixbuf(x, y, w, h).savev(out, "png", [], [])
    print(f"saved {out} ({w}x{h})", flush=True)


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.find(pyatspi.ROLE_LABEL, "No calls yet", root=frame)
    ui.find(pyatspi.ROLE_LABEL, "No account", root=frame)
    field = ui.find(pyatspi.ROLE_TEXT, "Number or address", root=frame)
    ui.set_text(field, "sip:bob@example.org")
    window_shot(ui, frame, "dialer")

    ui.set_text(field, "")
    echo = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Echo Test", root=frame)
    ui.focus(echo)
    ui.press("Return")
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
    ui.find(pyatspi.ROLE_LABEL, re.compile(r"^(opus|G722|PCMU|PCMA), "), root=frame, timeout=10)
    ui.find(pyatspi.ROLE_LABEL, "Direct", root=frame, timeout=10)
    trvui.wait_for(lambda: ui.find_all(pyatspi.ROLE_LABEL, re.compile(r"^0:0[4-9]$"), root=frame),
                   15, "the call timer and the quality figures to settle")
    window_shot(ui, frame, "call")
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
