#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exit code 5, "no media within the timeout": a tiny SIP UAS on 127.0.0.1 answers
traverse-cli's direct call with a valid PCMU SDP but never sends RTP. traverse-cli must give
up after --timeout with one clear stderr line, hang up with a BYE and record end_reason
no-media. Control: the same UAS echoing the RTP back gives exit 0. And 183 Session Progress
(with SDP) instead of 180 is reported as ringing. A call ended by --duration before the
timeout that received nothing is no success either: exit 5, naming the direction."""

import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

TIMEOUT = 3


class Uas:
    """Answers one INVITE (180, then 200 with SDP), ACKs nothing itself, answers BYE and
    anything else with 200. With echo=True it sends every RTP packet back to its source
    (under its own SSRC); otherwise it only counts what arrives. With early=True the
    provisional answer is 183 Session Progress with the SDP instead of 180."""

    def __init__(self, echo, early=False):
        self.echo = echo
        self.early = early
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind((L.HOST, 0))
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind((L.HOST, 0))
        self.port = self.sip.getsockname()[1]
        self.rtp_port = self.rtp.getsockname()[1]
        self.tag = uuid.uuid4().hex[:8]
        self.methods = []         # request methods in arrival order (retransmissions too)
        self.rtp_in = 0
        self.rtp_out = 0
        self.bye_headers = None
        self.last_response = {}   # (Call-ID, CSeq) -> bytes, for retransmitted requests
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._sip_loop, daemon=True),
                         threading.Thread(target=self._rtp_loop, daemon=True)]
        for t in self._threads:
            t.start()

    def close(self):
        self._stop.set()
        for t in self._threads:
            t.join(2)
        self.sip.close()
        self.rtp.close()

    def _sdp(self):
        return ("v=0\r\n"
                "o=- 4711 1 IN IP4 %(h)s\r\n"
                "s=-\r\n"
                "c=IN IP4 %(h)s\r\n"
                "t=0 0\r\n"
                "m=audio %(p)d RTP/AVP 0\r\n"
                "a=rtpmap:0 PCMU/8000\r\n"
                "a=ptime:20\r\n"
                "a=sendrecv\r\n") % {"h": L.HOST, "p": self.rtp_port}

    def _response(self, headers, status, phrase, body="", content_type=None):
        lines = ["SIP/2.0 %d %s" % (status, phrase)]
        lines += ["Via: %s" % v for v in headers.get("via", [])]
        lines.append("From: %s" % headers["from"][0])
        to = headers["to"][0]
        lines.append("To: %s" % (to if ";tag=" in to else "%s;tag=%s" % (to, self.tag)))
        lines.append("Call-ID: %s" % headers["call-id"][0])
        lines.append("CSeq: %s" % headers["cseq"][0])
        if status == 200 and headers["cseq"][0].split()[-1] == "INVITE":
            lines.append("Contact: <sip:uas@%s:%d>" % (L.HOST, self.port))
        if content_type:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body.encode()))
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    @staticmethod
    def _parse(data):
        text = data.decode(errors="replace")
        head = text.split("\r\n\r\n", 1)[0].split("\r\n")
        compact = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact"}
        headers = {}
        for line in head[1:]:
            if ":" not in line:
                continue
            name, value = line.split(":", 1)
            name = compact.get(name.strip().lower(), name.strip().lower())
            headers.setdefault(name, []).append(value.strip())
        return head[0], headers

    def _sip_loop(self):
        self.sip.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, addr = self.sip.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            start, headers = self._parse(data)
            if start.startswith("SIP/2.0"):
                continue
            method = start.split()[0]
            self.methods.append(method)
            if method == "BYE":
                self.bye_headers = headers
            if method == "ACK":
                continue
            key = (headers["call-id"][0], headers["cseq"][0])
            if key in self.last_response:
                self.sip.sendto(self.last_response[key], addr)
                continue
            if method == "INVITE":
                if self.early:
                    self.sip.sendto(self._response(headers, 183, "Session Progress", self._sdp(),
                                                   "application/sdp"), addr)
                else:
                    self.sip.sendto(self._response(headers, 180, "Ringing"), addr)
                resp = self._response(headers, 200, "OK", self._sdp(), "application/sdp")
            else:
                resp = self._response(headers, 200, "OK")
            self.last_response[key] = resp
            self.sip.sendto(resp, addr)

    def _rtp_loop(self):
        self.rtp.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, addr = self.rtp.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            self.rtp_in += 1
            if self.echo and len(data) >= 12 and (data[0] >> 6) == 2:
                # Our own SSRC, so the caller does not see its packets looped back.
                self.rtp.sendto(data[:8] + b"\x0b\xad\xf0\x0d" + data[12:], addr)
                self.rtp_out += 1


def run_cli(tmp, uas, name, *extra, timeout=30):
    env = dict(os.environ)
    env.setdefault("SU_DEBUG", "0")
    env["TRAVERSE_AUDIOSRC"] = "audiotestsrc is-live=true wave=sine freq=440"
    env["TRAVERSE_AUDIOSINK"] = "fakesink sync=false"
    env["XDG_RUNTIME_DIR"] = tmp
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
    stats = os.path.join(tmp, "%s.json" % name)
    argv = [os.environ["TRAVERSE_CLI"], "call", "sip:x@%s:%d" % (L.HOST, uas.port),
            "--timeout", str(TIMEOUT), "--stats", stats] + [str(a) for a in extra]
    p = L.Proc(name, argv, env)
    t0 = time.monotonic()
    rc = p.wait(timeout)
    return rc, p, stats, time.monotonic() - t0


def read_stats(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": str(e)}


def no_media(tmp):
    uas = Uas(echo=False)
    try:
        rc, p, stats_path, took = run_cli(tmp, uas, "no-media")
        # The BYE is sent before the process exits; give the UAS thread a moment.
        deadline = time.monotonic() + 2
        while "BYE" not in uas.methods and time.monotonic() < deadline:
            time.sleep(0.05)
        st = read_stats(stats_path)
        call = st.get("call", {})
        checks = {
            "exit 5": rc == 5,
            "one stderr line": len(p.err) == 1,
            "it says no audio arrived": len(p.err) == 1 and "no audio" in p.err[0],
            "UAS got INVITE, ACK and BYE": (uas.methods.count("BYE") >= 1 and "ACK" in uas.methods
                                           and uas.methods[0] == "INVITE"),
            "the BYE says why (Reason cause=480)": "cause=480" in " ".join(
                (uas.bye_headers or {}).get("reason", [])),
            "gave up after the timeout (%.1f s)" % took: TIMEOUT <= took < TIMEOUT + 8,
            "stats end_reason no-media": call.get("end_reason") == "no-media",
            "stats sip_status 200": call.get("sip_status") == 200,
            "stats first_rtp_ms absent": call.get("first_rtp_ms") in (None, -1),
            "caller did send RTP": uas.rtp_in > 0,
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\nUAS saw %s, %d RTP in\n%s" % (
        bad, st, uas.methods, uas.rtp_in, p.dump())


def media_echoed(tmp):
    uas = Uas(echo=True)
    try:
        rc, p, stats_path, _ = run_cli(tmp, uas, "echo", "--duration", "2")
        st = read_stats(stats_path)
        call, media = st.get("call", {}), st.get("media", {})
        checks = {
            "exit 0": rc == 0,
            "nothing on stderr": p.err == [],
            "stats end_reason local-hangup": call.get("end_reason") == "local-hangup",
            "stats codec PCMU": media.get("codec") == "PCMU",
            "RTP received": (media.get("rtp_received") or 0) > 20,
            "UAS got the BYE": "BYE" in uas.methods,
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\nUAS saw %s, %d RTP in, %d out\n%s" % (
        bad, st, uas.methods, uas.rtp_in, uas.rtp_out, p.dump())


def silent_for_duration(tmp):
    """Answered, never a packet back, and the call ends by --duration before --timeout: still
    no success. Exit 5, naming the direction that had nothing."""
    uas = Uas(echo=False)
    try:
        rc, p, stats_path, took = run_cli(tmp, uas, "silent-duration", "--duration", "5",
                                          "--timeout", "30")
        st = read_stats(stats_path)
        call, media = st.get("call", {}), st.get("media", {})
        checks = {
            "exit 5": rc == 5,
            "stderr names the direction": any(
                "no media: nothing received from the other side" in line for line in p.err),
            "ended by --duration (%.1f s)" % took: took < 15
            and call.get("end_reason") == "local-hangup",
            "stats rtp_received 0": media.get("rtp_received") == 0,
            "stats rtp_sent > 0": (media.get("rtp_sent") or 0) > 0,
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\n%s" % (bad, st, p.dump())


def session_progress(tmp):
    """183 Session Progress (with SDP) is ringing too, and the 200 then sets up the media."""
    uas = Uas(echo=True, early=True)
    try:
        rc, p, stats_path, _ = run_cli(tmp, uas, "early", "--duration", "2")
        st = read_stats(stats_path)
        order = [line for line in p.lines if line == "ringing" or line.startswith("answered")]
        checks = {
            "exit 0": rc == 0,
            "nothing on stderr": p.err == [],
            "ringing, then answered": len(order) == 2 and order[0] == "ringing",
            "RTP received": (st.get("media", {}).get("rtp_received") or 0) > 20,
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\n%s" % (bad, st, p.dump())


def main():
    cli = os.environ.get("TRAVERSE_CLI")
    if not cli or not os.access(cli, os.X_OK):
        print("1..0 # SKIP TRAVERSE_CLI not set or not executable; run via meson test", flush=True)
        sys.exit(L.SKIP)
    tap = L.Tap()
    tap.plan(4)
    tmp = tempfile.mkdtemp(prefix="trv-integ-no-media-")
    try:
        tap.run_case("answered but no RTP: exit 5, one line, BYE, end_reason no-media",
                     no_media, tmp)
        tap.run_case("control: RTP echoed back: exit 0", media_echoed, tmp)
        tap.run_case("183 Session Progress counts as ringing", session_progress, tmp)
        tap.run_case("--duration call that received nothing: exit 5 naming the direction",
                     silent_for_duration, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    tap.exit()


if __name__ == "__main__":
    main()
