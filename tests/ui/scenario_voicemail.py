# SPDX-License-Identifier: GPL-3.0-or-later
"""Voicemail (issue 11 item 7): an account without registrar (a fixed port) gets an
unsolicited NOTIFY message-summary, as Asterisk sends them: the main window shows a
"Voicemail" row with "2 new messages, 5 old" (its description), and "Call Voicemail"
calls the Message-Account the server named, where a traverse-cli answers. A second NOTIFY
with no new messages updates the row. A second account (erin) shows its own messages in
its row. Then the account gets a voicemail number of its own
(the setting wins over the server's Message-Account): "Call Voicemail" calls that one."""
import os
import re
import socket
import time
import uuid

import pyatspi

import trvui
from scenario_background import ACCOUNT_PATH, set_account
from trvui_calls import AUDIO_ENV, CliPeer, free_udp_port

HOST = "127.0.0.1"
MWI = "application/simple-message-summary"


def notify(port, body, user="dana"):
    """An out-of-dialog NOTIFY to the app; returns its final status."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, 0))
    sock.settimeout(0.2)
    me = sock.getsockname()[1]
    call_id, branch = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    lines = [f"NOTIFY sip:{user}@{HOST}:{port} SIP/2.0",
             f"Via: SIP/2.0/UDP {HOST}:{me};branch=z9hG4bK{branch};rport",
             "Max-Forwards: 70", f"From: <sip:pbx@{HOST}:{me}>;tag={branch[:8]}",
             f"To: <sip:{user}@{HOST}:{port}>", f"Call-ID: {call_id}", "CSeq: 1 NOTIFY",
             f"Contact: <sip:pbx@{HOST}:{me}>", "Event: message-summary",
             "Subscription-State: active", f"Content-Type: {MWI}",
             f"Content-Length: {len(body)}"]
    try:
        sock.sendto(("\r\n".join(lines) + "\r\n\r\n").encode() + body, (HOST, port))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                data = sock.recv(65535).decode(errors="replace")
            except socket.timeout:
                continue
            if call_id in data and data.startswith("SIP/2.0 ") and not data.startswith("SIP/2.0 1"):
                return int(data.split()[1])
        return None
    finally:
        sock.close()


def add_second_account(ui, port):
    schema = "io.github.traverse.Traverse.Account:/io/github/traverse/Traverse/accounts/vm2/"
    ui.run_cmd(["gsettings", "set", schema, "address", "sip:erin@127.0.0.1"])
    ui.run_cmd(["gsettings", "set", schema, "register", "false"])
    ui.run_cmd(["gsettings", "set", schema, "local-port", str(port)])
    ui.run_cmd(["gsettings", "set", "io.github.traverse.Traverse", "accounts", "['bg', 'vm2']"])


def run(ui):
    port = free_udp_port()
    set_account(ui, port)
    port2 = free_udp_port()
    add_second_account(ui, port2)
    box = CliPeer(ui, "vm")
    try:
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        ui.find(pyatspi.ROLE_LIST_ITEM, "Your address for direct calls", root=frame, timeout=20)
        assert not ui.exists(pyatspi.ROLE_LIST_ITEM, "Voicemail", root=frame), \
            "a voicemail row before any server said anything"

        body = (f"Messages-Waiting: yes\r\nMessage-Account: {box.uri}\r\n"
                "Voice-Message: 2/5 (1/0)\r\n").encode()
        assert notify(port, body) == 200
        row = ui.find(pyatspi.ROLE_LIST_ITEM, "Voicemail", root=frame, timeout=10)
        ui.wait_description(row, "2 new messages, 5 old", timeout=10)
        ui.screenshot("voicemail-row")

        # The second account's messages, in its own row (the first account's stay).
        erin = ui.find(pyatspi.ROLE_LIST_ITEM, "sip:erin@127.0.0.1", root=frame, timeout=10)
        assert "Voicemail" not in (erin.description or ""), erin.description
        assert notify(port2, b"Messages-Waiting: yes\r\nVoice-Message: 1/0\r\n",
                      user="erin") == 200
        ui.wait_description(erin, re.compile(r"Voicemail: 1 new message$"), timeout=10)
        ui.wait_description(row, "2 new messages, 5 old", timeout=2)

        box.start("answer", "--timeout", "30", "--duration", "2")
        button = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Call Voicemail", root=frame)
        ui.focus(button)
        ui.press("Return")
        box.wait_output("answered", timeout=20)
        assert box.wait_exit() == 0, box.output()

        assert notify(port, b"Messages-Waiting: no\r\nVoice-Message: 0/7\r\n") == 200
        row = ui.find(pyatspi.ROLE_LIST_ITEM, "Voicemail", root=frame, timeout=10)
        ui.wait_description(row, "No new messages, 7 old", timeout=10)

        own = CliPeer(ui, "own-box")
        try:
            own.start("answer", "--timeout", "30", "--duration", "2")
            ui.run_cmd(["gsettings", "set", "io.github.traverse.Traverse.Account:" + ACCOUNT_PATH,
                        "voicemail", own.uri])
            # The account restarts with the setting: counts are the server's to give again.
            row = ui.find(pyatspi.ROLE_LIST_ITEM, "Voicemail", root=frame, timeout=10)
            ui.wait_description(row, "Messages not reported by the server", timeout=10)
            button = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Call Voicemail", root=frame)
            ui.focus(button)
            ui.press("Return")
            own.wait_output("answered", timeout=20)
            assert own.wait_exit() == 0, own.output()
        finally:
            own.stop()
    finally:
        box.stop()
