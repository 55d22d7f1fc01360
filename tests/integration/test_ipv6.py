#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""IPv6 on loopback: Kamailio on [::1] only; traverse-cli registers over UDP, TCP and TLS and
calls over UDP and TCP (Contact, Via and c=IN IP6 all ::1, RTP both ways); and an IPv6 media
offer without ICE (c=IN IP6 ::1) arriving over IPv4 signalling at a callee in nat.mode none
(plain RTP) or ice is answered with c=IN IP6 and its RTP reaches the offerer's IPv6 socket."""

import os
import socket
import struct
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402


def have_ipv6():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def load(lab, path):
    try:
        return lab.stats(path)
    except (OSError, ValueError) as e:
        return {"error": "no stats: %s" % e}


def register(lab, transport):
    conf = lab.config("alice", transport=transport, ca_file=lab.ca if transport == "tls" else None)
    rc, p = lab.run("alice", conf, "register", "--timeout", "20", timeout=60)
    seen = "registrar: sip:alice@[::1] via %s from ::1" % transport
    checks = {
        "exit 0": rc == 0,
        "registered line": p.wait_line("registered sip:alice@[::1]", 0) is not None,
        "Kamailio saw the REGISTER over IPv6": seen in lab.kamailio_text(),
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s\n%s" % (bad, p.dump(), lab.kamailio_text()[-2000:])


def call(lab, transport):
    tag = "call6-" + transport
    sa, sb = lab.path("alice-%s.json" % tag), lab.path("bob-%s.json" % tag)
    ra, a, rb, b = L.call_pair(lab, ["--duration", "3", "--timeout", "15", "--stats", sa],
                               ["--stats", sb], transport=transport, tag=tag)
    ja, jb = load(lab, sa), load(lab, sb)
    ma, mb = ja.get("media", {}), jb.get("media", {})
    ia, ib = ja.get("ice") or {}, jb.get("ice") or {}
    checks = {
        "exit codes 0/0": ra == 0 and rb == 0,
        "caller 200": ja.get("call", {}).get("sip_status") == 200,
        "rtp both ways": ma.get("rtp_received", 0) > 0 and mb.get("rtp_received", 0) > 0,
        "media on [::1] both sides": str(ma.get("local")).startswith("[::1]:") and
                                     str(mb.get("local")).startswith("[::1]:"),
        "stats family ipv6": (ia.get("local") or {}).get("family") == "ipv6" and
                             (ib.get("remote") or {}).get("family") == "ipv6",
        "no stderr output": a is not None and not a.err and not b.err,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s\nalice %s\nbob %s" % (bad, L.dumps(a, b), ja, jb)


SDP6 = ("v=0\r\no=probe 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\n"
        "m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n")


def sip_request(method, uri, src, call_id, cseq, from_tag, to_tag=None, body=""):
    lines = ["%s %s SIP/2.0" % (method, uri),
             "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s;rport" % (src[0], src[1],
                                                               uuid.uuid4().hex[:16]),
             "Max-Forwards: 70",
             "From: <sip:probe@%s>;tag=%s" % (src[0], from_tag),
             "To: <%s>%s" % (uri, ";tag=" + to_tag if to_tag else ""),
             "Call-ID: %s" % call_id, "CSeq: %d %s" % (cseq, method),
             "Contact: <sip:probe@%s:%d>" % src]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: %d" % len(body.encode()))
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def ipv6_offer_over_ipv4(lab, mode):
    """A raw INVITE over IPv4 whose offer (no ICE) has c=IN IP6 ::1; the callee (nat.mode
    none: plain RTP; ice: its default candidate) answers c=IN IP6 and its RTP arrives at
    the offerer's IPv6 socket (before: refused with 488, or with ICE an IPv4 c=)."""
    port = L.free_port()
    sb = lab.path("bob-offer6-%s.json" % mode)
    conf = lab.config("bob", register=False, local_port=port, name="bob-offer6-" + mode)
    with open(conf) as f:
        text = f.read().replace("mode = none", "mode = %s" % mode)
    with open(conf, "w") as f:
        f.write(text)
    bob = lab.spawn("bob", conf, "answer", "--timeout", "30", "--stats", sb)
    if bob.wait_line("ready", 20) is None:
        return False, "bob not ready\n" + L.dumps(bob)
    sig = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sig.bind((L.HOST, 0))
    media = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    media.bind(("::1", 0))
    media.settimeout(0.1)
    src = (L.HOST, sig.getsockname()[1])
    uri = "sip:bob@%s:%d" % (L.HOST, port)
    call_id, from_tag = uuid.uuid4().hex, uuid.uuid4().hex[:8]
    answer, to_tag, final = "", None, None
    try:
        sig.sendto(sip_request("INVITE", uri, src, call_id, 1, from_tag,
                               body=SDP6.format(port=media.getsockname()[1])),
                   (L.HOST, port))
        sig.settimeout(0.5)
        deadline = time.monotonic() + 15
        while final is None and time.monotonic() < deadline:
            try:
                data = sig.recv(65536).decode("utf-8", "replace")
            except socket.timeout:
                continue
            head, _, body = data.partition("\r\n\r\n")
            status = int(head.split()[1]) if head.startswith("SIP/2.0 ") else 0
            if status >= 200:
                final, answer = status, body
                for line in head.split("\r\n"):
                    if line.lower().startswith(("to:", "t:")) and ";tag=" in line:
                        to_tag = line.split(";tag=")[1].split(";")[0]
        if final == 200:
            sig.sendto(sip_request("ACK", uri, src, call_id, 1, from_tag, to_tag), (L.HOST, port))
        # Our RTP (PCMU silence) to the callee's answered address, and count its RTP to us.
        rtp_dest = None
        for line in answer.split("\r\n"):
            if line.startswith("m=audio "):
                rtp_dest = ("::1", int(line.split()[1]))
        received, seq = 0, 0
        end = time.monotonic() + 2.5
        while rtp_dest and time.monotonic() < end:
            seq += 1
            media.sendto(struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, seq * 160, 0x1234) +
                         b"\xff" * 160, rtp_dest)
            try:
                media.recv(2048)
                received += 1
            except socket.timeout:
                pass
        if final == 200:
            sig.sendto(sip_request("BYE", uri, src, call_id, 2, from_tag, to_tag), (L.HOST, port))
    finally:
        sig.close()
        media.close()
    rb = bob.wait(20)
    jb = load(lab, sb)
    checks = {
        "answered 200": final == 200,
        "answer has c=IN IP6 ::1": "c=IN IP6 ::1" in answer,
        "callee's RTP reached our IPv6 socket": received > 5,
        "callee received our RTP": (jb.get("media", {}).get("rtp_received") or 0) > 0,
        "callee exit 0": rb == 0,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (final %s, %d RTP received)\nanswer:\n%s\n%s\nbob %s" % (
        bad, final, received, answer, L.dumps(bob), jb)


def main():
    tap = L.Tap()
    if not have_ipv6():
        print("1..0 # SKIP no IPv6 on loopback here", flush=True)
        sys.exit(L.SKIP)
    tap.plan(7)
    with L.Lab("ipv6", tls=True, ipv6=True) as lab:
        tap.run_case("register over UDP to [::1]", register, lab, "udp")
        tap.run_case("register over TCP to [::1]", register, lab, "tcp")
        tap.run_case("register over TLS to [::1]", register, lab, "tls")
        tap.run_case("call over UDP via [::1]: RTP both ways on ::1", call, lab, "udp")
        tap.run_case("call over TCP via [::1]: RTP both ways on ::1", call, lab, "tcp")
    with L.Lab("ipv6-offer") as lab:
        for mode in ("none", "ice"):
            tap.run_case("IPv6 media offer over IPv4 SIP (mode %s): answered c=IN IP6, RTP "
                         "flows" % mode, ipv6_offer_over_ipv4, lab, mode)
    tap.exit()


if __name__ == "__main__":
    main()
