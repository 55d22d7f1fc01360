#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The debug log tells the story and keeps the secrets: with G_MESSAGES_DEBUG=all an echo call
shows the call's, ICE's and the pipeline's state changes from start to end, and a registration
against Kamailio (sofia-sip at its most verbose, whole SIP messages included) shows the
registration's; neither log contains the account password or the TURN password, although
sofia-sip and libnice print them at these levels unless they are scrubbed."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

PASSWORD = "Acct-pw-Qx7vWz93"
TURN_PASSWORD = "Turn-pw-Kj4rTy58"
USERS = dict(L.USERS, alice=PASSWORD)


def debug_env(lab, **extra):
    env = lab.env()
    env["G_MESSAGES_DEBUG"] = "all"
    env.update(extra)
    return env


def spawn(lab, name, config, env, *args):
    p = L.Proc(name, [lab.cli, "--config", config] + [str(a) for a in args], env)
    lab.procs.append(p)
    return p


def secrets_in(text):
    return [s for s in (PASSWORD, TURN_PASSWORD) if s in text]


def missing(text, patterns):
    """The patterns (regular expressions, one line each) that no line of text matches."""
    return [p for p in patterns if not re.search(p, text, re.MULTILINE)]


def echo_call(lab):
    # An account that does not register and a TURN server where nothing answers: the call
    # still runs (direct paths), and both passwords were handed to sofia and libnice.
    conf = lab.path("echo.conf")
    with open(conf, "w") as f:
        f.write("[account]\naddress = sip:alice@%s\npassword = %s\nregister = false\n\n"
                "[nat]\nmode = ice\nturn-server = %s:%d\nturn-username = alice\n"
                "turn-password = %s\n" % (L.HOST, PASSWORD, L.HOST, L.free_port(), TURN_PASSWORD))
    p = spawn(lab, "echo", conf, debug_env(lab), "call", "echo", "--play", lab.tone(700, 3),
              "--record", lab.path("echo.wav"), "--duration", "2", "--timeout", "15")
    rc = p.wait(60)
    log = p.stdout + "\n" + p.stderr
    call = r"Traverse-Sip-DEBUG: .*call sip:echo@[^ ]*: "
    story = [call + "outgoing", call + "dialing -> ringing", call + "ringing -> active",
             call + r"ends \(local-hangup\)", call + "active -> ended",
             r"Traverse-Ice-DEBUG: .*ICE 0x[0-9a-f]+: new -> gathering",
             r"Traverse-Ice-DEBUG: .*ICE 0x[0-9a-f]+: gathering -> gathered",
             r"Traverse-Ice-DEBUG: .*ICE 0x[0-9a-f]+: \w+ -> connected",
             r"Traverse-Ice-DEBUG: .*ICE 0x[0-9a-f]+: selected pair host ",
             r"Traverse-Ice-DEBUG: .*ICE 0x[0-9a-f]+: connected -> closed",
             r"Traverse-Media-DEBUG: .*media 0x[0-9a-f]+: pipeline built: opus",
             r"Traverse-Media-DEBUG: .*media 0x[0-9a-f]+: pipeline PAUSED -> PLAYING",
             r"Traverse-Media-DEBUG: .*media 0x[0-9a-f]+: first RTP received",
             r"Traverse-Media-DEBUG: .*media 0x[0-9a-f]+: pipeline teardown after \d+ RTP sent",
             # libnice names the TURN password when it is given the relay: proof that the
             # scrubbing, not luck, kept it out.
             r"libnice-DEBUG: .*with user/pass : alice -- \*\*\*$"]
    lost = missing(log, story)
    leaked = secrets_in(log)
    good = rc == 0 and not lost and not leaked
    return good, "exit %s (want 0), missing from the log: %s, passwords in it: %s\n%s" % (
        rc, lost, leaked, p.dump()[-6000:])


def registration(lab):
    # SOFIA_DEBUG=9 and TPORT_LOG=1: every sofia module at its most verbose and each SIP
    # message printed whole; sofia's digest code then prints user:realm:password.
    env = debug_env(lab, SOFIA_DEBUG="9", TPORT_LOG="1")
    for k in ("SU_DEBUG", "NUA_DEBUG", "NTA_DEBUG", "TPORT_DEBUG", "IPTSEC_DEBUG"):
        env.pop(k, None)
    p = spawn(lab, "alice", lab.config("alice"), env, "register", "--timeout", "20")
    rc = p.wait(60)
    log = p.stdout + "\n" + p.stderr
    reg = r"Traverse-Sip-DEBUG: .*registration of alice@%s: " % re.escape(L.HOST)
    story = [reg + "unregistered -> registering", reg + "registering -> registered",
             r"Traverse-Sip-DEBUG: .*SIP agent 0x[0-9a-f]+: listening on sip:",
             r"Traverse-Sofia-DEBUG: .*REGISTER sip:",
             r"Traverse-Sofia-DEBUG: .*Authorization: Digest .*response=",
             r"Traverse-Sofia-DEBUG: .*A1 = MD5\(\*\*\*"]
    lost = missing(log, story)
    leaked = secrets_in(log)
    good = (rc == 0 and p.wait_line("registered sip:alice@", 0) is not None and not lost
            and not leaked)
    return good, "exit %s (want 0), missing from the log: %s, passwords in it: %s\n%s" % (
        rc, lost, leaked, p.dump()[-6000:])


def quiet_by_default(lab):
    # The same verbose sofia settings without G_MESSAGES_DEBUG: sofia's output no longer
    # reaches stderr (it used to print there), and stdout has the CLI's own lines only.
    env = lab.env()
    env.pop("G_MESSAGES_DEBUG", None)
    env.update(SOFIA_DEBUG="9", TPORT_LOG="1")
    p = spawn(lab, "alice-quiet", lab.config("alice"), env, "register", "--timeout", "20")
    rc = p.wait(60)
    good = (rc == 0 and p.err == [] and len(p.lines) == 1
            and p.lines[0].startswith("registered sip:alice@"))
    return good, "exit %s (want 0, one stdout line, nothing on stderr)\n%s" % (
        rc, p.dump()[-4000:])


def main():
    tap = L.Tap()
    tap.plan(3)
    with L.Lab("log", users=USERS) as lab:
        tap.run_case("G_MESSAGES_DEBUG=all call echo: the call's story, no password",
                     echo_call, lab)
        tap.run_case("G_MESSAGES_DEBUG=all register: the registration's story, no password",
                     registration, lab)
        tap.run_case("without G_MESSAGES_DEBUG sofia-sip stays off stderr, even at level 9",
                     quiet_by_default, lab)
    tap.exit()


if __name__ == "__main__":
    main()
