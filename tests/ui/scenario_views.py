# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12: the main window like GNOME Calls, and narrow widths (item 8).
- The window opens on the Dial Pad view with the number field focused; Recent, Contacts and
  Dial Pad are switched by keyboard (Tab to the view switcher, Space), and only the view on
  screen is in the accessibility tree.
- Without calls Recent reads "No Recent Calls" and one line of help; without contacts
  Contacts reads "No Contacts" and where they come from.
- At 360 px (the X window resized as a user would) the window is no wider than 360, every
  control of the main window, the call view and the Preferences' Network page (each NAT
  mode) lies inside it, and the key labels (view names, call buttons, the NAT mode value)
  keep the width they have in a wide window: nothing ellipsized ("I…")."""
import time

import pyatspi

import trvui
from trvui import extents
from trvui_calls import AUDIO_ENV, CONTROL_ROLES, home_page_shows
from trvui_prefs import open_preferences, show_page

WIDE, NARROW, HEIGHT = 900, 360, 720
NAT_MODES = ("None", "STUN", "TURN", "ICE", "Automatic")


def on_screen(acc):
    x, y, w, h = extents(acc)
    return w > 0 and h > 0


def inside(inner, outer):
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return w > 0 and h > 0 and x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


def view_tab(ui, frame, name):
    """The view switcher's button for a view, of the switcher on screen (the header bar's
    when the window is wide, the bottom bar's when narrow). The others are unmapped, which
    GTK 4.8 does not tell: an unrevealed bar has no size, and the header bar's squeezer
    keeps a size for its wide switcher even while it shows the narrow title instead."""
    def look():
        win = extents(frame)
        tabs = [t for t in ui.find_all(pyatspi.ROLE_PAGE_TAB, name, root=frame)
                if trvui.has_state(t, pyatspi.STATE_FOCUSABLE) and inside(extents(t), win)]
        bar = [t for t in tabs if any(a.name == "GtkActionBar" for a in trvui.ancestors(t))]
        if bar:
            return bar[0]
        return tabs[0] if tabs else None
    try:
        return trvui.wait_for(look, 5, f"one {name!r} view button on screen")
    except trvui.UiTimeout:
        for t in ui.find_all(pyatspi.ROLE_PAGE_TAB, name, root=frame):
            print(trvui.describe(t), extents(t), [trvui.describe(a)
                                                   for a in trvui.ancestors(t)[:3]])
        raise


def switch_view(ui, frame, name):
    """By keyboard: Tab to the view's button, Space."""
    tab = view_tab(ui, frame, name)
    ui.focus(tab)
    ui.press("space")
    trvui.wait_for(lambda: trvui.has_state(tab, pyatspi.STATE_SELECTED), 5, f"the {name} view")


def assert_inside(ui, window, what, root=None):
    """Every control on screen (below root) lies inside the window's width."""
    wx, _, ww, _ = extents(window)
    assert ww <= NARROW, f"{what}: the window is {ww} px wide at {NARROW} px"
    cut = []
    for acc in ui.find_all(CONTROL_ROLES + (pyatspi.ROLE_PAGE_TAB,),
                           root=root if root is not None else window):
        try:
            if not on_screen(acc):
                continue
            if any(a.name == "AdwSqueezer" for a in trvui.ancestors(acc)):
                continue  # what the header bar's squeezer does not show keeps a size
            x, _, w, _ = extents(acc)
            if x < wx or x + w > wx + ww:
                cut.append(f"{trvui.describe(acc)} at x={x} w={w}")
        except Exception:  # noqa: BLE001 -- an object that went away while we looked
            continue
    assert not cut, f"{what}: outside the {ww} px window: " + "; ".join(cut)


def label_widths(ui, root, names):
    # Only labels that get their natural width: a label filling a wider box narrows with
    # the window without losing any text.
    return {n: extents(ui.find(pyatspi.ROLE_LABEL, n, root=root, pred=on_screen))[2]
            for n in names}


def assert_not_shortened(ui, title, root, names, what):
    """The labels are as wide at NARROW as at WIDE: their full text, not ellipsized."""
    ui.resize_window(title, WIDE, HEIGHT)
    wide = label_widths(ui, root, names)
    ui.resize_window(title, NARROW, HEIGHT)
    narrow = label_widths(ui, root, names)
    short = {n: (narrow[n], wide[n]) for n in names if narrow[n] < wide[n]}
    assert not short, f"{what}: labels shortened at {NARROW} px (narrow, wide): {short}"
    return narrow


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")

    # ---- Views: the Dial Pad first, switched by keyboard, only the one on screen read.
    entry = home_page_shows(ui, frame)
    assert trvui.has_state(entry, pyatspi.STATE_FOCUSED), "the number field has no focus"
    switch_view(ui, frame, "Recent")
    ui.find(pyatspi.ROLE_LABEL, "No Recent Calls", root=frame)
    ui.find(pyatspi.ROLE_LABEL, "Calls you make and receive appear here", root=frame)
    assert not ui.exists(pyatspi.ROLE_TEXT, "Number or address", root=frame), \
        "the Dial Pad's number field is still in the tree on the Recent view"
    ui.screenshot("view-recent")
    switch_view(ui, frame, "Contacts")
    ui.find(pyatspi.ROLE_LABEL, "No Contacts", root=frame, timeout=15)
    ui.find(pyatspi.ROLE_LABEL, "Contacts with a phone number or SIP address in GNOME "
            "Contacts appear here", root=frame)
    assert not ui.exists(pyatspi.ROLE_LABEL, "No Recent Calls", root=frame), \
        "the Recent view's empty state is still in the tree on the Contacts view"
    switch_view(ui, frame, "Dial Pad")
    home_page_shows(ui, frame)

    # ---- 360 px: the main window (each view), the call view, the Preferences.
    views = ("Recent", "Contacts", "Dial Pad")
    assert_not_shortened(ui, "Traverse", frame, ("Echo Test",) + views,
                         "main window")
    print(f"main window at {NARROW} px: {extents(frame)}", flush=True)
    for name in views:
        switch_view(ui, frame, name)
        assert_inside(ui, frame, f"{name} view")
    switch_view(ui, frame, "Dial Pad")
    ui.screenshot("main-360")

    ui.press("ctrl+e")
    hang_up = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame, timeout=20)
    assert_not_shortened(ui, "Traverse", frame, ("Mute", "Hold", "Keypad", "Hang Up"),
                         "call view")
    time.sleep(0.5)
    print(f"call view at {NARROW} px: {extents(frame)}", flush=True)
    assert_inside(ui, frame, "call view")
    ui.screenshot("call-360")
    ui.activate(hang_up)
    home_page_shows(ui, frame)

    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)
    # The page alone: the Preferences' other pages keep the sizes they last had.
    page = next(a for a in trvui.ancestors(mode) if a.getRole() == pyatspi.ROLE_SCROLL_PANE)
    for name in NAT_MODES:
        ui.choose(mode, name)
        trvui.wait_for(lambda: ui.combo_value(mode) == name, 5, f"mode {name}")
        assert_not_shortened(ui, "Preferences", mode, (name,), f"NAT mode {name}")
        assert_inside(ui, prefs, f"Preferences, NAT mode {name}", root=page)
    print(f"Preferences at {NARROW} px: {extents(prefs)}", flush=True)
