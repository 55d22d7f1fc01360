#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls the way providers and PBXs make them: SIPp is the far end on 127.0.0.1, called
directly by traverse-cli; a small RTP peer (this script) plays the far end's media at the
address SIPp's SDP names. The cases run one after another, each a few seconds:
- 183 with SDP, then a tone as early media, then 200 with the same SDP after 2.5 s:
  traverse-cli says `early media`, call.early_media >= 1.5 s, call.ringback network, and the
  early tone is in the recording (the RTP peer stops sending at the answer).
- the same, but the 200's SDP names another address: the running session sends there and
  plays what comes from there.
- 180 without SDP, 200 after 3 s: call.ringback local, no early media.
- 183 with Require: 100rel: the INVITE offered `Supported: 100rel`, Traverse sends PRACK
  (the scenario fails without it), and the 200 without SDP (the answer came reliably in
  the 183) keeps the early session: the call completes with media.
- --dtmf during early media: the RFC 4733 events reach the RTP peer before the answer.
- 183 whose SDP has no codec in common: its media is ignored (no `early media`, our own
  ringback plays), the 200 with a usable SDP completes the call."""

import json
import math
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402
import sipp as S  # noqa: E402

SIPP = S.SIPP
TONE = 700          # Hz, the far end's early media
DTMF_PT = 101


def ulaw(sample):
    """G.711 mu-law of one 16-bit sample."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), clip) + bias
    exponent = 7
    for exp in range(7, -1, -1):
        if sample & (0x4000 >> (7 - exp)):
            exponent = exp
            break
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


class RtpPeer:
    """The far end's media: learns Traverse's RTP address from its first packet (symmetric
    RTP), then sends a PCMU tone there for `tone_s` seconds (0: echoes what comes instead).
    Keeps the arrival time of each RFC 4733 event packet."""

    def __init__(self, tone_s, freq=TONE, ssrc=0x7E57AB1E):
        self.tone_s = tone_s
        self.ssrc = ssrc
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((L.HOST, 0))
        self.port = self.sock.getsockname()[1]
        self.peer = None
        self.rtp_in = 0
        self.sent = 0
        self.dtmf = []          # (monotonic time, event code)
        self._stop = threading.Event()
        frame = [int(12000 * math.sin(2 * math.pi * freq * i / 8000)) for i in range(8000)]
        self._payload = bytes(ulaw(s) for s in frame)   # one second, whole periods of freq
        self._threads = [threading.Thread(target=self._recv, daemon=True),
                         threading.Thread(target=self._send, daemon=True)]
        for t in self._threads:
            t.start()

    def close(self):
        self._stop.set()
        for t in self._threads:
            t.join(2)
        self.sock.close()

    def _recv(self):
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            if len(data) < 12 or data[0] >> 6 != 2:
                continue
            self.rtp_in += 1
            if self.peer is None:
                self.peer = addr
            if data[1] & 0x7F == DTMF_PT and len(data) >= 16:
                self.dtmf.append((time.monotonic(), data[12]))
            elif self.tone_s == 0:
                self.sock.sendto(data[:8] + b"\x0b\xad\xf0\x0d" + data[12:], addr)

    def _send(self):
        while self.peer is None and not self._stop.is_set():
            time.sleep(0.01)
        if self.tone_s == 0:
            return
        start = time.monotonic()
        seq, ts = 1, 0
        while not self._stop.is_set() and time.monotonic() - start < self.tone_s:
            off = (ts % 8000)
            header = struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, ts & 0xFFFFFFFF, self.ssrc)
            try:
                self.sock.sendto(header + self._payload[off:off + 160], self.peer)
            except OSError:
                return
            self.sent += 1
            seq += 1
            ts += 160
            # Paced by the clock, not by sleeps adding up.
            delay = start + self.sent * 0.02 - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def sdp(codecs="0 101", rtpmaps=("a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000",
                                  "a=fmtp:101 0-15")):
    """The far end's SDP; RTPPORT becomes the RTP peer's port."""
    return "\n".join(["v=0", "o=- 4242 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1",
                      "t=0 0", "m=audio RTPPORT RTP/AVP %s" % codecs] + list(rtpmaps)
                     + ["a=ptime:20", "a=sendrecv"])


def response(status, body=None, extra=(), to_invite=True):
    """A response; to the INVITE (headers kept by recv_invite) or to the last request. A
    2xx to the INVITE is repeated until the ACK comes (SIPp's retrans); provisional ones
    are sent once (SIPp would otherwise wait for an answer to them)."""
    if to_invite:
        head = ["Via: [$via]", "From: [$from]", "To: [$to];tag=sipp[call_number]",
                "Call-ID: [$callid]", "CSeq: [$cseq]"]
    else:
        head = ["[last_Via:]", "[last_From:]", "[last_To:]", "[last_Call-ID:]", "[last_CSeq:]"]
    lines = ["SIP/2.0 " + status] + head
    lines += ["Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>"] + list(extra)
    if body:
        lines += ["Content-Type: application/sdp", "Content-Length: [len]", "", body]
    else:
        lines += ["Content-Length: 0", ""]
    retrans = ' retrans="500"' if to_invite and status.startswith("200") else ""
    return '  <send%s><![CDATA[\n%s\n  ]]></send>\n' % (retrans, "\n".join(lines))


def scenario(steps):
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="early">\n'
            + "".join(steps) + "</scenario>\n")


def recv_invite(require_100rel=False):
    """Keeps the INVITE's headers for the responses sent after other requests (PRACK)."""
    keep = "".join('      <ereg regexp=".*" search_in="hdr" header="%s:" assign_to="%s"/>\n'
                   % (h, v) for h, v in (("Via", "via"), ("From", "from"), ("To", "to"),
                                         ("Call-ID", "callid"), ("CSeq", "cseq")))
    if require_100rel:
        # The INVITE must offer 100rel; without it the call fails (check_it).
        keep += ('      <ereg regexp="100rel" search_in="hdr" header="Supported:" '
                 'check_it="true" assign_to="rel"/>\n')
    used = '  <Reference variables="rel"/>\n' if require_100rel else ""
    return ('  <recv request="INVITE">\n    <action>\n%s    </action>\n  </recv>\n%s'
            % (keep, used))


def ending():
    return ('  <recv request="ACK" timeout="10000"/>\n'
            '  <recv request="BYE" timeout="20000"/>\n'
            + response("200 OK", to_invite=False))


class Sipp:
    def __init__(self, tmp, name, xml):
        self.path = os.path.join(tmp, name + ".xml")
        with open(self.path, "w") as f:
            f.write(xml)
        self.port = L.free_port(both=False)
        self.errors = os.path.join(tmp, name + "-errors.log")
        self.messages = os.path.join(tmp, name + "-messages.log")
        argv = [SIPP, "-sf", self.path, "-i", L.HOST, "-p", str(self.port),
                "-mp", str(L.free_port(both=False)), "-m", "1", "-nostdin",
                "-timeout", "40s", "-timeout_error", "-trace_err", "-error_file", self.errors,
                "-trace_msg", "-message_file", self.messages]
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, start_new_session=True,
                                  cwd=tmp)
        L._live.add(self.p)

    def wait(self, timeout=20):
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            L._kill(self.p)
            rc = None
        L._live.discard(self.p)
        return rc

    def log(self):
        out = []
        for path in (self.errors, self.messages):
            try:
                with open(path) as f:
                    out.append("--- %s\n%s" % (os.path.basename(path), f.read()[-6000:]))
            except OSError:
                pass
        return "\n".join(out)

    def messages_text(self):
        try:
            with open(self.messages) as f:
                return f.read()
        except OSError:
            return ""


def run_call(tmp, name, xml, *extra, peer_tone_s=0, other=None):
    """other: a second RtpPeer, whose port replaces RTPPORT2 in the scenario."""
    peer = RtpPeer(peer_tone_s)
    if other is not None:
        xml = xml.replace("RTPPORT2", str(other.port))
    sipp = Sipp(tmp, name, xml.replace("RTPPORT", str(peer.port)))
    time.sleep(0.3)   # SIPp binds its port
    env = dict(os.environ)
    env.setdefault("SU_DEBUG", "0")
    env["TRAVERSE_AUDIOSRC"] = "audiotestsrc is-live=true wave=silence"
    env["TRAVERSE_AUDIOSINK"] = "fakesink sync=false"
    env["XDG_RUNTIME_DIR"] = tmp
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
    stats = os.path.join(tmp, name + ".json")
    argv = [os.environ["TRAVERSE_CLI"], "call", "sip:ivr@%s:%d" % (L.HOST, sipp.port),
            "--timeout", "15", "--duration", "1", "--stats", stats] + [str(a) for a in extra]
    p = L.Proc(name, argv, env)
    answered_at = None
    if p.wait_line("answered", 20) is not None:
        answered_at = time.monotonic()
    rc = p.wait(20)
    rc_sipp = sipp.wait(10)
    peer.close()
    if other is not None:
        other.close()
    try:
        with open(stats) as f:
            st = json.load(f)
    except (OSError, ValueError) as e:
        st = {"error": str(e)}
    return rc, p, rc_sipp, sipp, peer, st, answered_at


def result(checks, st, p, sipp, peer):
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\npeer: %d RTP in, %d sent, dtmf %s\n%s\n%s" % (
        bad, json.dumps(st.get("call")), peer.rtp_in, peer.sent, peer.dtmf, p.dump(), sipp.log())


def early_xml(second_body, extra=(), require_100rel=False):
    steps = [recv_invite(require_100rel), response("183 Session Progress", sdp(), extra)]
    if require_100rel:
        steps += ['  <recv request="PRACK" timeout="5000"/>\n',
                  response("200 OK", to_invite=False)]
    steps += ['  <pause milliseconds="2500"/>\n', response("200 OK", second_body), ending()]
    return scenario(steps)


def early_media(tmp):
    rec = os.path.join(tmp, "early.wav")
    rc, p, rc_sipp, sipp, peer, st, _ = run_call(tmp, "early", early_xml(sdp()),
                                                 "--record", rec, peer_tone_s=2.0)
    call = st.get("call", {})
    r = subprocess.run([os.environ["TRV_TONE"], "check", "--freq", str(TONE),
                        "--min-fraction", "0.2", rec], capture_output=True, text=True, timeout=60)
    m = re.search(r"(\d+) of (\d+) frames", r.stdout)
    tone_s = int(m.group(1)) * 0.02 if m else 0
    lines = p.lines
    checks = {
        "exit 0": rc == 0,
        "SIPp scenario passed": rc_sipp == 0,
        "progress line `early media` before `answered`": "early media" in lines and any(
            x.startswith("answered") for x in lines[lines.index("early media"):]),
        "call.early_media >= 1.5 s (%s)" % call.get("early_media"):
            (call.get("early_media") or 0) >= 1.5,
        "call.ringback network": call.get("ringback") == "network",
        "the early tone was recorded (%.2f s: %s)" % (tone_s, r.stdout.strip()): tone_s >= 1.5,
    }
    return result(checks, st, p, sipp, peer)


def tone_seconds(wav, freq):
    r = subprocess.run([os.environ["TRV_TONE"], "check", "--freq", str(freq),
                        "--min-fraction", "0.1", wav], capture_output=True, text=True, timeout=60)
    m = re.search(r"(\d+) of (\d+) frames", r.stdout)
    return (int(m.group(1)) * 0.02 if m else 0), r.stdout.strip()


def answer_elsewhere(tmp):
    """The 200 names another media address than the 183: the running session follows it."""
    rec = os.path.join(tmp, "moved.wav")
    other = RtpPeer(3.0, freq=1100, ssrc=0x0D1FFE12)   # another source
    rc, p, rc_sipp, sipp, peer, st, _ = run_call(
        tmp, "moved", early_xml(sdp().replace("RTPPORT", "RTPPORT2")), "--record", rec,
        "--duration", "2", peer_tone_s=2.0, other=other)
    call, media = st.get("call", {}), st.get("media", {})
    early_s, early_out = tone_seconds(rec, TONE)
    late_s, late_out = tone_seconds(rec, 1100)
    checks = {
        "exit 0": rc == 0,
        "SIPp scenario passed": rc_sipp == 0,
        "`early media`": "early media" in p.lines,
        "call.early_media >= 1.5 s": (call.get("early_media") or 0) >= 1.5,
        "media.remote is the 200's address": media.get("remote") == "%s:%d" % (L.HOST, other.port),
        "our RTP reached the 200's address (%d)" % other.rtp_in: other.rtp_in > 20,
        "early tone recorded (%.2f s: %s)" % (early_s, early_out): early_s >= 1.5,
        "the answer's tone recorded after it (%.2f s: %s)" % (late_s, late_out): late_s >= 1.0,
    }
    return result(checks, st, p, sipp, peer)


def local_ringback(tmp):
    xml = scenario([recv_invite(), response("180 Ringing"), '  <pause milliseconds="3000"/>\n',
                    response("200 OK", sdp()), ending()])
    rc, p, rc_sipp, sipp, peer, st, _ = run_call(tmp, "ringback", xml)
    call = st.get("call", {})
    checks = {
        "exit 0": rc == 0,
        "SIPp scenario passed": rc_sipp == 0,
        "ringing": "ringing" in p.lines,
        "no `early media`": "early media" not in p.lines,
        "call.ringback local": call.get("ringback") == "local",
        "call.early_media 0": call.get("early_media") == 0,
    }
    return result(checks, st, p, sipp, peer)


def reliable_183(tmp):
    xml = early_xml(None, extra=("Require: 100rel", "RSeq: 1"), require_100rel=True)
    rc, p, rc_sipp, sipp, peer, st, _ = run_call(tmp, "prack", xml, peer_tone_s=5.0)
    call = st.get("call", {})
    msgs = sipp.messages_text()
    checks = {
        "exit 0": rc == 0,
        "SIPp scenario passed (INVITE with Supported: 100rel, PRACK)": rc_sipp == 0,
        "PRACK carries RAck 1 CSEQ INVITE": re.search(r"RAck:\s*1 \d+ INVITE", msgs) is not None,
        "`early media`, then `answered`": "early media" in p.lines and any(
            x.startswith("answered") for x in p.lines),
        "call.early_media >= 1.5 s": (call.get("early_media") or 0) >= 1.5,
        "stats sip_status 200": call.get("sip_status") == 200,
    }
    return result(checks, st, p, sipp, peer)


def dtmf_early(tmp):
    rc, p, rc_sipp, sipp, peer, st, answered_at = run_call(
        tmp, "dtmf", early_xml(sdp()), "--dtmf", "12#", peer_tone_s=2.0)
    events = []
    for t, code in peer.dtmf:
        if not events or events[-1][1] != code:
            events.append((t, code))
    checks = {
        "exit 0": rc == 0,
        "SIPp scenario passed": rc_sipp == 0,
        "the events 1 2 # reached the far end": [c for _, c in events] == [1, 2, 11],
        "all before the answer": answered_at is not None and events != [] and all(
            t < answered_at for t, _ in events),
    }
    return result(checks, st, p, sipp, peer)


def unusable_183(tmp):
    bad = sdp("98", ("a=rtpmap:98 X-NOTHING/8000",))
    xml = scenario([recv_invite(), response("183 Session Progress", bad),
                    '  <pause milliseconds="2000"/>\n', response("200 OK", sdp()),
                    ending()])
    rc, p, rc_sipp, sipp, peer, st, _ = run_call(tmp, "unusable", xml)
    call = st.get("call", {})
    checks = {
        "exit 0 (no crash, the 200 completes the call)": rc == 0,
        "SIPp scenario passed": rc_sipp == 0,
        "ringing, no `early media`": "ringing" in p.lines and "early media" not in p.lines,
        "answered": any(x.startswith("answered") for x in p.lines),
        "call.ringback local": call.get("ringback") == "local",
        "nothing on stderr": p.err == [],
    }
    return result(checks, st, p, sipp, peer)


def main():
    S.run_cases("trv-integ-early-", [
        ("183 with SDP: early media plays and is recorded, 200 keeps it", early_media),
        ("200 with a different SDP: the session moves to its address", answer_elsewhere),
        ("180 without SDP: local ringback until the answer", local_ringback),
        ("183 with Require: 100rel: PRACK, then 200 without SDP", reliable_183),
        ("DTMF during early media reaches the far end before the answer", dtmf_early),
        ("183 with unusable SDP: ignored, the 200 completes the call", unusable_183),
    ])


if __name__ == "__main__":
    main()
