#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interop through the NATs: traverse-cli (ICE) and baresip (Debian 12, ice module) behind
two restricted NATs, registered at the lab's Kamailio, each direction with two-way audio;
and traverse-cli with linphonec (liblinphone 5.1, ICE with the lab's STUN/TURN server).

Usage: test_interop.py baresip-callee|baresip-caller|baresip-no-ice|
                       linphone-{callee,caller}-{restricted,symmetric}   Prints TAP.
linphone-callee-*: traverse-cli calls linphonec; linphone-caller-*: linphonec calls it;
both behind NATs of that kind, a 20 s call whose audio must last to its end.
baresip-no-ice: baresip without ICE on a public address, called by traverse-cli behind NAT.
baresip plays an 8 kHz tone through its aufile source and its sndfile filter dumps what it
decodes; traverse-cli plays and records WAVs. baresip's ICE checks take several seconds
before it sends audio, so the calls last 20 s.
"""

import glob
import json
import math
import os
import re
import shutil
import struct
import subprocess
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
        write_tone(tone, tone_hz, 8000, CALL_S + 20)
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


class Linphonec:
    """linphonec (liblinphone 5.1, Debian's linphone-cli) registered at the lab's Kamailio,
    ICE with the lab's coturn for STUN and TURN (its NAT policy "stun,turn,ice"), driven
    through its command prompt on stdin. Without a sound card it plays and records WAVs in
    its file mode ('soundcard use files', 'play', 'record'), which no config key sets."""

    def __init__(self, lab, host, user, tone_hz):
        self.lab, self.host, self.user = lab, host, user
        self.dir = os.path.join(host.dir, f"linphonec-{user}")
        # HOME: without its database directory the core never starts (no REGISTER at all).
        os.makedirs(os.path.join(self.dir, ".local", "share", "linphone"))
        # The file player wants the codec's own rate (8 kHz mono for PCMU) to play in time.
        self.tone = os.path.join(self.dir, f"tone-{tone_hz}-8k.wav")
        write_tone(self.tone, tone_hz, 8000, CALL_S + 20)
        self.rec = os.path.join(self.dir, "rec.wav")
        self.rc = os.path.join(self.dir, "linphonerc")
        pw = lab.sip_users[user]
        with open(self.rc, "w") as f:
            f.write("\n".join([
                "[sip]", "sip_port=5070", "sip_tcp_port=0", "default_proxy=0",
                "media_encryption=none", "",
                "[net]", "nat_policy_ref=lab", "",
                "[nat_policy_0]", "ref=lab", f"stun_server={natlab.SERVER_IP}:{natlab.TURN_PORT}",
                f"stun_server_username={natlab.TURN_USER}", "protocols=stun,turn,ice", "",
                # TURN credentials are an auth_info found by user name and realm.
                "[auth_info_0]", f"username={natlab.TURN_USER}", f"passwd={lab.turn_password}",
                f"realm={natlab.TURN_REALM}", "",
                "[auth_info_1]", f"username={user}", f"passwd={pw}", f"realm={natlab.DOMAIN}",
                f"domain={natlab.DOMAIN}", "",
                "[proxy_0]", f"reg_proxy=<sip:{natlab.SERVER_IP}:{natlab.SIP_PORT};transport=udp>",
                f"reg_identity=sip:{user}@{natlab.DOMAIN}", "reg_expires=600",
                "reg_sendregister=1", "publish=0", "",
                "[rtp]", "audio_rtp_port=7078", "audio_jitt_comp=60", "",
                "[sound]", "echocancellation=0", "",
                "[video]", "enabled=0", "capture=0", "display=0", ""]))
        self.log = os.path.join(lab.dir, f"linphonec-{user}.log")
        self.debug_log = os.path.join(lab.dir, f"linphonec-{user}-debug.log")
        self.proc = None

    def start(self, auto_answer):
        env = dict(os.environ, HOME=self.dir)
        argv = ["linphonec", "-c", self.rc, "-d", "6", "-l", self.debug_log]
        if auto_answer:
            argv.append("-a")
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(self.host.argv(argv), stdin=subprocess.PIPE,
                                         stdout=out, stderr=subprocess.STDOUT, text=True,
                                         env=env, start_new_session=True)
        # Registered with the lab so it is killed by pid whatever happens.
        self.lab.procs.append((f"linphonec-{self.user}", self.proc, self.log))
        for cmd in ("soundcard use files", f"play {self.tone}", f"record {self.rec}"):
            self.command(cmd)

    def command(self, line):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(line + "\n")
                self.proc.stdin.flush()
            except BrokenPipeError:
                pass

    def text(self, path=None):
        try:
            with open(path or self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_state(self, pattern, timeout):
        """Waits for a state change in its debug log (its prompt's output is block-buffered
        into a file, so that is where states show up in time)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if re.search(pattern, self.text(self.debug_log)):
                return True
            time.sleep(0.2)
        return re.search(pattern, self.text(self.debug_log)) is not None

    def quit(self):
        self.command("terminate all")
        self.command("quit")
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def ice_lines(self):
        """What its ICE agent decided, from the debug log (for failure reports)."""
        key = re.compile(r"Learned peer reflexive|Finished ICE check list|ICE session restart|"
                         r"Recv error response|IceState|Send binding response")
        lines = [x for x in self.text(self.debug_log).splitlines(True) if key.search(x)]
        return "".join(lines[:20] + ["...\n"] + lines[-20:] if len(lines) > 40 else lines)

    def answers_via_turn_server(self):
        """liblinphone's known fault: checks that reach it through its TURN channel are
        taken as coming from the TURN server, and answered there, not through the relay."""
        return re.search(rf"Learned peer reflexive candidate {re.escape(natlab.SERVER_IP)}:"
                         rf"{natlab.TURN_PORT}\b", self.text(self.debug_log)) is not None


def write_tone(path, hz, rate, seconds):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(
            2 * math.pi * hz * i / rate))) for i in range(rate * seconds)))


def wav_seconds(path):
    try:
        with wave.open(path, "rb") as w:
            return w.getnframes() / w.getframerate()
    except (OSError, wave.Error, EOFError):
        return 0.0


def two_way_checks(tap, tool, rec, hz, who):
    """The tone over the whole recording and in its last 5 s (audio that dies mid-call
    passes the first and fails the second), and a recording as long as the call
    (traverse-cli's recording ends where the RTP stopped)."""
    good, out = tc.tone_check(tool, rec, hz)
    tap.ok(good, f"{who} hears {hz} Hz", out)
    seconds = wav_seconds(rec)
    tap.ok(seconds >= CALL_S - 4, f"{who}'s recording covers the call ({seconds:.1f} s, "
           f"want >= {CALL_S - 4} s)")
    skip = max(0.0, seconds - 5)
    r = subprocess.run([tool, "check", "--freq", str(hz), "--min-fraction", "0.5",
                        "--skip-seconds", f"{skip:.2f}", rec],
                       capture_output=True, text=True, timeout=60)
    tap.ok(r.returncode == 0, f"{who} still hears {hz} Hz in the last 5 s of its recording (from {skip:.1f} s)",
           (r.stdout + r.stderr).strip())


def linphone_case(tap, lab, cli, tool, caller, nat):
    """traverse-cli (ICE) and linphonec (ICE), each behind its own NAT of kind nat, both
    with the lab's coturn for STUN and TURN, registered at Kamailio; a 20 s call."""
    host_t = lab.add_site(nat).clients[0]
    host_l = lab.add_site(nat).clients[0]
    lab.start_turn()
    lab.start_dns()
    lab.start_sip()
    trv_user, lp_user = ("alice", "bob") if caller else ("bob", "alice")
    trv = tc.Client(lab, host_t, trv_user, "ice")
    lp = Linphonec(lab, host_l, lp_user, TONE_BARESIP)
    tone = tc.tone_file(lab, tool, TONE_TRV)
    lp.start(auto_answer=caller)
    tap.ok(lp.wait_state(r"to \[LinphoneRegistrationOk\]", 20), "linphonec registered",
           lp.text()[-3000:])
    if caller:
        trv.start(cli, ["call", f"sip:{lp_user}@{natlab.SERVER_IP}:{natlab.SIP_PORT}",
                        "--duration", str(CALL_S), "--timeout", "15"], tone)
    else:
        trv.start(cli, ["answer", "--duration", str(CALL_S), "--timeout", "30"], tone)
        tap.ok(trv.wait_line("ready", 20), "traverse-cli registered and waits", trv.dump())
        lp.command(f"call sip:{trv_user}@{natlab.SERVER_IP}:{natlab.SIP_PORT}")
    rc = trv.wait(CALL_S + 40)
    lp.wait_state(r"to \[?LinphoneCallReleased", 5)
    lp.quit()
    st = trv.load_stats()
    detail = (f"{trv.dump()}\nstats: {json.dumps(st)}\nlinphonec:\n{lp.text()[-3000:]}\n"
              f"linphonec ICE:\n{lp.ice_lines()}")
    tap.ok(rc == 0, f"traverse-cli call ends normally (exit {rc})", detail)
    if lp.answers_via_turn_server():
        natlab.log("linphonec answered STUN checks that came through its TURN channel to the "
                   "TURN server itself (it learned the server's address as peer-reflexive): "
                   "the peer's consent checks on a pair with linphonec's relay go unanswered")
    ice = st.get("ice") or {}
    local = (ice.get("local") or {}).get("type")
    remote = (ice.get("remote") or {}).get("type")
    if nat == "symmetric":
        tap.ok("relay" in (local, remote),
               f"ICE path through a TURN relay (local {local}, remote {remote})", json.dumps(ice))
    else:
        tap.ok(local in ("srflx", "prflx", "relay") and remote is not None,
               f"ICE selected a pair through the NATs (local {local}, remote {remote})",
               json.dumps(ice))
    got = (st.get("media") or {}).get("rtp_received") or 0
    want = (CALL_S - 4) * 50
    tap.ok(got >= want, f"traverse-cli received RTP all call long ({got} packets, "
           f"want >= {want})", detail)
    if tap.ok(os.path.exists(trv.rec), "traverse-cli recorded audio", detail):
        two_way_checks(tap, tool, trv.rec, TONE_BARESIP, "traverse-cli")
    if tap.ok(os.path.exists(lp.rec), "linphonec recorded audio", lp.text()[-3000:]):
        two_way_checks(tap, tool, lp.rec, TONE_TRV, "linphonec")


def main():
    cases = ("baresip-callee", "baresip-caller", "baresip-no-ice", "linphone-caller-restricted",
             "linphone-callee-restricted", "linphone-caller-symmetric",
             "linphone-callee-symmetric")
    args = natlab.cell_args(cases)
    if args is None:
        return 2
    name, cli, tool = args
    if not shutil.which("baresip") or not os.path.exists("/usr/lib/baresip/modules/ice.so"):
        natlab.skip("baresip (with its ice module) is not installed")
    if name.startswith("linphone-"):
        if not shutil.which("linphonec"):
            natlab.skip("linphonec is not installed (package linphone-cli)")
        tap = natlab.Tap()
        # linphone-caller-*: linphonec calls traverse-cli; -callee-*: traverse-cli calls it.
        _, role, nat = name.split("-")
        with natlab.Lab() as lab:
            linphone_case(tap, lab, cli, tool, caller=role == "callee", nat=nat)
            if tap.failed:
                lab.failed = True
        print(f"1..{tap.n}", flush=True)
        return 1 if tap.failed else 0
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
