#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interop through the NATs: traverse-cli (ICE) and baresip (Debian 12, ice module) behind
two restricted NATs, registered at the lab's Kamailio, each direction with two-way audio.

Usage: test_interop.py baresip-callee|baresip-caller|baresip-no-ice   Prints TAP.
baresip-no-ice: baresip without ICE on a public address, called by traverse-cli behind NAT.
baresip plays an 8 kHz tone through its aufile source and its sndfile filter dumps what it
decodes; traverse-cli plays and records WAVs. baresip's ICE checks take several seconds
before it sends audio, so the calls last 20 s.
"""

import glob
import json
import math
import os
import shutil
import struct
import sys
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import natlab  # noqa: E402
import test_calls as tc  # noqa: E402

TONE_TRV = 700       # what traverse-cli sends
TONE_BARESIP = 1300  # what baresip sends
CALL_S = 20


class Baresip:
    def __init__(self, lab, host, user, tone_hz, ice=True):
        self.lab, self.host, self.user = lab, host, user
        self.dir = os.path.join(host.dir, f"baresip-{user}")
        self.snd = os.path.join(self.dir, "snd")
        os.makedirs(self.snd)
        # aufile wants the codec's own rate: 8 kHz mono for PCMU.
        tone = os.path.join(self.dir, f"tone-{tone_hz}-8k.wav")
        with wave.open(tone, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(
                2 * math.pi * tone_hz * i / 8000))) for i in range(8000 * (CALL_S + 20))))
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write("\n".join([
                "poll_method epoll", f"sip_listen {host.ip}:5070",
                "audio_player aubridge,nowhere", f"audio_source aufile,{tone}",
                "audio_alert aubridge,nowhere", f"snd_path {self.snd}",
                "module_path /usr/lib/baresip/modules",
                "module g711.so", "module aufile.so", "module aubridge.so", "module sndfile.so",
                "module stun.so", "module turn.so", "module ice.so",
                "module_tmp account.so", "module_app menu.so", ""]))
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            f.write(f"<sip:{user}@{natlab.DOMAIN}>;auth_pass={lab.sip_users[user]};"
                    f"outbound=\"sip:{natlab.SERVER_IP}:{natlab.SIP_PORT}\";" +
                    (f"medianat=ice;stunserver=\"stun:{natlab.SERVER_IP}:{natlab.TURN_PORT}\";"
                     if ice else "") +
                    "answermode=auto;audio_codecs=PCMU\n")
        self.log = os.path.join(lab.dir, f"baresip-{user}.log")
        self.proc = None

    def start(self, dial=None):
        argv = ["baresip", "-f", self.dir, "-t", str(CALL_S + 25)]
        if dial:
            argv += ["-e", f"/dial {dial}"]
        self.proc = self.lab.spawn(self.host, argv, f"baresip-{self.user}")

    def text(self):
        with open(self.log, errors="replace") as f:
            return "".join(line for line in f if "audio=" not in line)

    def wait_registered(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if "200 OK" in self.text():
                return True
            time.sleep(0.1)
        return False

    def decoded_wav(self):
        found = glob.glob(os.path.join(self.snd, "dump-*-dec.wav"))
        return found[0] if found else None


def main():
    cases = ("baresip-callee", "baresip-caller", "baresip-no-ice")
    if len(sys.argv) != 2 or sys.argv[1] not in cases:
        print(f"usage: {sys.argv[0]} {'|'.join(cases)}", file=sys.stderr)
        return 2
    name = sys.argv[1]
    cli, tool = os.environ.get("TRAVERSE_CLI"), os.environ.get("TRV_TONE")
    if not cli or not tool:
        natlab.skip("TRAVERSE_CLI / TRV_TONE not set; run through meson test")
    natlab.require_lab()
    if not shutil.which("baresip") or not os.path.exists("/usr/lib/baresip/modules/ice.so"):
        natlab.skip("baresip (with its ice module) is not installed")
    tap = natlab.Tap()

    with natlab.Lab() as lab:
        host_t = lab.add_site("restricted").clients[0]
        # baresip-no-ice: a peer without ICE on a public address; traverse-cli must still
        # get two-way audio through its own NAT (srflx default candidate, sending first).
        no_ice = name == "baresip-no-ice"
        host_b = lab.add_public_host() if no_ice else lab.add_site("restricted").clients[0]
        lab.start_turn()
        lab.start_dns()
        lab.start_sip()
        caller = name != "baresip-caller"
        trv_user, bs_user = ("alice", "bob") if caller else ("bob", "alice")
        trv = tc.Client(lab, host_t, trv_user, "ice")
        bs = Baresip(lab, host_b, bs_user, TONE_BARESIP, ice=not no_ice)
        tone = tc.tone_file(lab, tool, TONE_TRV)

        if caller:
            bs.start()
            tap.ok(bs.wait_registered(20), "baresip registered", bs.text())
            trv.start(cli, ["call", f"sip:{bs_user}@{natlab.SERVER_IP}:{natlab.SIP_PORT}",
                            "--duration", str(CALL_S), "--timeout", "15"], tone)
        else:
            trv.start(cli, ["answer", "--duration", str(CALL_S), "--timeout", "30"], tone)
            tap.ok(trv.wait_line("ready", 20), "traverse-cli registered and waits", trv.dump())
            bs.start(dial=f"sip:{trv_user}@{natlab.SERVER_IP}:{natlab.SIP_PORT}")
        rc = trv.wait(CALL_S + 40)
        st = trv.load_stats()
        detail = f"{trv.dump()}\nstats: {json.dumps(st)}\nbaresip:\n{bs.text()[-3000:]}"
        tap.ok(rc == 0, f"traverse-cli call ends normally (exit {rc})", detail)
        ice = st.get("ice") or {}
        local = (ice.get("local") or {}).get("type")
        if no_ice:
            remote = (st.get("media") or {}).get("remote") or ""
            tap.ok(remote.startswith(host_b.ip + ":"),
                   f"media goes straight to baresip's address (remote {remote})", json.dumps(st))
        else:
            tap.ok(local in ("srflx", "prflx"),
                   f"ICE path through the NATs without relay (local {local})", json.dumps(ice))
        ok = os.path.exists(trv.rec)
        if tap.ok(ok, "traverse-cli recorded audio", detail):
            good, out = tc.tone_check(tool, trv.rec, TONE_BARESIP)
            tap.ok(good, f"traverse-cli hears baresip's {TONE_BARESIP} Hz", out)
        # baresip writes its dump when the call ends: give it a moment after traverse hung up.
        deadline = time.monotonic() + 10
        while bs.decoded_wav() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        dec = bs.decoded_wav()
        if tap.ok(dec is not None, "baresip dumped the audio it decoded", bs.text()[-3000:]):
            time.sleep(1)
            good, out = tc.tone_check(tool, dec, TONE_TRV)
            tap.ok(good, f"baresip hears traverse-cli's {TONE_TRV} Hz", out)
        if tap.failed:
            lab.failed = True
    print(f"1..{tap.n}", flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
