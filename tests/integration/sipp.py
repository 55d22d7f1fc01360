# SPDX-License-Identifier: GPL-3.0-or-later
"""SIPp (Debian sip-tester) as the far end on 127.0.0.1, for the tests that play a PBX or
a provider: scenario text in, exit code and the message trace out. Also an RTP echo socket
that plays the far end's media address (SIPp's own echo serves only one port per run).

SIPp runs in its own process group with a bounded run time and is killed by PID (lab's
Proc machinery: also on SIGTERM and at interpreter exit)."""

import itertools
import os
import re
import shutil
import socket
import tempfile
import threading
import time

import lab as L

SIPP = shutil.which("sipp")
_names = itertools.count()       # ereg variables are per scenario, but never reused

# Headers of requests inside the dialog SIPp opened as UAC (SIPp fills the brackets).
UAC_DIALOG = """Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "pbx" <sip:pbx@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
To: <sip:traverse@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
Contact: <sip:pbx@[local_ip]:[local_port]>
Max-Forwards: 70"""


def run_cases(prefix, cases):
    """The main() of a SIPp test: skips (77) without traverse-cli or sipp, runs each
    (name, function, *args) case as TAP in one throw-away directory (kept with
    TRV_KEEP_LAB=1) passed as the function's first argument, and exits."""
    cli = os.environ.get("TRAVERSE_CLI")
    if not cli or not os.access(cli, os.X_OK):
        print("1..0 # SKIP TRAVERSE_CLI not set or not executable; run via meson test", flush=True)
        raise SystemExit(L.SKIP)
    check_tool()
    tap = L.Tap()
    tap.plan(len(cases))
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        for name, func, *args in cases:
            tap.run_case(name, func, tmp, *args)
    finally:
        if os.environ.get("TRV_KEEP_LAB"):
            L.log("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    tap.exit()


def check_tool():
    if SIPP is None:
        print("1..0 # SKIP sipp is not installed (tools/install-deps.sh test: sip-tester)",
              flush=True)
        raise SystemExit(L.SKIP)


def sdp(port, pt=0, codec="PCMU/8000", direction="sendrecv", version=1, host=L.HOST):
    """A far end's audio SDP at host:port with one codec (and telephone-event)."""
    return ("v=0\n"
            "o=pbx 4711 %d IN IP4 127.0.0.1\n"
            "s=-\n"
            "c=IN IP4 " + host + "\n"
            "t=0 0\n"
            "m=audio %d RTP/AVP %d 101\n"
            "a=rtpmap:%d %s\n"
            "a=rtpmap:101 telephone-event/8000\n"
            "a=fmtp:101 0-16\n"
            "a=ptime:20\n"
            "a=%s\n") % (version, port, pt, pt, codec, direction)


def request(method, cseq, body=None, first=False, extra=""):
    """A <send> of an in-dialog (or, first=True, the initial) request from SIPp."""
    head = UAC_DIALOG
    uri = "[next_url]"
    if first:
        head = head.replace("[peer_tag_param]", "")
        uri = "sip:traverse@[remote_ip]:[remote_port]"
    lines = ["%s %s SIP/2.0" % (method, uri), head, "CSeq: %d %s" % (cseq, method)]
    if extra:
        lines.append(extra)
    if body is not None:
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: [len]")
    text = "\n".join(lines) + "\n\n" + (body or "")
    retrans = ' retrans="500"' if method != "ACK" else ""
    return '<send%s><![CDATA[\n%s\n]]></send>\n' % (retrans, text)


def expect(status, checks=(), rrs=False, optional=False):
    """A <recv> of a response; checks are regexps its body must match (the run fails
    otherwise)."""
    attrs = ' response="%d"' % status
    if rrs:
        attrs += ' rrs="true"'
    if optional:
        attrs += ' optional="true"'
    if not checks:
        return "<recv%s/>\n" % attrs
    actions = "".join('<ereg regexp="%s" search_in="body" check_it="true" assign_to="m%d"/>'
                      % (rx, next(_names)) for rx in checks)
    return "<recv%s><action>%s</action></recv>\n" % (attrs, actions)


def scenario(name, body):
    """A complete scenario; every ereg's variable is marked as used."""
    names = re.findall(r'assign_to="(m[0-9]+)"', body)
    ref = '<Reference variables="%s"/>\n' % ",".join(names) if names else ""
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="%s">\n%s%s'
            '</scenario>\n' % (name, body, ref))


class Run:
    """One SIPp process running a scenario: as UAC against target "host:port", or (target
    None) as UAS on `port`. messages() and errors() read its traces."""

    def __init__(self, tmp, name, text, target=None, port=None, timeout=40, extra=()):
        path = os.path.join(tmp, "%s.xml" % name)
        with open(path, "w") as f:
            f.write(text)
        self.msgs = os.path.join(tmp, "%s.msg" % name)
        self.errs = os.path.join(tmp, "%s.err" % name)
        self.timeout = timeout
        self.port = port or L.free_port(False)
        argv = [SIPP] + ([target, "-m", "1"] if target else []) + [
            "-sf", path, "-i", L.HOST, "-p", str(self.port),
            "-timeout", "%ds" % timeout, "-timeout_error", "-max_recv_loops", "100",
            "-trace_msg", "-message_file", self.msgs, "-trace_err", "-error_file", self.errs,
            "-nostdin"] + list(extra)
        self.proc = L.Proc("sipp-" + name, argv, dict(os.environ))

    def wait(self):
        return self.proc.wait(self.timeout + 10)

    def kill(self):
        self.proc.kill()

    def messages(self):
        return _read(self.msgs)

    def errors(self):
        return _read(self.errs)


def run(tmp, name, text, target, timeout=40, extra=()):
    """Runs scenario text once against target "host:port". Returns (exit code or None,
    the SIP messages SIPp saw and sent, its error log)."""
    r = Run(tmp, name, text, target, timeout=timeout, extra=extra)
    rc = r.wait()
    return rc, r.messages(), r.errors()


def _read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


class RtpEcho:
    """A far end's media address: sends every RTP packet back to where it came from
    (under its own SSRC) and keeps (arrival time, payload type) of each."""

    def __init__(self, host=L.HOST):
        self.host = host
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.port = self.sock.getsockname()[1]
        self.packets = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            if len(data) < 12 or (data[0] >> 6) != 2 or 72 <= (data[1] & 0x7f) <= 76:
                continue          # not RTP, or RTCP
            self.packets.append((time.monotonic(), data[1] & 0x7f))
            self.sock.sendto(data[:8] + b"\x0b\xad\xf0\x0d" + data[12:], addr)

    def count(self, since=0.0, until=None, pt=None):
        return sum(1 for t, p in self.packets
                   if t >= since and (until is None or t < until) and (pt is None or p == pt))

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()
