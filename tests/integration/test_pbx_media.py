#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What PBXs send mid-call, with SIPp as the PBX calling traverse-cli (answer, no
registration) directly on 127.0.0.1. The PBX's media addresses are RTP echo sockets of
this script: traverse-cli plays a tone, records what comes back, and the sockets count the
packets (and their payload type) that reach each address.
- re-INVITE moving the media to another address (127.0.0.2, another port): the answer is
  200 with SDP, RTP goes to the new address only, the tone still comes back.
- re-INVITE changing the codec (PCMU -> PCMA): the answer names PCMA, RTP carries PT 8.
- hold and resume by re-INVITE (a=sendonly, then a=sendrecv): answered recvonly, then
  sendrecv; no RTP while held, RTP again after.
- the same by UPDATE.
- INVITE without SDP: the 200 carries our offer, the answer in the ACK is used: audio flows.
- re-INVITE without SDP: the 200 carries a fresh offer, the ACK's answer (a new address)
  is used."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402
import sipp as S  # noqa: E402

TONE = 900
PAUSE = '<pause milliseconds="%d"/>\n'


def cli_config(tmp, name, port):
    path = os.path.join(tmp, "%s.conf" % name)
    with open(path, "w") as f:
        f.write("[account]\naddress = sip:traverse@%s\nregister = false\nlocal-port = %d\n"
                "\n[nat]\nmode = none\n\n[media]\ncodecs = PCMU, PCMA\njitter-ms = 60\n"
                % (L.HOST, port))
    return path


def tone(tmp):
    path = os.path.join(tmp, "tone.wav")
    if not os.path.exists(path):
        subprocess.run([os.environ["TRV_TONE"], "gen", "--freq", str(TONE), "--seconds", "30",
                        path], check=True, capture_output=True, timeout=60)
    return path


def tone_heard(wav):
    r = subprocess.run([os.environ["TRV_TONE"], "check", "--freq", str(TONE),
                        "--min-fraction", "0.4", wav], capture_output=True, text=True, timeout=60)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def call(tmp, name, body):
    """traverse-cli answers the call SIPp places with `body` (the requests after the
    first INVITE's exchange); returns (sipp rc, messages, errors, cli rc, cli, stats,
    recording heard)."""
    port = L.free_port(False)
    env = dict(os.environ)
    env.setdefault("SU_DEBUG", "0")
    env["TRAVERSE_AUDIOSINK"] = "fakesink sync=false"
    env["XDG_RUNTIME_DIR"] = tmp
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
    rec, stats = os.path.join(tmp, name + ".wav"), os.path.join(tmp, name + ".json")
    argv = [os.environ["TRAVERSE_CLI"], "--config", cli_config(tmp, name, port), "answer",
            "--calls", "1", "--timeout", "30", "--play", tone(tmp), "--record", rec,
            "--stats", stats]
    cli = L.Proc(name, argv, env)
    if cli.wait_line("ready", 20) is None:
        cli.kill()
        return None, "", "", None, cli, {}, (False, "not ready")
    rc, msgs, errs = S.run(tmp, name, S.scenario(name, body), "%s:%d" % (L.HOST, port))
    cli_rc = cli.wait(20)
    try:
        with open(stats) as f:
            st = json.load(f)
    except (OSError, ValueError):
        st = {}
    heard = tone_heard(rec) if os.path.exists(rec) else (False, "no recording")
    return rc, msgs, errs, cli_rc, cli, st, heard


def established(port, pt=0, codec="PCMU/8000"):
    """The initial INVITE with SDP at `port`, its 200 and the ACK."""
    return (S.request("INVITE", 1, S.sdp(port, pt, codec), first=True)
            + S.expect(100, optional=True) + S.expect(180, optional=True)
            + S.expect(200, ["m=audio [0-9]+ RTP/AVP %d" % pt], rrs=True)
            + S.request("ACK", 1))


def reinvite(cseq, body, checks):
    return (S.request("INVITE", cseq, body) + S.expect(100, optional=True)
            + S.expect(200, checks) + S.request("ACK", cseq))


def hang_up(cseq):
    return S.request("BYE", cseq) + S.expect(200)


def verdict(checks, rc, msgs, errs, cli, st, heard, extra=""):
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nsipp rc %s\n%s\nsipp errors:\n%s\nsipp messages:\n%s\n" \
        "stats: %s\ntone: %s\n%s" % (bad, rc, extra, errs[-3000:], msgs[-8000:], st, heard[1],
                                     cli.dump())


def new_address(tmp):
    # Another host as well as another port: loopback's 127.0.0.2.
    a, b = S.RtpEcho(), S.RtpEcho("127.0.0.2")
    try:
        body = (established(a.port) + PAUSE % 2000
                + reinvite(2, S.sdp(b.port, version=2, host=b.host),
                           ["m=audio [0-9]+ RTP/AVP 0", "a=sendrecv"])
                + PAUSE % 3000 + hang_up(3))
        rc, msgs, errs, cli_rc, cli, st, heard = call(tmp, "new-address", body)
        first_b = b.packets[0][0] if b.packets else None
        checks = {
            "sipp: scenario passed (answers carried SDP)": rc == 0,
            "traverse-cli exit 0": cli_rc == 0,
            "RTP reached the first address": a.count() > 30,
            "RTP reached the new address": b.count() > 80,
            "no RTP to the old address once the new one is used":
                first_b is not None and a.count(since=first_b + 0.3) == 0,
            "stats remote is the new address": st.get("media", {}).get("remote")
                == "%s:%d" % (b.host, b.port),
            "the tone came back": heard[0],
        }
    finally:
        a.close()
        b.close()
    return verdict(checks, rc, msgs, errs, cli, st, heard,
                   "packets: old %d, new %d" % (a.count(), b.count()))


def new_codec(tmp):
    a = S.RtpEcho()
    try:
        body = (established(a.port) + PAUSE % 2000
                + reinvite(2, S.sdp(a.port, 8, "PCMA/8000", version=2),
                           ["m=audio [0-9]+ RTP/AVP 8", "a=rtpmap:8 PCMA/8000"])
                + PAUSE % 3000 + hang_up(3))
        rc, msgs, errs, cli_rc, cli, st, heard = call(tmp, "new-codec", body)
        first_pcma = next((t for t, pt in a.packets if pt == 8), None)
        checks = {
            "sipp: scenario passed (answer names PCMA)": rc == 0,
            "traverse-cli exit 0": cli_rc == 0,
            "PCMU before": a.count(pt=0) > 30,
            "PCMA after": a.count(pt=8) > 80,
            "no PCMU once PCMA is used":
                first_pcma is not None and a.count(since=first_pcma + 0.3, pt=0) == 0,
            "stats codec PCMA": st.get("media", {}).get("codec") == "PCMA",
            "the tone came back": heard[0],
        }
    finally:
        a.close()
    return verdict(checks, rc, msgs, errs, cli, st, heard,
                   "packets: PCMU %d, PCMA %d" % (a.count(pt=0), a.count(pt=8)))


def hold_resume(tmp, method):
    a = S.RtpEcho()
    if method == "INVITE":
        hold = reinvite(2, S.sdp(a.port, direction="sendonly", version=2), ["a=recvonly"])
        resume = reinvite(3, S.sdp(a.port, version=3), ["a=sendrecv"])
    else:
        hold = S.request("UPDATE", 2, S.sdp(a.port, direction="sendonly", version=2)) \
            + S.expect(200, ["a=recvonly"])
        resume = S.request("UPDATE", 3, S.sdp(a.port, version=3)) + S.expect(200, ["a=sendrecv"])
    try:
        body = (established(a.port) + PAUSE % 2000 + hold + PAUSE % 3000 + resume
                + PAUSE % 2000 + hang_up(4))
        rc, msgs, errs, cli_rc, cli, st, heard = call(tmp, "hold-" + method.lower(), body)
        times = [t for t, _ in a.packets]
        gap = max((y - x for x, y in zip(times, times[1:])), default=0)
        last = times[-1] if times else 0
        checks = {
            "sipp: scenario passed (recvonly, then sendrecv)": rc == 0,
            "traverse-cli exit 0": cli_rc == 0,
            "no RTP while held (longest gap %.1f s)" % gap: 2.5 <= gap < 5,
            "RTP again after resume": a.count(since=last - 1.5) > 40,
            "stats remote_hold_count 1": st.get("call", {}).get("remote_hold_count") == 1,
        }
    finally:
        a.close()
    return verdict(checks, rc, msgs, errs, cli, st, heard)


def invite_without_sdp(tmp):
    a = S.RtpEcho()
    try:
        body = (S.request("INVITE", 1, None, first=True) + S.expect(100, optional=True)
                + S.expect(180, optional=True)
                + S.expect(200, ["m=audio [0-9]+ RTP/AVP 0", "a=rtpmap:0 PCMU/8000",
                                 "a=sendrecv"], rrs=True)
                + S.request("ACK", 1, S.sdp(a.port))
                + PAUSE % 3000 + hang_up(2))
        rc, msgs, errs, cli_rc, cli, st, heard = call(tmp, "invite-no-sdp", body)
        checks = {
            "sipp: scenario passed (200 carries an offer)": rc == 0,
            "traverse-cli exit 0": cli_rc == 0,
            "RTP reached the address in the ACK": a.count(pt=0) > 80,
            "stats codec PCMU": st.get("media", {}).get("codec") == "PCMU",
            "the tone came back": heard[0],
        }
    finally:
        a.close()
    return verdict(checks, rc, msgs, errs, cli, st, heard)


def reinvite_without_sdp(tmp):
    a, b = S.RtpEcho(), S.RtpEcho()
    try:
        body = (established(a.port) + PAUSE % 2000
                + S.request("INVITE", 2, None) + S.expect(100, optional=True)
                + S.expect(200, ["m=audio [0-9]+ RTP/AVP 0", "a=sendrecv", "o=[^\n]* 2 IN IP4"])
                + S.request("ACK", 2, S.sdp(b.port, version=2))
                + PAUSE % 3000 + hang_up(3))
        rc, msgs, errs, cli_rc, cli, st, heard = call(tmp, "reinvite-no-sdp", body)
        first_b = b.packets[0][0] if b.packets else None
        checks = {
            "sipp: scenario passed (200 carries a new offer)": rc == 0,
            "traverse-cli exit 0": cli_rc == 0,
            "RTP reached the first address": a.count() > 30,
            "RTP reached the address in the ACK": b.count() > 80,
            "no RTP to the old address after the ACK":
                first_b is not None and a.count(since=first_b + 0.3) == 0,
            "the tone came back": heard[0],
        }
    finally:
        a.close()
        b.close()
    return verdict(checks, rc, msgs, errs, cli, st, heard,
                   "packets: old %d, new %d" % (a.count(), b.count()))


def main():
    S.run_cases("trv-integ-pbx-media-", [
        ("re-INVITE to a new media address: media follows it", new_address),
        ("re-INVITE with another codec: PCMU -> PCMA", new_codec),
        ("hold and resume by re-INVITE", hold_resume, "INVITE"),
        ("hold and resume by UPDATE", hold_resume, "UPDATE"),
        ("INVITE without SDP: offer in the 200, answer in the ACK", invite_without_sdp),
        ("re-INVITE without SDP: offer in the 200, answer in the ACK", reinvite_without_sdp),
    ])


if __name__ == "__main__":
    main()
