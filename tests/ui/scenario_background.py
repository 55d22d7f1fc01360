# SPDX-License-Identifier: GPL-3.0-or-later
"""Always reachable (issue 12): without an account, closing the window (Ctrl+W) quits.
With an account (no registrar, a fixed port), Ctrl+W closes the window and Traverse keeps
running; a call from traverse-cli rings with a notification, its Answer button brings the
window back with the call connected, and the caller hears the app's 440 Hz tone. Ctrl+Q
then really quits. Started as `traverse --gapplication-service` (what the autostart entry
runs) it shows no window, takes a call the same way, and quits with Ctrl+Q too."""
import os
import subprocess
import time

import pyatspi

import trvui
from scenario_incoming import Notifications
from trvui_calls import AUDIO_ENV, CliPeer, free_udp_port

ACCOUNT_PATH = "/io/github/traverse/Traverse/accounts/bg/"


def set_account(ui, port):
    schema = "io.github.traverse.Traverse.Account:" + ACCOUNT_PATH
    ui.run_cmd(["gsettings", "set", "io.github.traverse.Traverse.Nat", "mode", "none"])
    ui.run_cmd(["gsettings", "set", schema, "address", "sip:dana@127.0.0.1"])
    ui.run_cmd(["gsettings", "set", schema, "register", "false"])
    ui.run_cmd(["gsettings", "set", schema, "local-port", str(port)])
    ui.run_cmd(["gsettings", "set", "io.github.traverse.Traverse", "accounts", "['bg']"])


def frames(ui):
    return [w for w in trvui.children(ui.app) if w.getRole() == pyatspi.ROLE_FRAME
            and trvui.is_showing(w)] if ui.app is not None else []


def still_running(ui, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert ui.proc.poll() is None, f"the app exited ({ui.proc.returncode}) with its window"
        time.sleep(0.1)


def answer_from_notification(ui, notes, port, name):
    """A call from traverse-cli `name` to the app, answered with the notification's button;
    returns the caller and its recording."""
    wav = os.path.join(ui.artifacts, f"{name}-heard.wav")
    caller = CliPeer(ui, name)
    caller.start("call", f"sip:dana@127.0.0.1:{port}", "--duration", "4", "--record", wav,
                 "--timeout", "30", wait_ready=False)
    note = notes.wait_notification(name)
    if ui.app is None:
        assert app_on_bus(ui) is None, "the service opened a window before the call"
    assert not frames(ui), "a window is open before the call was answered"
    notes.press(note, "Answer")
    if ui.app is None:
        ui.app = trvui.wait_for(lambda: app_on_bus(ui), 15, "the app's window")
    frame = ui.find_window("Traverse", timeout=15)
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)
    caller.wait_output("answered")
    return caller, wav, frame


def assert_heard_tone(ui, caller, wav):
    assert caller.wait_exit() == 0, caller.output()
    tool = os.environ.get("TRV_TONE")
    if not tool:
        raise trvui.Skip("TRV_TONE (tests/tools/trv-tone) not set")
    r = subprocess.run([tool, "check", "--freq", "440", "--min-fraction", "0.5",
                        "--skip-seconds", "1", wav], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"the caller did not hear the app's tone: {r.stdout}{r.stderr}"


def app_on_bus(ui):
    """The app on the accessibility bus (GTK puts it there with its first window)."""
    desktop = pyatspi.Registry.getDesktop(0)
    for a in trvui.children(desktop):
        try:
            if a.get_process_id() == ui.proc.pid:
                return a
        except Exception:  # noqa: BLE001 -- an app leaving the bus meanwhile
            continue
    assert ui.proc.poll() is None, f"the app exited with {ui.proc.returncode}"
    return None


def start_service(ui):
    """`traverse --gapplication-service`: no window, so start_app's wait does not apply."""
    log = open(os.path.join(ui.artifacts, "service.log"), "w")
    ui.proc = subprocess.Popen([ui.app_path, "--gapplication-service"],
                               env=ui.app_env(AUDIO_ENV), stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    log.close()
    ui.app = None


def run(ui):
    notes = Notifications(ui)
    callers = []
    try:
        # No account: the window is the app.
        ui.start_app(env=AUDIO_ENV)
        ui.find(pyatspi.ROLE_FRAME, "Traverse")
        ui.press("ctrl+w")
        assert ui.wait_app_exit(timeout=15) == 0

        port = free_udp_port()
        set_account(ui, port)
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        ui.find(pyatspi.ROLE_LIST_ITEM, "Your address for direct calls", root=frame, timeout=20)
        ui.press("ctrl+w")
        trvui.wait_for(lambda: not frames(ui), 10, "the window to close")
        still_running(ui, 2)

        caller, wav, frame = answer_from_notification(ui, notes, port, "erin")
        callers.append(caller)
        ui.screenshot("background-answered")
        assert_heard_tone(ui, caller, wav)
        ui.press("ctrl+q")
        assert ui.wait_app_exit(timeout=15) == 0

        # What the autostart entry runs: registered, no window until a call is answered.
        start_service(ui)
        still_running(ui, 2)
        caller, wav, frame = answer_from_notification(ui, notes, port, "frank")
        callers.append(caller)
        assert_heard_tone(ui, caller, wav)
        ui.press("ctrl+q")
        assert ui.wait_app_exit(timeout=15) == 0
    finally:
        for c in callers:
            c.stop()
        notes.stop()
