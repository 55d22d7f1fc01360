# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for driving Traverse through the accessibility tree (AT-SPI), as a screen-reader
user would: find widgets by role and name with a bounded wait, press keys, type, invoke
accessible actions, read text, take screenshots. Used by the scenarios in tests/ui/ through
run-ui.py, which sets up Xvfb, the session bus, AT-SPI and gnome-keyring.

Roles are pyatspi role constants (pyatspi.ROLE_PUSH_BUTTON, ...). Names compare exactly
unless a compiled regex or a callable is given.
"""

import contextlib
import os
import re
import signal
import subprocess
import time

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402
import pyatspi  # noqa: E402

# Re-exported: the scenarios use trvui.children, trvui.iter_tree, trvui.matches.
from trvui_tree import (_name_matches, children, first_label, iter_tree,  # noqa: F401
                        matches, search)

DEBUG = bool(os.environ.get("TRV_UI_DEBUG"))
DEFAULT_TIMEOUT = float(os.environ.get("TRV_UI_TIMEOUT", "15"))

TEXT_ROLES = (pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_ENTRY)

# X keycodes of the modifiers in Xvfb's default (evdev-style pc105) keymap.
MODIFIER_KEYCODES = {"ctrl": 37, "shift": 50, "alt": 64, "super": 133}


class Skip(Exception):
    """Raised by a scenario that cannot run here (missing server etc.): exit 77."""


class UiTimeout(AssertionError):
    pass


def wait_for(fn, timeout, what, interval=0.1):
    """Polls fn() until it returns a true value (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = fn()
            if value:
                return value
        except GLib.Error as e:  # an accessible that went away while we looked
            last_exc = e
        if time.monotonic() >= deadline:
            extra = f" (last error: {last_exc})" if last_exc else ""
            raise UiTimeout(f"timed out after {timeout:.0f}s waiting for {what}{extra}")
        time.sleep(interval)


def _session_bus():
    return Gio.bus_get_sync(Gio.BusType.SESSION, None)


def bus_has_name(name):
    reply = _session_bus().call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "NameHasOwner",
                                     GLib.Variant("(s)", (name,)), GLib.VariantType("(b)"),
                                     Gio.DBusCallFlags.NONE, 2000, None)
    return reply.unpack()[0]


def a11y_bus_ready():
    try:
        reply = _session_bus().call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                         "GetAddress", None, GLib.VariantType("(s)"),
                                         Gio.DBusCallFlags.NONE, 2000, None)
    except GLib.Error:
        return False
    return bool(reply.unpack()[0])


def describe(acc):
    try:
        return f"[{acc.getRoleName()} '{acc.name}']"
    except GLib.Error:
        return "[defunct]"


def is_showing(acc):
    # GTK 4.8 sets SHOWING on windows only; VISIBLE is what it keeps up to date below them.
    try:
        return acc.getState().contains(pyatspi.STATE_VISIBLE)
    except GLib.Error:
        return False


def has_state(acc, state):
    return acc.getState().contains(state)


def ancestors(acc):
    out = []
    cur = acc
    for _ in range(200):
        try:
            cur = cur.parent
        except GLib.Error:
            break
        if cur is None:
            break
        out.append(cur)
    return out


def _same(a, b):
    try:
        return a.path == b.path and a.get_bus_name() == b.get_bus_name()
    except (AttributeError, GLib.Error):
        return a == b


def _child_towards(container, acc):
    """The child of container on the path down to acc (acc itself if a child), or None."""
    prev = acc
    for anc in ancestors(acc):
        if _same(anc, container):
            return prev
        prev = anc
    return None


def _index_in(container, child):
    try:
        return child.getIndexInParent()
    except GLib.Error:
        return -1


def text_of(acc):
    """The text of a text widget, else its accessible name."""
    try:
        t = acc.queryText()
        return t.getText(0, t.characterCount)
    except (NotImplementedError, GLib.Error):
        return acc.name


class Ui:
    def __init__(self, app, schema_dir, artifacts, home, build_root="", source_root="",
                 log=None):
        self.app_path = app
        self.schema_dir = schema_dir
        self.artifacts = artifacts
        self.home = home
        self.build_root = build_root
        self.source_root = source_root
        self.log = log
        self.proc = None
        self.app = None
        self._runs = 0
        self._shots = 0
        self._x_focused = None

    # ---- environment -------------------------------------------------------------------
    def app_env(self, extra=None):
        env = dict(os.environ)
        env.update({
            "GSETTINGS_SCHEMA_DIR": self.schema_dir,
            "GDK_BACKEND": "x11",
            "GSK_RENDERER": "cairo",          # Xvfb has no GL worth using
            "GTK_A11Y": "atspi",
            "GTK_USE_PORTAL": "0",
            "ADW_DISABLE_PORTAL": "1",
            "LANG": "C.UTF-8",
            "LANGUAGE": "",
            "SU_DEBUG": "0",
        })
        if extra:
            env.update(extra)
        return env

    def run_cmd(self, argv, check=True, timeout=20, **kw):
        """Runs a helper command (gsettings, secret-tool...) in the test session."""
        r = subprocess.run(argv, env=self.app_env(), capture_output=True, text=True,
                           timeout=timeout, **kw)
        if check and r.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()}")
        return r

    # ---- the app -------------------------------------------------------------------------
    def start_app(self, args=(), env=None, timeout=DEFAULT_TIMEOUT, command=None, unset=()):
        """Starts the app and waits until its first window is on the accessibility tree.
        command: a launcher that execs the app (same pid) instead of the app itself;
        unset: variables of the test environment the launcher must set up itself."""
        assert self.proc is None, "app already running"
        self._runs += 1
        logf = open(os.path.join(self.artifacts, f"app-{self._runs}.log"), "w")
        app_env = self.app_env(env)
        for name in unset:
            app_env.pop(name, None)
        self.proc = subprocess.Popen([*(command or [self.app_path]), *args], env=app_env,
                                     stdout=logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        logf.close()
        pid = self.proc.pid

        def find_app():
            if self.proc.poll() is not None:
                raise AssertionError(f"app exited with {self.proc.returncode} at start "
                                     f"(see app-{self._runs}.log)")
            desktop = pyatspi.Registry.getDesktop(0)
            for a in children(desktop):
                try:
                    if a.get_process_id() == pid:
                        return a
                except GLib.Error:
                    continue
            return None
        self.app = wait_for(find_app, timeout, "the app on the accessibility bus")
        self.find(pyatspi.ROLE_FRAME, timeout=timeout, root=self.app)
        return self.app

    def app_log(self):
        """What the app (the last one started) has written to its log so far."""
        with open(os.path.join(self.artifacts, f"app-{self._runs}.log"), errors="replace") as f:
            return f.read()

    def stop_app(self, timeout=10):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
            except ProcessLookupError:
                pass
        self.proc = None
        self.app = None
        self._x_focused = None

    def wait_app_exit(self, timeout=DEFAULT_TIMEOUT):
        """For a scenario that quits through the UI: waits for a clean exit."""
        rc = self.proc.wait(timeout=timeout)
        self.proc = None
        self.app = None
        return rc

    def close(self):
        self.stop_app()

    # ---- finding -------------------------------------------------------------------------
    def find(self, role=None, name=None, root=None, timeout=DEFAULT_TIMEOUT, showing=True,
             description=None, pred=None):
        """First descendant of root (default: the app) with that role/name, waiting up to
        timeout seconds for it to appear."""
        what = f"{Atspi.role_get_name(role) if role is not None else 'any role'} " \
               f"named {name!r}" + (f" below {describe(root)}" if root is not None else "")

        def look():
            base = root if root is not None else self.app
            found = search(base, role, name, description, pred, showing, first=True)
            return found[0] if found else None
        return wait_for(look, timeout, what)

    def find_all(self, role=None, name=None, root=None, showing=True, description=None,
                 pred=None, state=None):
        """Every descendant of root (default: the app) that matches, in one walk; role
        may be a tuple of roles, state one they must have."""
        base = root if root is not None else self.app
        return search(base, role, name, description, pred, showing, state=state)

    def exists(self, role=None, name=None, root=None, showing=True):
        base = root if root is not None else self.app
        return bool(search(base, role, name, showing=showing, first=True, nodes=True))

    def wait_gone(self, role=None, name=None, root=None, timeout=DEFAULT_TIMEOUT):
        wait_for(lambda: not self.exists(role, name, root), timeout,
                 f"{Atspi.role_get_name(role) if role is not None else 'widget'} "
                 f"{name!r} to disappear")

    def windows(self):
        """The app's top-level windows that are showing."""
        return [w for w in children(self.app) if is_showing(w)]

    def find_window(self, name, timeout=DEFAULT_TIMEOUT):
        def look():
            for w in children(self.app):
                if is_showing(w) and _name_matches(w.name, name):
                    return w
            return None
        return wait_for(look, timeout, f"a window named {name!r}")

    # ---- acting --------------------------------------------------------------------------
    def action_names(self, acc):
        try:
            a = acc.queryAction()
        except NotImplementedError:
            return []
        return [a.getName(i) for i in range(a.nActions)]

    def activate(self, acc, prefer=("click", "activate", "press", "toggle")):
        """Invokes the widget's accessible action (a click, as Orca's 'activate' does)."""
        try:
            a = acc.queryAction()
        except NotImplementedError:
            raise AssertionError(f"{describe(acc)} has no accessible action")
        names = [a.getName(i) for i in range(a.nActions)]
        for want in prefer:
            if want in names:
                a.doAction(names.index(want))
                return
        if not names:
            raise AssertionError(f"{describe(acc)} has no accessible action")
        a.doAction(0)

    def focused(self, root=None):
        """The accessible that has the keyboard focus (below root / the app), or None."""
        base = root if root is not None else self.app
        found = search(base, state=pyatspi.STATE_FOCUSED, first=True)
        return found[0] if found else None

    def _text_with_focus(self, window, texts=None):
        """GTK 4.8 never reports STATE_FOCUSED on the text field inside an AdwEntryRow or
        AdwPasswordEntryRow. Find out which text field (if any) has the keyboard focus by
        typing one character, seeing which field changed, and erasing it again."""
        if texts is None:
            texts = search(window, TEXT_ROLES)
        before = [text_of(t) for t in texts]
        # Tab into a field selects its text, and typing would replace it: End first
        # (only text fields leave the focus unreported, so End lands in one).
        self.press("End")
        self.type_text("~")
        time.sleep(0.1)
        hit = None
        for t, old in zip(texts, before):
            if text_of(t) != old:
                hit = t
                break
        if hit is not None:
            old = before[texts.index(hit)]
            self.press("BackSpace")
            wait_for(lambda: text_of(hit) == old, 3,
                     f"{describe(hit)} to be restored after the focus probe "
                     f"(reads {text_of(hit)!r}, was {old!r})")
        return hit

    def focus(self, acc, max_keys=80):
        """Moves the keyboard focus to acc with the keyboard, as a user would: Tab along
        the focus chain, arrow keys between the rows of a list (GtkListBox keeps its rows
        out of the Tab chain). GTK 4.8 does not implement Component.GrabFocus. Bounded."""
        is_text = acc.getRole() in TEXT_ROLES
        chain = ancestors(acc)
        # Look for the focus only in the scrolled page that holds acc: GTK 4.8 has no
        # AT-SPI cache, every node costs D-Bus round trips, and a window's hidden stack
        # pages still count as "visible". Focus elsewhere (a tab, the header) reads as
        # "not in this page" and the next Tab moves on.
        window = next((a for a in chain if a.getRole() == pyatspi.ROLE_SCROLL_PANE), None)
        if window is None:
            window = chain[-2] if len(chain) >= 2 else self.app
        lst = next((a for a in chain if a.getRole() == pyatspi.ROLE_LIST), None)
        row_t = _child_towards(lst, acc) if lst is not None else None
        target = _index_in(lst, row_t) if row_t is not None else None
        texts = None
        last = (None, None, None)   # key, row, focused accessible before it
        blind = 0                   # arrows pressed in a row without a reported focus
        for _ in range(max_keys):
            if has_state(acc, pyatspi.STATE_FOCUSED):
                return
            cur = self.focused(window)
            if cur is None and is_text:
                if texts is None:
                    texts = search(window, TEXT_ROLES)
                cur = self._text_with_focus(window, texts)
                if cur is not None and _same(cur, acc):
                    return
            cur_row = _child_towards(lst, cur) if (lst is not None and cur is not None) else None
            pos = _index_in(lst, cur_row) if cur_row is not None else None
            if cur is None and last[0] in ("Down", "Up") and blind < 2:
                # An arrow moved into an entry row, whose text never reports the focus:
                # the same arrow goes on to the next row (Tab would leave the list).
                blind += 1
                key = last[0]
                if DEBUG:
                    print(f"focus {describe(acc)}: on an unreported field -> {key}", flush=True)
                last = (key, None, None)
                self.press(key)
                continue
            blind = 0
            if target is not None and pos is not None and pos != target:
                stuck = last[0] in ("Down", "Up") and last[1] == pos and last[2] is not None \
                    and _same(last[2], cur)
                if stuck and not _same(cur_row, cur):
                    # An arrow did not move off a button inside a row (a switch or a
                    # codec button): Shift+Tab goes back to the row, whose arrows work.
                    key = "shift+Tab"
                else:
                    key = "Down" if pos < target else "Up"
            else:
                key = "Tab"
            if DEBUG:
                print(f"focus {describe(acc)}: on {describe(cur) if cur else None} row {pos} "
                      f"target {target} -> {key}", flush=True)
            last = (key, pos, cur)
            self.press(key)
        if has_state(acc, pyatspi.STATE_FOCUSED):
            return
        raise AssertionError(f"{describe(acc)} not reached by keyboard in {max_keys} keys")

    def _sync_x_focus(self):
        """There is no window manager under Xvfb, so nothing moves the X keyboard focus to
        a newly presented window (a dialog, the preferences): do what a WM would and give
        the X focus to the window GTK considers active."""
        if self.app is None:
            return
        windows = children(self.app)
        showing = [w for w in windows if has_state(w, pyatspi.STATE_SHOWING)]
        active = [w for w in showing if has_state(w, pyatspi.STATE_ACTIVE)]
        # GTK 4.8 never marks an AdwMessageDialog showing (nor active), and one closed
        # may still read visible: a modal dialog whose X window (found by its title) is
        # mapped is where a WM would put the focus, over its parent.
        pid = self.proc.pid if self.proc else None
        for w in reversed(windows):
            if has_state(w, pyatspi.STATE_MODAL) and not has_state(w, pyatspi.STATE_SHOWING) \
                    and has_state(w, pyatspi.STATE_VISIBLE) and w.name \
                    and _x_window_for(w.name, pid) is not None:
                active = [w]
                break
        if not active:
            # The focused window went away (a dialog closed) and X reverted the focus to
            # the root: a WM would focus the window below, the newest one still showing.
            if not showing:
                return
            active = showing[-1:]
            self._x_focused = None
        title = active[0].name
        if title == self._x_focused:
            return
        xid = _x_window_for(title, self.proc.pid if self.proc else None)
        if xid is not None:
            _x_set_input_focus(xid)
            self._x_focused = title
            time.sleep(0.1)

    def resize_window(self, title, width, height):
        """Asks X for a new size of the app's window `title`, as a user dragging its edge
        would (no window manager: straight to the X server). GTK then lays the window out
        again, or grows it back to its minimum size: read the result with extents()."""
        xid = _x_window_for(title, self.proc.pid if self.proc else None)
        assert xid is not None, f"no X window titled {title!r}"
        _x_resize(xid, width, height)
        time.sleep(0.5)  # a configure event and a new layout

    def press(self, combo):
        """Presses a key or chord, e.g. "Return", "Escape", "ctrl+comma", "shift+Tab"."""
        self._sync_x_focus()
        parts = combo.split("+")
        key = parts[-1]
        mods = [MODIFIER_KEYCODES[m.lower()] for m in parts[:-1]]
        keysym = Gdk_keyval_from_name(key)
        for code in mods:
            pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESS)
        pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
        for code in reversed(mods):
            pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_RELEASE)
        time.sleep(0.05)

    def type_text(self, text):
        """Types text into whatever has the keyboard focus."""
        self._sync_x_focus()
        for ch in text:
            pyatspi.Registry.generateKeyboardEvent(0, ch, pyatspi.KEY_STRING)
        time.sleep(0.05)

    def set_text(self, acc, text):
        """Focuses a text field, replaces its content by typing, as a user would."""
        self.focus(acc)
        self.press("ctrl+a")
        self.press("BackSpace")
        if text:
            self.type_text(text)
        wait_for(lambda: text_of(acc) == text, 5,
                 f"{describe(acc)} to read {text!r} (reads {text_of(acc)!r})")

    def text(self, acc):
        return text_of(acc)

    def wait_text(self, acc, wanted, timeout=DEFAULT_TIMEOUT):
        """Waits until the text (or name) of acc matches wanted (str, regex or callable)."""
        return wait_for(lambda: _name_matches(text_of(acc), wanted) and text_of(acc) or
                        (_name_matches(text_of(acc), wanted) and " "), timeout,
                        f"{describe(acc)} to read {wanted!r} (reads {text_of(acc)!r})")

    def wait_description(self, acc, wanted, timeout=DEFAULT_TIMEOUT):
        """Waits until the accessible description of acc matches wanted; returns it."""
        def check():
            d = acc.description
            return (d or " ") if _name_matches(d, wanted) else None
        return wait_for(check, timeout, f"{describe(acc)} description {wanted!r} "
                        f"(is {acc.description!r})")

    def combo_value(self, combo):
        """The item an AdwComboRow / GtkDropDown shows as selected. A row with use-subtitle
        shows it as its subtitle (its accessible description) and has no list of its own,
        only the one in its popover (which lists every item, so it is skipped)."""
        def in_popover(acc):
            while acc is not None and not _same(acc, combo):
                if acc.name in ("GtkPopover", "GtkPopoverContent"):
                    return True
                acc = acc.parent
            return False
        lists = search(combo, pyatspi.ROLE_LIST, pred=lambda a: not in_popover(a), first=True)
        if lists:
            label = first_label(lists[0])
            if label is not None:
                return label
        return combo.description or None

    def _focused_in(self, root):
        """focused(), looked for below root first (a combo's open list is in its popover,
        below the combo), then in the whole app."""
        return self.focused(root) or self.focused()

    def choose(self, combo, item, max_keys=30):
        """Selects `item` in a combo row by keyboard: focus, Return opens the list, arrow
        keys move to the item, Return picks it."""
        if self.combo_value(combo) == item:
            return
        self.focus(combo)
        self.press("Return")
        time.sleep(0.3)
        seen_up = False
        for _ in range(max_keys):
            cur = self._focused_in(combo)
            label = None
            if cur is not None and cur.getRole() == pyatspi.ROLE_LIST_ITEM:
                label = first_label(cur)
            if label == item:
                self.press("Return")
                wait_for(lambda: self.combo_value(combo) == item, 5,
                         f"{describe(combo)} to show {item!r}")
                return
            # Walk down to the end, then up from there: covers items on either side.
            if not seen_up and cur is not None:
                before = label
                self.press("Down")
                after = self._focused_in(combo)
                if after is not None and _same(after, cur) or before is None and after is None:
                    seen_up = True
            else:
                self.press("Up")
        self.press("Escape")
        raise AssertionError(f"item {item!r} not found in {describe(combo)}")

    # ---- artifacts -----------------------------------------------------------------------
    def screenshot(self, name):
        """Saves the whole X screen as artifacts/NAME.png (ximagesrc from GStreamer)."""
        self._shots += 1
        path = os.path.join(self.artifacts, f"{name}.png")
        time.sleep(0.3)  # let the last frame paint
        subprocess.run(["gst-launch-1.0", "-q", "ximagesrc",
                        f"display-name={os.environ['DISPLAY']}", "use-damage=false",
                        "num-buffers=1", "!", "videoconvert", "!", "pngenc", "!",
                        "filesink", f"location={path}"],
                       check=True, timeout=30, capture_output=True)
        return path

    def dump_tree(self, path, root=None):
        base = root if root is not None else self.app
        with open(path, "w") as f:
            def walk(acc, depth):
                if depth > 60:
                    return
                try:
                    states = [Atspi.StateType(s).value_nick for s in acc.getState().getStates()]
                    f.write(f"{'  ' * depth}{acc.getRoleName()} name={acc.name!r} "
                            f"desc={acc.description!r} states={','.join(states)} "
                            f"actions={self.action_names(acc)}\n")
                except GLib.Error as e:
                    f.write(f"{'  ' * depth}<error {e}>\n")
                    return
                for c in children(acc):
                    walk(c, depth + 1)
            if base is not None:
                walk(base, 0)

    def save_failure_artifacts(self):
        try:
            self.screenshot("failure")
        except Exception as e:  # noqa: BLE001 -- best effort while reporting another error
            print(f"(no failure screenshot: {e})")
        try:
            if self.app is not None:
                self.dump_tree(os.path.join(self.artifacts, "failure-tree.txt"))
        except Exception as e:  # noqa: BLE001
            print(f"(no tree dump: {e})")

    # ---- settings and secrets ------------------------------------------------------------
    def gsettings_dump(self):
        """Everything the app's schemas hold, as `gsettings list-recursively` prints it,
        including the per-account relocatable schemas."""
        out = self.run_cmd(["gsettings", "list-recursively", "io.github.traverse.Traverse"]).stdout
        accounts = self.run_cmd(["gsettings", "get", "io.github.traverse.Traverse",
                                 "accounts"]).stdout
        for acc_id in re.findall(r"'([^']*)'", accounts):
            out += self.run_cmd(["gsettings", "list-recursively",
                                 "io.github.traverse.Traverse.Account:"
                                 f"/io/github/traverse/Traverse/accounts/{acc_id}/"]).stdout
        return out

    def secret_lookup(self, **attrs):
        argv = ["secret-tool", "lookup"]
        for k, v in attrs.items():
            argv += [k, v]
        r = self.run_cmd(argv, check=False)
        return r.stdout if r.returncode == 0 else None


def _x_window_for(title, pid):
    """The mapped X top-level window with that title (and _NET_WM_PID, if given)."""
    out = subprocess.run(["xwininfo", "-root", "-children", "-int"], capture_output=True,
                         text=True, timeout=10).stdout
    for m in re.finditer(r'^\s+(\d+) "(.*)":', out, re.M):
        if m.group(2) != title:
            continue
        xid = int(m.group(1))
        info = subprocess.run(["xwininfo", "-id", str(xid)], capture_output=True, text=True,
                              timeout=10).stdout
        if "IsViewable" not in info:
            continue
        if pid is not None:
            p = subprocess.run(["xprop", "-id", str(xid), "_NET_WM_PID"], capture_output=True,
                               text=True, timeout=10).stdout
            if f"= {pid}" not in p:
                continue
        return xid
    return None


@contextlib.contextmanager
def _x_display():
    """libX11 through ctypes and an open display, closed on leaving."""
    import ctypes
    x11 = ctypes.CDLL("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
    x11.XRaiseWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XResizeWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_uint, ctypes.c_uint]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(None)
    if not dpy:
        raise AssertionError("cannot open the X display")
    try:
        yield x11, dpy
        x11.XSync(dpy, 0)
    finally:
        x11.XCloseDisplay(dpy)


def _x_set_input_focus(xid):
    with _x_display() as (x11, dpy):
        x11.XRaiseWindow(dpy, xid)
        x11.XSetInputFocus(dpy, xid, 2, 0)  # RevertToParent, CurrentTime


def _x_resize(xid, width, height):
    with _x_display() as (x11, dpy):
        x11.XResizeWindow(dpy, xid, width, height)


def extents(acc):
    """(x, y, width, height) of an accessible on the screen (AT-SPI Component)."""
    r = acc.get_extents(Atspi.CoordType.SCREEN)
    return (r.x, r.y, r.width, r.height)


def Gdk_keyval_from_name(name):
    """X keysym for a key name ("Return", "a", "comma") without loading GTK."""
    sym = _KEYSYMS.get(name)
    if sym is not None:
        return sym
    if len(name) == 1:
        return ord(name)
    raise ValueError(f"unknown key name {name!r}")


_KEYSYMS = {
    "Return": 0xff0d, "KP_Enter": 0xff8d, "Escape": 0xff1b, "Tab": 0xff09,
    "ISO_Left_Tab": 0xfe20, "BackSpace": 0xff08, "Delete": 0xffff, "space": 0x20,
    "Home": 0xff50, "End": 0xff57, "Left": 0xff51, "Up": 0xff52, "Right": 0xff53,
    "Down": 0xff54, "Page_Up": 0xff55, "Page_Down": 0xff56, "F1": 0xffbe, "F10": 0xffc7,
    "comma": 0x2c, "period": 0x2e, "minus": 0x2d, "plus": 0x2b, "asterisk": 0x2a,
    "numbersign": 0x23, "question": 0x3f, "slash": 0x2f,
}
