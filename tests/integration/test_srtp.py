#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SRTP (SDES) through a real Kamailio, checked on the wire.

alice sends a 700 Hz tone with PCMU to bob. dumpcap captures UDP on lo; the payloads of
alice's RTP packets are decoded as mu-law into a WAV and checked with trv-tone:
- plain RTP: the tone IS found in the captured payloads (the method works);
- SRTP (over TLS by default, and over UDP with srtp-over-insecure): the tone is NOT found
  in the captured payloads, packets carry the 80-bit auth tag, and bob's recording still
  has the tone;
- a mandatory-SRTP caller and a callee with srtp = off: the call fails with a clear reason;
- mandatory SRTP over plain UDP signalling without srtp-over-insecure: refused, naming it.
Needs root (capture) and dumpcap; skips (77) otherwise.
"""

import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

TONE = 700
DUMPCAP = shutil.which("dumpcap") or "/usr/bin/dumpcap"
SRTP_TAG_80 = 10


def ulaw_decode(b):
    """G.711 mu-law byte -> 16-bit linear sample."""
    b = ~b & 0xFF
    sign, exponent, mantissa = b & 0x80, (b >> 4) & 0x07, b & 0x0F
    sample = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return -sample if sign else sample


ULAW = [ulaw_decode(i) for i in range(256)]


class Capture:
    """dumpcap on lo (UDP only), stopped by PID; yields (src_port, dst_port, payload)."""

    def __init__(self, path):
        self.path = path
        self.proc = subprocess.Popen(
            [DUMPCAP, "-q", "-i", "lo", "-f", "udp", "-P", "-w", path],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        L._live.add(self.proc)   # killed by PID with the lab's processes on exit/signal
        deadline = time.monotonic() + 10
        # dumpcap creates the file once the capture is running.
        while time.monotonic() < deadline and self.proc.poll() is None:
            if os.path.exists(path) and os.path.getsize(path) > 0:
                break
            time.sleep(0.05)
        if self.proc.poll() is not None or not os.path.exists(path):
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
            self.stop()
            raise RuntimeError("dumpcap did not start: %s" % err.strip())
        time.sleep(0.3)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        L._live.discard(self.proc)

    def packets(self):
        with open(self.path, "rb") as f:
            data = f.read()
        magic = struct.unpack("<I", data[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        linktype = struct.unpack(endian + "I", data[20:24])[0]
        offset = 24
        while offset + 16 <= len(data):
            _, _, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
            frame = data[offset + 16:offset + 16 + caplen]
            offset += 16 + caplen
            if linktype == 1:        # Ethernet (Linux lo)
                if frame[12:14] != b"\x08\x00":
                    continue
                ip = frame[14:]
            elif linktype == 113:    # Linux cooked
                ip = frame[16:]
            elif linktype == 0:      # BSD null
                ip = frame[4:]
            else:
                raise RuntimeError("unexpected link type %d" % linktype)
            if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
                continue
            if struct.unpack(">H", ip[6:8])[0] & 0x3FFF:   # fragments: not RTP here
                continue
            ihl = (ip[0] & 0x0F) * 4
            sport, dport, ulen = struct.unpack(">HHH", ip[ihl:ihl + 6])
            yield sport, dport, ip[ihl + 8:ihl + ulen]


def port_of(addr):
    return int(addr.rsplit(":", 1)[1])


def rtp_stream(cap, src, dst, pt):
    """RTP packets (not muxed RTCP) of one flow and payload type, by sequence number."""
    out = []
    for sport, dport, p in cap.packets():
        if sport != src or dport != dst or len(p) < 12 or p[0] >> 6 != 2:
            continue
        if 192 <= p[1] <= 223 or p[1] & 0x7F != pt:
            continue
        out.append((struct.unpack(">H", p[2:4])[0], p))
    out.sort()
    return [p for _, p in out]


def payloads_to_wav(packets, path):
    """Each packet's first 160 payload bytes (20 ms of PCMU) decoded as mu-law."""
    frames = bytearray()
    for p in packets:
        cc, ext = p[0] & 0x0F, p[0] & 0x10
        off = 12 + 4 * cc
        if ext and len(p) >= off + 4:
            off += 4 + 4 * struct.unpack(">H", p[off + 2:off + 4])[0]
        for byte in p[off:off + 160]:
            frames += struct.pack("<h", ULAW[byte])
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(frames))


def config(lab, user, transport, tag, **account):
    """lab.config plus SRTP keys in [account]."""
    path = lab.config(user, transport=transport, codecs="PCMU",
                      ca_file=lab.ca if transport == "tls" else None, name="%s-%s" % (user, tag))
    extra = "".join("%s = %s\n" % (k.replace("_", "-"), v) for k, v in account.items())
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("[account]\n", "[account]\n" + extra, 1))
    return path


def call(lab, tag, transport, alice_acc, bob_acc, duration=4, extra=()):
    """alice (tone) calls bob (silence, recording) while dumpcap runs."""
    tone = lab.tone(TONE)
    rec_b = lab.path("bob-%s.wav" % tag)
    sa, sb = lab.path("alice-%s.json" % tag), lab.path("bob-%s.json" % tag)
    bob = lab.spawn("bob", config(lab, "bob", transport, tag, **bob_acc), "answer",
                    "--timeout", "30", "--record", rec_b, "--stats", sb)
    if bob.wait_line("ready", 20) is None:
        return None, None, None, bob.wait(5), bob, rec_b, sa, sb
    cap = Capture(lab.path("%s.pcap" % tag))
    try:
        alice = lab.spawn("alice", config(lab, "alice", transport, tag, **alice_acc), "call",
                          lab.uri("bob", transport), "--play", tone, "--duration", str(duration),
                          "--timeout", "15", "--stats", sa, *extra)
        rc_a = alice.wait(60)
        rc_b = bob.wait(20)
    finally:
        cap.stop()
    return cap, rc_a, alice, rc_b, bob, rec_b, sa, sb


def wire_case(lab, tag, transport, acc, encrypted):
    cap, rc_a, alice, rc_b, bob, rec_b, sa, sb = call(lab, tag, transport, acc, acc)
    diag = [L.dumps(alice, bob)]
    checks = {"call exit 0": rc_a == 0 and rc_b == 0}
    if cap is None or not checks["call exit 0"]:
        return False, "failed: %s\n%s" % (checks, "\n".join(diag))
    st_a, st_b = lab.stats(sa), lab.stats(sb)
    ma = st_a["media"]
    diag.append("alice media %s" % ma)
    want_suite = "AES_CM_128_HMAC_SHA1_80" if encrypted else None
    checks["alice srtp = %s" % want_suite] = ma.get("srtp") == want_suite
    checks["bob srtp = %s" % want_suite] = st_b["media"].get("srtp") == want_suite

    pkts = rtp_stream(cap, port_of(ma["local"]), port_of(ma["remote"]), 0)
    checks["captured > 100 RTP packets"] = len(pkts) > 100
    diag.append("captured %d RTP packets alice -> bob" % len(pkts))
    if pkts:
        # 12-byte header + 160 bytes of PCMU (+ 10-byte HMAC-SHA1-80 tag with SRTP).
        want_len = 12 + 160 + (SRTP_TAG_80 if encrypted else 0)
        sizes = sorted({len(p) for p in pkts})
        checks["packet size %d" % want_len] = sizes == [want_len]
        diag.append("packet sizes %s" % sizes)
    wav = lab.path("wire-%s.wav" % tag)
    payloads_to_wav(pkts, wav)
    if encrypted:
        rc, out = lab.tone_check(wav, TONE, max_fraction=0.05)
        checks["tone absent from captured payloads"] = rc == 0
    else:
        rc, out = lab.tone_check(wav, TONE, min_fraction=0.5)
        checks["tone found in captured payloads"] = rc == 0
    diag.append("wire: %s" % out)
    if os.path.exists(rec_b):
        rc, out = lab.tone_check(rec_b, TONE, min_fraction=0.5)
        checks["bob hears the tone"] = rc == 0
        diag.append("bob: %s" % out)
    else:
        checks["bob recording exists"] = False
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, "\n".join(diag))


def hold_resume(lab):
    """Hold and resume re-INVITEs keep SRTP (same keys, no pipeline rebuild needed)."""
    tag = "srtp-hold"
    acc = {"srtp": "mandatory"}
    cap, rc_a, alice, rc_b, bob, rec_b, sa, sb = call(
        lab, tag, "tls", acc, acc, duration=6, extra=("--hold-after", "1.5", "--hold-for", "1.5"))
    diag = [L.dumps(alice, bob)]
    checks = {"call exit 0": rc_a == 0 and rc_b == 0}
    if cap is None or not checks["call exit 0"]:
        return False, "failed: %s\n%s" % (checks, "\n".join(diag))
    st_a, st_b = lab.stats(sa), lab.stats(sb)
    checks["alice srtp after resume"] = st_a["media"].get("srtp") == "AES_CM_128_HMAC_SHA1_80"
    checks["bob srtp after resume"] = st_b["media"].get("srtp") == "AES_CM_128_HMAC_SHA1_80"
    checks["bob saw one hold"] = st_b["call"].get("remote_hold_count") == 1
    ma = st_a["media"]
    pkts = rtp_stream(cap, port_of(ma["local"]), port_of(ma["remote"]), 0)
    sizes = sorted({len(p) for p in pkts})
    # Alice sends nothing while she holds; when she resumes, the payloader flushes the
    # part of a ptime it had buffered (one shorter packet). Every other one is full SRTP.
    full = 12 + 160 + SRTP_TAG_80
    short = [len(p) for p in pkts if len(p) != full]
    checks["all packets SRTP-sized (one partial at resume)"] = (
        len(pkts) > 100 and len(short) <= 1 and all(12 + SRTP_TAG_80 < n < full for n in short))
    diag.append("%d packets, sizes %s; quality %s" % (len(pkts), sizes, st_a.get("quality")))
    # 6 s call with 1.5 s on hold: the tone is in well over a third of bob's recording.
    rc, out = lab.tone_check(rec_b, TONE, min_fraction=0.4)
    checks["bob hears the tone around the hold"] = rc == 0
    diag.append("bob: %s" % out)
    q = st_a.get("quality") or {}
    checks["quality figures"] = (q.get("mos") is not None and 1.0 <= q["mos"] <= 4.5
                                 and q.get("loss_pct") is not None)
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, "\n".join(diag))


def mandatory_vs_plain(lab):
    tag = "mandatory-vs-off"
    bob = lab.spawn("bob", config(lab, "bob", "tls", tag, srtp="off"), "answer", "--timeout", "30",
                    "--calls", "1")
    if bob.wait_line("ready", 20) is None:
        return False, bob.dump()
    rc, alice = lab.run("alice", config(lab, "alice", "tls", tag, srtp="mandatory"), "call",
                        lab.uri("bob", "tls"), "--duration", "2", "--timeout", "15", timeout=60)
    bob.wait(20)
    err = alice.stderr
    good = (rc == 4 and "does not support encrypted media (SRTP)" in err
            and "which this account requires" in err)
    return good, "exit %s (want 4 and the SRTP reason)\n%s" % (rc, L.dumps(alice, bob))


def mandatory_needs_tls(lab):
    tag = "mandatory-udp"
    bob = lab.spawn("bob", config(lab, "bob", "udp", tag, srtp="optional"), "answer",
                    "--timeout", "30", "--calls", "1")
    if bob.wait_line("ready", 20) is None:
        return False, bob.dump()
    rc, alice = lab.run("alice", config(lab, "alice", "udp", tag, srtp="mandatory"), "call",
                        lab.uri("bob", "udp"), "--duration", "2", "--timeout", "15", timeout=60)
    bob.kill()
    err = alice.stderr
    good = rc == 2 and "srtp-over-insecure" in err and "account.srtp" in err
    return good, "exit %s (want 2, a config error naming srtp-over-insecure)\n%s" % (rc, alice.dump())


def main():
    tap = L.Tap()
    if os.geteuid() != 0 or not os.access(DUMPCAP, os.X_OK):
        print("1..0 # SKIP needs root and dumpcap (tshark package) to capture on lo", flush=True)
        sys.exit(L.SKIP)
    tap.plan(6)
    with L.Lab("srtp", tls=True) as lab:
        tap.run_case("plain RTP: the tone is found in captured payloads", wire_case, lab,
                     "plain", "udp", {"srtp": "off"}, False)
        tap.run_case("SRTP over TLS signalling: payloads encrypted, far end hears the tone",
                     wire_case, lab, "srtp-tls", "tls", {"srtp": "optional"}, True)
        tap.run_case("SRTP over UDP with srtp-over-insecure: payloads encrypted", wire_case,
                     lab, "srtp-udp", "udp", {"srtp": "mandatory", "srtp_over_insecure": "true"},
                     True)
        tap.run_case("SRTP call with hold and resume stays encrypted", hold_resume, lab)
        tap.run_case("mandatory SRTP to a peer with srtp = off fails with the reason",
                     mandatory_vs_plain, lab)
        tap.run_case("mandatory SRTP over UDP signalling is refused without srtp-over-insecure",
                     mandatory_needs_tls, lab)
    tap.exit()


if __name__ == "__main__":
    main()
