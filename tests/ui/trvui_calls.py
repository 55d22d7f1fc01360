# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared pieces of the call scenarios (echo test, calls to and from traverse-cli, links):
fake audio devices, traverse-cli peers on loopback, reading the main window."""
import os
import re
import shutil
import socket
import subprocess
import tempfile

import pyatspi

import trvui

# No sound card under Xvfb: the same overrides traverse-cli honours.
AUDIO_ENV = {
    "TRAVERSE_AUDIOSRC": "audiotestsrc is-live=true wave=sine freq=440",
    "TRAVERSE_AUDIOSINK": "fakesink sync=true",
}


def home_page_shows(ui, frame, timeout=10):
    """Waits for the main page, then shows its Dial Pad view if another view is on screen
    (Ctrl+L, as a keyboard user would), and returns the number field."""
    ui.find(pyatspi.ROLE_PANEL, "Phone", root=frame, timeout=timeout)
    if not ui.exists(pyatspi.ROLE_TEXT, "Number or address", root=frame):
        ui.press("ctrl+l")
    return ui.find(pyatspi.ROLE_TEXT, "Number or address", root=frame, timeout=timeout)


def show_recent(ui, frame):
    """Shows the Recent view (its button in the view switcher on screen)."""
    if ui.exists(pyatspi.ROLE_LIST, "Recent calls", root=frame) or \
            ui.exists(pyatspi.ROLE_LABEL, "No Recent Calls", root=frame):
        return
    tabs = [t for t in ui.find_all(pyatspi.ROLE_PAGE_TAB, "Recent", root=frame)
            if trvui.has_state(t, pyatspi.STATE_FOCUSABLE) and trvui.extents(t)[2] > 0]
    assert tabs, "no Recent view button on screen"
    ui.activate(tabs[0])


def recent_rows(ui, frame):
    """The rows of the Recent calls list, newest first (the Recent view shown first)."""
    show_recent(ui, frame)
    lists = ui.find_all(pyatspi.ROLE_LIST, "Recent calls", root=frame)
    if not lists:
        return []
    return [c for c in trvui.children(lists[0]) if c.getRole() == pyatspi.ROLE_LIST_ITEM
            and trvui.is_showing(c)]


def direct_uri(ui, frame):
    """The app's own address for direct calls, read from the main window."""
    row = ui.find(pyatspi.ROLE_LIST_ITEM, "Your address for direct calls", root=frame,
                  description=re.compile(r"^sips?:"))
    return row.description


def free_udp_port(attempts=50):
    """A loopback port free for UDP and TCP alike (coturn listens on both)."""
    for _ in range(attempts):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind(("127.0.0.1", 0))
            port = u.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                try:
                    t.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no loopback port free for both UDP and TCP")


class CliPeer:
    """A traverse-cli on loopback (answer, or call) with its own config and log."""

    def __init__(self, ui, name):
        self.ui = ui
        self.name = name
        self.dir = tempfile.mkdtemp(prefix=f"trv-ui-{name}-")
        self.port = free_udp_port()
        self.proc = None
        self.log_path = os.path.join(ui.artifacts, f"{name}.log")
        self.config = os.path.join(self.dir, "peer.conf")
        with open(self.config, "w") as f:
            f.write("[account]\n"
                    f"address=sip:{name}@127.0.0.1\n"
                    "register=false\n"
                    f"local-port={self.port}\n"
                    "[nat]\nmode=none\n")

    @property
    def uri(self):
        return f"sip:{self.name}@127.0.0.1:{self.port}"

    def cli(self):
        path = os.path.join(self.ui.build_root, "src", "cli", "traverse-cli")
        if not os.access(path, os.X_OK):
            raise trvui.Skip(f"traverse-cli not built: {path}")
        return path

    def start(self, *args, wait_ready=True, audio_env=None):
        env = dict(os.environ, SU_DEBUG="0", **AUDIO_ENV)
        env.update(audio_env or {})
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.cli(), "-c", self.config, *args], env=env,
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        if wait_ready:
            self.wait_output("ready")
        return self

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_output(self, text, timeout=15):
        def seen():
            if text in self.output():
                return True
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.proc.returncode}) before "
                                     f"printing {text!r}:\n{self.output()}")
            return False
        trvui.wait_for(seen, timeout, f"{self.name} to print {text!r}")

    def wait_exit(self, timeout=20):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} still running after {timeout}s:\n{self.output()}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, 9)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.dir, ignore_errors=True)


CONTROL_ROLES = (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_TEXT,
                 pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_COMBO_BOX,
                 pyatspi.ROLE_LIST, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER)


def badly_named(name):
    """Why a control's accessible name would sound wrong, or None: empty, a mnemonic
    underscore read out ("_Retry Retry"), or the same words twice ("Save account Save
    Account": GTK 4.8 joins an accessible label and a mnemonic label)."""
    name = (name or "").strip()
    if not name:
        return "no name"
    if re.search(r"(^|\s)_\w", name):
        return "a mnemonic underscore"
    words = name.lower().split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        return "the name twice"
    return None


def assert_controls_named(ui, root):
    """Every focusable control on screen has an accessible name (what a screen reader
    says when it lands there), and a clean one (see badly_named)."""
    bad = []
    # One walk that asks role and states of each node once: the focusable controls.
    for acc in ui.find_all(CONTROL_ROLES, root=root, state=pyatspi.STATE_FOCUSABLE):
        try:
            if acc.getRole() == pyatspi.ROLE_LIST_ITEM and any(
                    a.getRole() == pyatspi.ROLE_COMBO_BOX for a in trvui.ancestors(acc)):
                # An AdwComboRow shows its value in a GtkListView whose item widget
                # GTK 4.8 gives no name and no way to set one (GtkListItem gained
                # accessible-label in 4.12); the combo box itself is named.
                continue
            why = badly_named(acc.name)
            if why:
                bad.append(f"{trvui.describe(acc)} ({why}) in " +
                           " < ".join(trvui.describe(a) for a in trvui.ancestors(acc)[:3]))
        except Exception:  # noqa: BLE001 -- an object that went away while we looked
            continue
    assert not bad, "controls without a proper accessible name: " + "; ".join(bad)
