"""A call relayed through TURN: coturn on loopback, NAT mode "turn" with its server and
credentials in the settings (password in the Secret Service) -> call a traverse-cli
answerer -> the Connection section says "Relayed via TURN server 127.0.0.1:PORT"
with a relayed local candidate -> hang up."""
import os
import re
import shutil
import socket
import subprocess
import tempfile

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, CliPeer, free_udp_port, home_page_shows

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


def run(ui):
    turn, port, workdir = start_turn(ui)
    peer = CliPeer(ui, "heidi")
    try:
        ui.run_cmd(["gsettings", "set", NAT_SCHEMA, "mode", "turn"])
        ui.run_cmd(["gsettings", "set", NAT_SCHEMA, "turn-server", f"127.0.0.1:{port}"])
        ui.run_cmd(["gsettings", "set", NAT_SCHEMA, "turn-transport", "udp"])
        ui.run_cmd(["gsettings", "set", NAT_SCHEMA, "turn-username", "alice"])
        ui.run_cmd(["secret-tool", "store", "--label=Traverse TURN password",
                    "xdg:schema", "io.github.traverse.Traverse.Password", "kind", "turn"],
                   input="secret")
        peer.start("answer", "--timeout", "90")
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, peer.uri)
        ui.press("Return")

        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=30)
        want = f"Relayed via TURN server 127.0.0.1:{port}"
        path = ui.find(pyatspi.ROLE_LIST_ITEM, "Path", root=frame, description=want, timeout=15)
        local = ui.find(pyatspi.ROLE_LIST_ITEM, "This device", root=frame,
                        description=re.compile(r"^Relayed \(address on a TURN server\) — "
                                               r"127\.0\.0\.1:\d+$"))
        ui.find(pyatspi.ROLE_LIST_ITEM, "Jitter", root=frame,
                description=re.compile(r"^\d+ ms$"), timeout=15)
        print(f"path: {path.description}; local: {local.description}")
        ui.screenshot("turn-1-call-view")

        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
        peer.wait_output("ended: remote-hangup")
        assert peer.wait_exit() == 0, peer.output()
        home_page_shows(ui, frame)
        ui.screenshot("turn-2-main-window")
    finally:
        peer.stop()
        if turn.poll() is None:
            os.killpg(turn.pid, 15)
            try:
                turn.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(turn.pid, 9)
        shutil.rmtree(workdir, ignore_errors=True)
