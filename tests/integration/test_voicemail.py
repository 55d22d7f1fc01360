#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Message waiting (RFC 3842) against SIPp on 127.0.0.1.
- SIPp as registrar and notifier: after registering, traverse-cli subscribes to
  message-summary at its own AoR (Event, Accept), takes the NOTIFYs of the subscription
  and says `voicemail N new` each time the count changes. An unsolicited NOTIFY from
  another address than the registrar's (127.0.0.2) gets 403 and changes nothing.
- SIPp answers the SUBSCRIBE 489 Bad Event (no voicemail here): no word to the user, no
  second SUBSCRIBE.
- During a call SIPp places, NOTIFYs outside any subscription (as Asterisk sends them):
  a valid one gets 200 and its counts show (progress line, --stats account.voicemail);
  a garbage body 400, another event 489, another body type 415; the call goes on and its
  audio comes back.
Within a subscription sofia-sip answers each NOTIFY 200 itself before Traverse sees the
body: a garbage body there changes nothing (checked in the first case)."""

import json
import os
import re
import socket
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402
import sipp as S  # noqa: E402
import test_pbx_media as P  # noqa: E402

MWI = "application/simple-message-summary"


def env(tmp):
    e = dict(os.environ)
    e.setdefault("SU_DEBUG", "0")
    e["TRAVERSE_AUDIOSRC"] = "audiotestsrc is-live=true wave=silence"
    e["TRAVERSE_AUDIOSINK"] = "fakesink sync=false"
    e["XDG_RUNTIME_DIR"] = tmp
    e["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
    return e


def registering_config(tmp, name, server_port, port):
    path = os.path.join(tmp, "%s.conf" % name)
    with open(path, "w") as f:
        f.write("[account]\naddress = sip:alice@%s:%d\npassword = secret\nregister = true\n"
                "local-port = %d\n\n[nat]\nmode = none\n" % (L.HOST, server_port, port))
    return path


# SIPp as registrar and notifier. Each Call-ID is a new SIPp call: REGISTERs (also the
# un-REGISTER at exit) get 200, the SUBSCRIBE gets `subscribe_answer` and, when that is
# 200, the NOTIFYs in `notify_bodies`, each answered.
def notifier(subscribe_answer, notify_bodies):
    ok_register = """<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpReg[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Contact:];expires=3600
Expires: 3600
Content-Length: 0

]]></send>
"""
    checks = ('<action><ereg regexp="^SUBSCRIBE sip:alice@[^ ]+ SIP/2.0" search_in="msg" '
              'check_it="true" assign_to="m9001"/>'
              '<ereg regexp="message-summary" search_in="hdr" header="Event:" check_it="true" '
              'assign_to="m9002"/>'
              '<ereg regexp="%s" search_in="hdr" header="Accept:" check_it="true" '
              'assign_to="m9003"/>'
              '<ereg regexp=".*" search_in="hdr" header="From:" check_it="true" '
              'assign_to="from"/></action>' % MWI)
    answer = """<send><![CDATA[
SIP/2.0 %s
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpSub[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:vm@[local_ip]:[local_port]>
Expires: 3600
Content-Length: 0

]]></send>
""" % subscribe_answer
    body = ('<recv request="REGISTER" optional="true" next="reg"/>\n'
            '<recv request="SUBSCRIBE" rrs="true">%s</recv>\n%s' % (checks, answer))
    if subscribe_answer.startswith("200"):
        for cseq, text in enumerate(notify_bodies, 1):
            body += '<pause milliseconds="700"/>\n<send retrans="500"><![CDATA[\n' \
                'NOTIFY [next_url] SIP/2.0\n' \
                'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n' \
                'From: <sip:alice@[local_ip]:[local_port]>;tag=[pid]SIPpSub[call_number]\n' \
                'To:[$from]\nCall-ID: [call_id]\nCSeq: %d NOTIFY\n' \
                'Contact: <sip:vm@[local_ip]:[local_port]>\nMax-Forwards: 70\n' \
                'Event: message-summary\nSubscription-State: active;expires=3600\n' \
                'Content-Type: %s\nContent-Length: [len]\n\n%s]]></send>\n' \
                '<recv response="200"/>\n' % (cseq, MWI, text)
    body += ('<pause milliseconds="1000"/>\n<nop next="end"/>\n<label id="reg"/>\n%s'
             '<label id="end"/>\n<Reference variables="m9001,m9002,m9003,from"/>\n'
             % ok_register)
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="notifier">\n%s'
            '</scenario>\n' % body)


def subscribed(tmp):
    bodies = ["Messages-Waiting: yes\nMessage-Account: sip:*97@127.0.0.1\n"
              "Voice-Message: 2/5 (1/0)\n",
              "Messages-Waiting: no\nVoice-Message: 0/7\n",
              "this is no message summary\n"]
    sipp = S.Run(tmp, "notifier", notifier("200 OK", bodies), timeout=20)
    port = L.free_port(False)
    cli = L.Proc("mwi", [os.environ["TRAVERSE_CLI"], "--config",
                         registering_config(tmp, "mwi", sipp.port, port),
                         "answer", "--timeout", "6"], env(tmp))
    stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # Not the registrar (127.0.0.1): with a provider, its counts are refused.
        stranger.bind(("127.0.0.2", 0))
        stranger.settimeout(0.2)
        cli.wait_line("ready", 10)
        from_stranger = notify(stranger, port, "message-summary", MWI,
                               b"Messages-Waiting: yes\r\nVoice-Message: 9/9\r\n")
        rc = cli.wait(30)
        time.sleep(0.5)
    finally:
        stranger.close()
        sipp.kill()
    msgs = sipp.messages()
    lines = [x for x in cli.lines if x.startswith("voicemail")]
    # The AoR's; the un-SUBSCRIBE at exit goes to the notifier's Contact.
    subscribes = re.findall(r"^SUBSCRIBE sip:alice@", msgs, re.M)
    checks = {
        "traverse-cli ended by its timeout": rc is not None,
        "one SUBSCRIBE (Event, Accept and Request-URI checked by SIPp)": len(subscribes) == 1,
        "no check of SIPp failed": "check_it" not in sipp.errors()
        and "regexp" not in sipp.errors(),
        "the three NOTIFYs answered 200": len(re.findall(r"^SIP/2.0 200 .*\n(?:.*\n)*?CSeq: "
                                                         r"[0-9]+ NOTIFY", msgs, re.M)) >= 3,
        "progress lines: 2 new, then 0 new, and nothing for the garbage or the stranger":
            lines == ["voicemail 2 new", "voicemail 0 new"],
        "a NOTIFY from elsewhere than the registrar: 403": from_stranger == 403,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstranger's NOTIFY: %s\nsipp errors:\n%s\nsipp messages:\n%s\n" \
        "%s" % (bad, from_stranger, sipp.errors()[-3000:], msgs[-8000:], cli.dump())


def no_service(tmp):
    sipp = S.Run(tmp, "no-service", notifier("489 Bad Event", []), timeout=20)
    port = L.free_port(False)
    cli = L.Proc("no-mwi", [os.environ["TRAVERSE_CLI"], "--config",
                            registering_config(tmp, "no-mwi", sipp.port, port),
                            "answer", "--timeout", "6"], env(tmp))
    try:
        rc = cli.wait(30)
    finally:
        sipp.kill()
    msgs = sipp.messages()
    checks = {
        "traverse-cli ended by its timeout": rc is not None and cli.lines[:1] == ["ready"],
        "one SUBSCRIBE, answered 489": len(re.findall(r"^SUBSCRIBE sip:alice@", msgs, re.M)) == 1
        and "SIP/2.0 489" in msgs,
        "no voicemail line": not any("voicemail" in x for x in cli.lines),
        "stderr only says no call came": len(cli.err) == 1 and "no incoming call" in cli.err[0],
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nsipp messages:\n%s\n%s" % (bad, msgs[-6000:], cli.dump())


def notify(sock, port, event, ctype, body):
    """An out-of-dialog NOTIFY to traverse-cli on `port`; returns its final status."""
    call_id, branch = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    me = sock.getsockname()[1]
    lines = ["NOTIFY sip:traverse@%s:%d SIP/2.0" % (L.HOST, port),
             "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s;rport" % (L.HOST, me, branch),
             "Max-Forwards: 70", "From: <sip:pbx@%s:%d>;tag=%s" % (L.HOST, me, branch[:8]),
             "To: <sip:traverse@%s:%d>" % (L.HOST, port), "Call-ID: %s" % call_id,
             "CSeq: 1 NOTIFY", "Contact: <sip:pbx@%s:%d>" % (L.HOST, me),
             "Event: %s" % event, "Subscription-State: active",
             "Content-Type: %s" % ctype, "Content-Length: %d" % len(body)]
    sock.sendto(("\r\n".join(lines) + "\r\n\r\n").encode() + body, (L.HOST, port))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            data = sock.recv(65535).decode(errors="replace")
        except socket.timeout:
            continue
        if call_id in data and data.startswith("SIP/2.0 ") and not data.startswith("SIP/2.0 1"):
            return int(data.split()[1])
    return None


def unsolicited_in_call(tmp):
    a = S.RtpEcho()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((L.HOST, 0))
    sock.settimeout(0.2)
    port = L.free_port(False)
    rec, stats = os.path.join(tmp, "mwi-call.wav"), os.path.join(tmp, "mwi-call.json")
    config = P.cli_config(tmp, "mwi-call", port)
    with open(config) as f:
        text = f.read()
    with open(config, "w") as f:   # a voicemail number of the account's own
        f.write(text.replace("[account]\n", "[account]\nvoicemail = *97\n", 1))
    cli = L.Proc("mwi-call", [os.environ["TRAVERSE_CLI"], "--config", config,
                              "answer", "--calls", "1",
                              "--timeout", "30", "--play", P.tone(tmp), "--record", rec,
                              "--stats", stats], env(tmp))
    answers = {}
    sipp = None
    try:
        if cli.wait_line("ready", 20) is None:
            return False, cli.dump()
        body = (P.established(a.port) + P.PAUSE % 6000 + P.hang_up(2))
        sipp = S.Run(tmp, "mwi-call", S.scenario("mwi-call", body), "%s:%d" % (L.HOST, port),
                     timeout=30)
        cli.wait_line("media flowing", 10)
        answers["valid"] = notify(sock, port, "message-summary", MWI,
                                  b"Messages-Waiting: yes\r\nVoice-Message: 3/1\r\n")
        answers["garbage"] = notify(sock, port, "message-summary", MWI,
                                    b"\x00\xff garbage: 1/2/3 (((\r\n" * 10)
        after_garbage = time.monotonic()
        answers["event"] = notify(sock, port, "presence", "application/pidf+xml", b"<x/>")
        answers["type"] = notify(sock, port, "message-summary", "text/plain",
                                 b"Messages-Waiting: yes\r\n")
        rc = sipp.wait()
        cli_rc = cli.wait(20)
    finally:
        if sipp:
            sipp.kill()
        a.close()
        sock.close()
    try:
        with open(stats) as f:
            st = json.load(f)
    except (OSError, ValueError):
        st = {}
    heard = P.tone_heard(rec) if os.path.exists(rec) else (False, "no recording")
    checks = {
        "valid NOTIFY: 200": answers.get("valid") == 200,
        "garbage body: 400": answers.get("garbage") == 400,
        "another event: 489": answers.get("event") == 489,
        "another body type: 415": answers.get("type") == 415,
        "progress line voicemail 3 new": "voicemail 3 new" in cli.lines,
        "stats account.voicemail 3 new, 1 old, box *97 (the setting)":
            st.get("account", {}).get("voicemail") == {"new": 3, "old": 1, "box": "*97"},
        "the call went on: sipp passed, exit 0": rc == 0 and cli_rc == 0,
        "RTP kept flowing after the garbage": a.count(since=after_garbage + 0.5) > 50,
        "the tone came back": heard[0],
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nanswers %s\nstats %s\ntone %s\n%s" % (
        bad, answers, st, heard[1], cli.dump())


def main():
    S.run_cases("trv-integ-voicemail-", [
        ("message-summary subscription after registering: counts as they change", subscribed),
        ("SUBSCRIBE answered 489: quietly no voicemail", no_service),
        ("unsolicited NOTIFYs during a call: 200 / 400 / 489 / 415, call unaffected",
         unsolicited_in_call),
    ])


if __name__ == "__main__":
    main()
