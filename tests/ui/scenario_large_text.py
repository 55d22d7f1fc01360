# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 4: usable with large text and high contrast.

Three runs of the app on the same Xvfb screen:
1. normal: the sizes of a label and the Echo Test button, a screenshot crop of the button;
2. high contrast only, set as the desktop does: GSettings org.gnome.desktop.a11y.interface
   high-contrast (libadwaita 1.2 reads it when no settings portal answers -- the harness
   disables the portal): same layout, so the Echo Test button's pixels must differ from run 1,
   which proves the high-contrast style took effect (they are equal without the setting);
3. high contrast + large text: `Xft.dpi: 144` in the X resources (GTK 4 on X11 without an
   XSETTINGS manager reads gtk-xft-dpi from there at start; org.gnome.desktop.interface
   text-scaling-factor has no effect here, tried): the label must be >= 1.4x as tall as in
   run 1, the main controls on screen inside the window (or inside the scrolled page), and an
   echo test call placed and hung up by keyboard."""
import os
import subprocess

import gi
import pyatspi

gi.require_version("Atspi", "2.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import Atspi, GdkPixbuf  # noqa: E402

import trvui  # noqa: E402
from trvui_calls import AUDIO_ENV, assert_controls_named, home_page_shows  # noqa: E402



def extents(acc):
    """(x, y, w, h) on the screen, from AT-SPI Component."""
    r = acc.get_extents(Atspi.CoordType.SCREEN)
    return (r.x, r.y, r.width, r.height)


def inside(inner, outer):
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


def scroll_pane_of(acc):
    for a in trvui.ancestors(acc):
        if a.getRole() == pyatspi.ROLE_SCROLL_PANE:
            return a
    return None


def main_controls(ui, frame):
    return {
        "number field": ui.find(pyatspi.ROLE_TEXT, "Number or address", root=frame),
        "call button": ui.find(pyatspi.ROLE_PUSH_BUTTON, "Call", root=frame),
        "echo test button": ui.find(pyatspi.ROLE_PUSH_BUTTON, "Echo Test", root=frame),
        "menu button": ui.find(pyatspi.ROLE_PUSH_BUTTON, "Main menu", root=frame,
                               pred=lambda a: a.getState().contains(pyatspi.STATE_FOCUSABLE)),
    }


def assert_usable(ui, frame, controls):
    """Each control has a size on screen and lies inside the window, or inside a scroll
    pane that itself lies inside the window (reachable by scrolling)."""
    win = extents(frame)
    for what, acc in controls.items():
        box = extents(acc)
        assert box[2] > 0 and box[3] > 0, f"{what} has no size on screen: {box}"
        if inside(box, win):
            continue
        pane = scroll_pane_of(acc)
        assert pane is not None and inside(extents(pane), win), \
            f"{what} at {box} is outside the window {win} and not in a scrolled page"


def crop_pixels(path, box):
    x, y, w, h = box
    pb = GdkPixbuf.Pixbuf.new_from_file(path)
    assert x >= 0 and y >= 0 and x + w <= pb.get_width() and y + h <= pb.get_height(), \
        f"{box} is off the screenshot"
    return pb.new_subpixbuf(x, y, w, h).copy().get_pixels()


def settled_crop(ui, name, box):
    """(screenshot path, pixels of `box`) once two screenshots in a row agree there: under
    load the first frame may not be painted yet. Bounded: 10 tries."""
    last = None
    for _ in range(10):
        path = ui.screenshot(name)
        pixels = crop_pixels(path, box)
        if pixels == last:
            return path, pixels
        last = pixels
    raise AssertionError(f"{name}: the window kept changing at {box}")


def set_xft_dpi(dpi):
    """Into the X server's RESOURCE_MANAGER, read by apps that start afterwards."""
    r = subprocess.run(["xrdb", "-merge"], input=f"Xft.dpi: {dpi}\n", text=True,
                       capture_output=True, timeout=10)
    assert r.returncode == 0, f"xrdb -merge failed: {r.stderr}"
    q = subprocess.run(["xrdb", "-query"], text=True, capture_output=True, timeout=10)
    assert f"Xft.dpi:\t{dpi}" in q.stdout, q.stdout


def run(ui):
    if not os.access("/usr/bin/xrdb", os.X_OK):
        raise trvui.Skip("xrdb not found (install the x11-xserver-utils package)")

    # 1. Normal.
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.find(pyatspi.ROLE_LABEL, "No account", root=frame)  # laid out, the agent running
    label = ui.find(pyatspi.ROLE_LABEL, "Number or address", root=frame)
    normal_label = extents(label)
    normal_echo = extents(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Echo Test", root=frame))
    _, normal_pixels = settled_crop(ui, "large-text-0-normal", normal_echo)
    ui.stop_app()

    # 2. High contrast, normal text size: same layout, different pixels.
    ui.run_cmd(["gsettings", "set", "org.gnome.desktop.a11y.interface", "high-contrast",
                "true"])
    got = ui.run_cmd(["gsettings", "get", "org.gnome.desktop.a11y.interface",
                      "high-contrast"]).stdout.strip()
    assert got == "true", f"high-contrast did not persist (no dconf service?): {got}"
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.find(pyatspi.ROLE_LABEL, "No account", root=frame)  # laid out, the agent running
    hc_echo = extents(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Echo Test", root=frame))
    assert hc_echo == normal_echo, (normal_echo, hc_echo)
    _, hc_pixels = settled_crop(ui, "large-text-1-high-contrast", hc_echo)
    assert normal_pixels != hc_pixels, \
        "the Echo Test button looks the same with high-contrast set: " \
        "high contrast did not take effect"
    ui.stop_app()

    # 3. High contrast and large text (1.5x: 144 dpi instead of 96).
    set_xft_dpi(144)
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.find(pyatspi.ROLE_LABEL, "No account", root=frame)  # laid out, the agent running
    label = ui.find(pyatspi.ROLE_LABEL, "Number or address", root=frame)
    large_label = extents(label)
    ratio = large_label[3] / normal_label[3]
    print(f"label height normal {normal_label[3]} px, large {large_label[3]} px "
          f"({ratio:.2f}x)", flush=True)
    assert ratio >= 1.4, f"large text did not take effect: {normal_label} -> {large_label}"
    controls = main_controls(ui, frame)
    assert_usable(ui, frame, controls)
    assert_controls_named(ui, frame)
    ui.screenshot("large-text-2-main-window")

    # An echo test call by keyboard only.
    ui.focus(controls["echo test button"])
    ui.press("Return")
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
    ui.wait_description(frame, "Connected", timeout=5)
    hangup = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame)
    assert_usable(ui, frame, {"hang up button": hangup})
    ui.screenshot("large-text-3-call-view")
    ui.focus(hangup)
    ui.press("Return")
    home_page_shows(ui, frame)
    ui.wait_description(frame, "Call ended.", timeout=5)
    ui.screenshot("large-text-4-after-call")
