# SPDX-License-Identifier: GPL-3.0-or-later
"""A call relayed through TURN, and settings that apply to the next call without a
restart: a first call to a traverse-cli answerer goes direct; then, with the app still
running, NAT mode "turn" with coturn on loopback and its credentials is stored (the
password in the Secret Service) -> the next call's Connection section says "Relayed via
TURN server 127.0.0.1:PORT" with a relayed local candidate -> hang up."""
import os
import re
import shutil
import socket
import subprocess
import tempfile

import pyatspi
from gi.repository import Gio

import trvui
from trvui_calls import AUDIO_ENV, CliPeer, direct_uri, free_udp_port, home_page_shows

NAT_SCHEMA = "io.github.traverse.Traverse.Nat"


def start_turn(ui):
    prog = shutil.which("turnserver")
    if prog is None:
        raise trvui.Skip("coturn (turnserver) is not installed")
    port = free_udp_port()
    lo = 20000 + (os.getpid() % 200) * 100
    workdir = tempfile.mkdtemp(prefix="trv-ui-turn-")
    log = open(os.path.join(ui.artifacts, "turnserver.log"), "w")
    proc = subprocess.Popen([prog, "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
                             "--listening-port", str(port), "--lt-cred-mech",
                             "--user", "alice:secret", "--realm", "traverse.test",
                             "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls",
                             "--min-port", str(lo), "--max-port", str(lo + 99),
                             "--pidfile", os.path.join(workdir, "turnserver.pid"),
                             "--log-file", "stdout"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()

    def listening():
        if proc.poll() is not None:
            raise AssertionError(f"turnserver exited ({proc.returncode}), see turnserver.log")
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0
    trvui.wait_for(listening, 10, "turnserver to listen")
    return proc, port, workdir


def set_nat(ui, values):
    """Writes the NAT keys in one transaction (as the Preferences window does), so the
    app sees one change rather than passing through half-set states."""
    source = Gio.SettingsSchemaSource.new_from_directory(ui.schema_dir, None, False)
    settings = Gio.Settings.new_full(source.lookup(NAT_SCHEMA, False), None, None)
    settings.delay()
    for key, value in values.items():
        settings.set_string(key, value)
    settings.apply()
    Gio.Settings.sync()


def call(ui, frame, peer):
    """Dials peer by keyboard and waits until the call is connected."""
    entry = home_page_shows(ui, frame)
    ui.set_text(entry, peer.uri)
    ui.press("Return")
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=30)


def hang_up(ui, frame, peer):
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
    peer.wait_output("ended: remote-hangup")
    assert peer.wait_exit() == 0, peer.output()
    home_page_shows(ui, frame)


def run(ui):
    turn, port, workdir = start_turn(ui)
    peers = []
    try:
        # The password first: the Secret Service does not tell the app about changes
        # made by other programs, GSettings does.
        ui.run_cmd(["secret-tool", "store", "--label=Traverse TURN password",
                    "xdg:schema", "io.github.traverse.Traverse.Password", "kind", "turn"],
                   input="secret")
        # The core's debug lines tell when the app has rebuilt its SIP agent.
        ui.start_app(env=dict(AUDIO_ENV, G_MESSAGES_DEBUG="Traverse-Sip"))
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")

        first = CliPeer(ui, "ivan")
        peers.append(first)
        first.start("answer", "--timeout", "90")
        call(ui, frame, first)
        ui.find(pyatspi.ROLE_LIST_ITEM, "Path", root=frame, description="Direct", timeout=15)
        hang_up(ui, frame, first)

        before = direct_uri(ui, frame)
        started = ui.app_log().count(": listening on ")
        set_nat(ui, {"turn-server": f"127.0.0.1:{port}", "turn-transport": "udp",
                     "turn-username": "alice", "mode": "turn"})
        # The app rebuilds its SIP agent from the new settings, on the same port (the
        # address for direct calls stays).
        trvui.wait_for(lambda: ui.app_log().count(": listening on ") > started, 15,
                       "the app to pick up the new settings")
        assert direct_uri(ui, frame) == before, (before, direct_uri(ui, frame))

        peer = CliPeer(ui, "heidi")
        peers.append(peer)
        peer.start("answer", "--timeout", "90")
        call(ui, frame, peer)
        want = f"Relayed via TURN server 127.0.0.1:{port}"
        path = ui.find(pyatspi.ROLE_LIST_ITEM, "Path", root=frame, description=want, timeout=15)
        local = ui.find(pyatspi.ROLE_LIST_ITEM, "This device", root=frame,
                        description=re.compile(r"^Relayed \(address on a TURN server\) — "
                                               r"127\.0\.0\.1:\d+$"))
        ui.find(pyatspi.ROLE_LIST_ITEM, "Jitter", root=frame,
                description=re.compile(r"^\d+ ms$"), timeout=15)
        print(f"path: {path.description}; local: {local.description}")
        ui.screenshot("turn-1-call-view")
        hang_up(ui, frame, peer)
        ui.screenshot("turn-2-main-window")
    finally:
        for p in peers:
            p.stop()
        if turn.poll() is None:
            os.killpg(turn.pid, 15)
            try:
                turn.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(turn.pid, 9)
        shutil.rmtree(workdir, ignore_errors=True)
