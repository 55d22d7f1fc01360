#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Transfer (RFC 3515 REFER, RFC 5589, RFC 3891 Replaces) on 127.0.0.1.
- Three traverse-cli registered at the lab's Kamailio: alice calls bob, bob transfers
  alice to carol (--transfer-to/--transfer-after); alice ends up talking to carol (each
  hears the other's tone), bob says transferring/transferred and exits 0. A target the
  registrar does not know (404): both warn, the call between them goes on.
- SIPp as the transferor calls traverse-cli and REFERs it to a second traverse-cli: 202,
  then NOTIFY sipfrag 100 Trying and NOTIFY 200 OK; the new call carries the tone. Also
  with the transferor hanging up right after the NOTIFY 100: the new call goes on.
- Attended transfer: alice calls bob, bob (--attended) holds alice, calls carol, and when
  carol answers REFERs alice to carol with Replaces; alice's INVITE to carol replaces
  bob's call there: alice and carol hear each other's tones, bob's two calls end, carol
  says 'replaced by', bob 'consulting', 'transferring' and 'transferred'.
- A REFER with a malformed Refer-To gets 400, one to an http: URI 403, without Refer-To
  400, one whose Replaces is malformed 400; the call goes on (a BYE after them is
  answered 200). An INVITE with Replaces for no call we know gets 481, one for a ringing
  (early) call 481 too, "early-only" for an established call 486; none of them rings.
- Our REFER refused by SIPp (403): a warning names it, the call goes on, exit 0."""

import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import invite_probe  # noqa: E402
import lab as L  # noqa: E402
import sipp as S  # noqa: E402

ALICE_TONE, BOB_TONE, CAROL_TONE = 700, 500, 900


def line(proc, prefix):
    return proc is not None and any(ln.startswith(prefix) for ln in proc.lines)


def transfer_run(lab, tag, *bob_args):
    """carol answers, bob answers alice's call and transfers her to carol after 2 s (with
    `bob_args` added); returns the three processes, their exit codes, what alice and carol
    heard, and bob's stats."""
    ra, rc_ = lab.path("alice-%s.wav" % tag), lab.path("carol-%s.wav" % tag)
    sa, sb = lab.path("alice-%s.json" % tag), lab.path("bob-%s.json" % tag)
    carol = lab.spawn("carol", lab.config("carol", name="carol-" + tag), "answer", "--timeout",
                      "40", "--play", lab.tone(CAROL_TONE), "--record", rc_)
    bob = lab.spawn("bob", lab.config("bob", name="bob-" + tag), "answer", "--timeout", "30",
                    "--play", lab.tone(BOB_TONE), "--transfer-to", lab.uri("carol"),
                    "--transfer-after", "2", "--stats", sb, *bob_args)
    if carol.wait_line("ready", 20) is None or bob.wait_line("ready", 20) is None:
        return None
    alice = lab.spawn("alice", lab.config("alice", name="alice-" + tag), "call", lab.uri("bob"),
                      "--timeout", "15", "--duration", "6", "--play", lab.tone(ALICE_TONE),
                      "--record", ra, "--stats", sa)
    rcs = (alice.wait(60), bob.wait(20), carol.wait(20))
    alice_hears = lab.tone_check(ra, CAROL_TONE, min_fraction=0.4) if os.path.exists(ra) \
        else (1, "no recording")
    carol_hears = lab.tone_check(rc_, ALICE_TONE, min_fraction=0.4) if os.path.exists(rc_) \
        else (1, "no recording")
    try:
        jb = lab.stats(sb)
    except (OSError, ValueError):
        jb = {}
    return (alice, bob, carol), rcs, alice_hears, carol_hears, jb


def transfer_checks(lab, run, checks_of):
    """The checks both kinds of transfer share, then checks_of(alice, bob, carol)."""
    if run is None:
        return False, "carol or bob not ready"
    (alice, bob, carol), rcs, alice_hears, carol_hears, jb = run
    carol_uri = lab.uri("carol")
    checks = {
        "alice exit 0": rcs[0] == 0,
        "bob exit 0": rcs[1] == 0,
        "carol exit 0": rcs[2] == 0,
        "bob printed transferring": line(bob, "transferring " + carol_uri),
        "bob printed transferred": any(ln == "transferred" for ln in bob.lines),
        "alice printed transferred to": any(ln.startswith("transferred to sip:carol@")
                                            for ln in alice.lines),
        "alice hears carol": alice_hears[0] == 0,
        "carol hears alice": carol_hears[0] == 0,
        "bob's stats name the target": jb.get("call", {}).get("transferred_to") == carol_uri,
        "bob hung up himself": jb.get("call", {}).get("end_reason") == "local-hangup",
    }
    checks.update(checks_of(alice, bob, carol))
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nalice tone %s\ncarol tone %s\nbob stats %s\n%s" % (
        bad, alice_hears[1], carol_hears[1], jb, L.dumps(alice, bob, carol))


def three_party(lab):
    return transfer_checks(lab, transfer_run(lab, "xfer"), lambda alice, bob, carol: {
        "carol took a call": line(carol, "incoming "),
    })


def attended(lab):
    """alice calls bob; bob consults carol, then transfers alice to her with Replaces."""
    carol_uri = lab.uri("carol")
    return transfer_checks(lab, transfer_run(lab, "att", "--attended"),
                           lambda alice, bob, carol: {
        "bob printed consulting": line(bob, "consulting " + carol_uri),
        "bob put alice on hold": line(alice, "held by the other side"),
        "carol's call was replaced by alice's": line(carol, "replaced by sip:alice@"),
        "carol took one call": sum(ln.startswith("incoming ") for ln in carol.lines) == 1,
    })


def target_unreachable(lab):
    """bob transfers alice to a user the registrar does not know (404): both say why, the
    call between them goes on until alice's --duration, both exit 0."""
    sb = lab.path("bob-xfer-fail.json")
    nobody = lab.uri("nobody")
    bob = lab.spawn("bob", lab.config("bob", name="bob-xfer-fail"), "answer", "--timeout",
                    "30", "--transfer-to", nobody, "--transfer-after", "1", "--stats", sb)
    if bob.wait_line("ready", 20) is None:
        return False, "not ready\n" + bob.dump()
    alice = lab.spawn("alice", lab.config("alice", name="alice-xfer-fail"), "call",
                      lab.uri("bob"), "--timeout", "15", "--duration", "4")
    rc_alice = alice.wait(60)
    rc_bob = bob.wait(20)
    try:
        jb = lab.stats(sb)
    except (OSError, ValueError):
        jb = {}
    cb = jb.get("call", {})
    checks = {
        "alice exit 0": rc_alice == 0,
        "bob exit 0": rc_bob == 0,
        "bob warned with the status": any(ln.startswith("warning: ") and "404" in ln
                                          for ln in bob.lines),
        "alice warned": any(ln.startswith("warning: transfer to ") for ln in alice.lines),
        "bob never said transferred": not any(ln == "transferred" for ln in bob.lines),
        "the call went on: alice hung up": cb.get("end_reason") == "remote-hangup",
        "no transferred_to": "transferred_to" in cb and cb.get("transferred_to") is None,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nbob stats %s\n%s" % (bad, jb, L.dumps(alice, bob))


# --- SIPp as the transferor -------------------------------------------------------------

def cli_config(tmp, name, port):
    path = os.path.join(tmp, "%s.conf" % name)
    with open(path, "w") as f:
        f.write("[account]\naddress = sip:%s@%s\nregister = false\nlocal-port = %d\n"
                "\n[nat]\nmode = none\n\n[media]\ncodecs = PCMU\njitter-ms = 60\n"
                % (name, L.HOST, port))
    return path


def cli(lab, tmp, name, *args):
    port = L.free_port(False)
    argv = [lab.cli, "--config", cli_config(tmp, name, port), "answer", "--calls", "1",
            "--timeout", "30"] + [str(a) for a in args]
    p = L.Proc(name, argv, lab.env())
    lab.procs.append(p)
    return p, port


def established(port):
    return (S.request("INVITE", 1, S.sdp(port), first=True)
            + S.expect(100, optional=True) + S.expect(180, optional=True)
            + S.expect(200, rrs=True) + S.request("ACK", 1)
            + '<pause milliseconds="1000"/>\n')


def refer(cseq, refer_to):
    extra = "Refer-To: %s" % refer_to if refer_to else ""
    return S.request("REFER", cseq, extra=extra)


def notify(frag):
    """A NOTIFY of the REFER's subscription whose sipfrag says `frag`, answered 200."""
    return ('<recv request="NOTIFY"><action><ereg regexp="%s" search_in="body" '
            'check_it="true" assign_to="m%d"/><ereg regexp="refer" search_in="hdr" '
            'header="Event:" check_it="true" assign_to="m%d"/></action></recv>\n'
            % (frag, next(S._names), next(S._names))
            + '<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n'
              '[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n')


def sipp_transferor(lab, early_bye=False):
    """early_bye: the transferor hangs up right after the NOTIFY 100 (as PBXs may, RFC
    5589 6.1); the transferee carries on with the call to the target."""
    with tempfile.TemporaryDirectory(prefix="trv-xfer-") as tmp:
        echo = S.RtpEcho()
        rec = os.path.join(tmp, "carol.wav")
        carol, carol_port = cli(lab, tmp, "carol", "--record", rec)
        callee, port = cli(lab, tmp, "traverse", "--play", lab.tone(ALICE_TONE),
                           "--duration", "4")
        try:
            if carol.wait_line("ready", 20) is None or callee.wait_line("ready", 20) is None:
                return False, "not ready\n" + L.dumps(carol, callee)
            target = "<sip:carol@%s:%d>" % (L.HOST, carol_port)
            body = (established(echo.port) + refer(2, target) + S.expect(202)
                    + notify("^SIP/2.0 100 "))
            if not early_bye:
                body += notify("^SIP/2.0 200 ")
            body += S.request("BYE", 3) + S.expect(200)
            rc, msgs, errs = S.run(tmp, "transferor", S.scenario("transferor", body),
                                   "%s:%d" % (L.HOST, port))
            rc_callee = callee.wait(30)
            rc_carol = carol.wait(20)
            heard = lab.tone_check(rec, ALICE_TONE, min_fraction=0.4) \
                if os.path.exists(rec) else (1, "no recording")
        finally:
            echo.close()
        checks = {
            "sipp scenario passed (202, NOTIFY 100, NOTIFY 200 unless early BYE)": rc == 0,
            "callee printed transferred to": any(
                ln.startswith("transferred to sip:carol@") for ln in callee.lines),
            "callee exit 0 (the new call)": rc_callee == 0,
            "carol exit 0": rc_carol == 0,
            "carol hears the transferee": heard[0] == 0,
            "NOTIFY sipfrag typed": re.search(r"Content-Type: message/sipfrag", msgs) is not None,
        }
        bad = [k for k, v in checks.items() if not v]
        return not bad, "failed: %s\nsipp rc %s\nerrors:\n%s\nmessages:\n%s\ntone %s\n%s" % (
            bad, rc, errs[-3000:], msgs[-8000:], heard[1], L.dumps(callee, carol))


UAS_REPLY = ('<send%s><![CDATA[\nSIP/2.0 %s\n[last_Via:]\n[last_From:]\n[last_To:]%s\n'
             '[last_Call-ID:]\n[last_CSeq:]\n'
             'Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>\n%s]]></send>\n')


def refused_refer(lab):
    """SIPp answers traverse-cli's call and refuses its REFER (403): a warning names the
    status, the call goes on to --duration, exit 0, call.transferred_to null."""
    with tempfile.TemporaryDirectory(prefix="trv-xfer-") as tmp:
        echo = S.RtpEcho()
        body = ('<recv request="INVITE"/>\n'
                + UAS_REPLY % (' retrans="500"', "200 OK", ";tag=[pid]SIPpTag01[call_number]",
                               "Content-Type: application/sdp\nContent-Length: [len]\n\n"
                               + S.sdp(echo.port))
                + '<recv request="ACK"/>\n'
                + '<recv request="REFER"><action><ereg regexp="sip:carol@" search_in="hdr" '
                  'header="Refer-To:" check_it="true" assign_to="m%d"/></action></recv>\n'
                % next(S._names)
                + UAS_REPLY % ("", "403 Forbidden", "", "Content-Length: 0\n\n")
                + '<recv request="BYE"/>\n'
                + UAS_REPLY % ("", "200 OK", "", "Content-Length: 0\n\n"))
        sipp = S.Run(tmp, "refuser", S.scenario("refuser", body), extra=("-m", "1"))
        stats = os.path.join(tmp, "caller.json")
        caller_port = L.free_port(False)
        argv = [lab.cli, "--config", cli_config(tmp, "caller", caller_port), "call",
                "sip:sipp@%s:%d" % (L.HOST, sipp.port), "--timeout", "15", "--duration", "4",
                "--transfer-to", "sip:carol@%s:9" % L.HOST, "--transfer-after", "1",
                "--stats", stats]
        caller = L.Proc("caller", argv, lab.env())
        lab.procs.append(caller)
        try:
            rc_caller = caller.wait(30)
            rc = sipp.wait()
        finally:
            echo.close()
        try:
            st = lab.stats(stats)
        except (OSError, ValueError):
            st = {}
        call = st.get("call", {})
        checks = {
            "sipp scenario passed (REFER seen, 403 sent, BYE)": rc == 0,
            "caller exit 0": rc_caller == 0,
            "caller said transferring": line(caller, "transferring sip:carol@"),
            "caller warned with 403": any(ln.startswith("warning: ") and "403" in ln
                                          for ln in caller.lines),
            "never transferred": not any(ln == "transferred" for ln in caller.lines),
            "the call went on to --duration": call.get("end_reason") == "local-hangup" and
                                              (call.get("duration_s") or 0) > 3.5,
            "no transferred_to": "transferred_to" in call and call["transferred_to"] is None,
        }
        bad = [k for k, v in checks.items() if not v]
        return not bad, "failed: %s\nsipp rc %s\nerrors:\n%s\nmessages:\n%s\nstats %s\n%s" % (
            bad, rc, sipp.errors()[-3000:], sipp.messages()[-8000:], st, caller.dump())


def bad_refers(lab):
    with tempfile.TemporaryDirectory(prefix="trv-xfer-") as tmp:
        echo = S.RtpEcho()
        callee, port = cli(lab, tmp, "traverse", "--play", lab.tone(ALICE_TONE))
        try:
            if callee.wait_line("ready", 20) is None:
                return False, "not ready\n" + callee.dump()
            body = (established(echo.port)
                    + refer(2, "this is no uri") + S.expect(400)
                    + refer(3, "<http://example.com/>") + S.expect(403)
                    + refer(4, None) + S.expect(400)
                    # Replaces without its tags (RFC 3891 6.1 requires both).
                    + refer(5, "<sip:carol@127.0.0.1?Replaces=x%40h%3Bto-tag%3D1>")
                    + S.expect(400)
                    + '<pause milliseconds="1000"/>\n'
                    + S.request("BYE", 6) + S.expect(200))
            rc, msgs, errs = S.run(tmp, "bad-refer", S.scenario("bad-refer", body),
                                   "%s:%d" % (L.HOST, port))
            rc_callee = callee.wait(20)
        finally:
            echo.close()
        checks = {
            "sipp scenario passed (400, 403, 400, 400, then BYE 200)": rc == 0,
            "callee exit 0 (ended by the BYE)": rc_callee == 0,
            "callee never transferred": not any(ln.startswith("transferred")
                                                for ln in callee.lines),
        }
        bad = [k for k, v in checks.items() if not v]
        return not bad, "failed: %s\nsipp rc %s\nerrors:\n%s\nmessages:\n%s\n%s" % (
            bad, rc, errs[-3000:], msgs[-8000:], callee.dump())


def unknown_replaces(lab):
    """An INVITE whose Replaces names no dialog of ours gets 481 (RFC 3891 3), and the
    callee goes on waiting for a call."""
    with tempfile.TemporaryDirectory(prefix="trv-xfer-") as tmp:
        callee, port = cli(lab, tmp, "traverse", "--timeout", "5")
        if callee.wait_line("ready", 20) is None:
            return False, "not ready\n" + callee.dump()
        ack = ('<send><![CDATA[\nACK sip:traverse@[remote_ip]:[remote_port] SIP/2.0\n'
               '[last_Via:]\nFrom: "pbx" <sip:pbx@[local_ip]:[local_port]>;'
               'tag=[pid]SIPpTag[call_number]\n[last_To:]\nCall-ID: [call_id]\n'
               'CSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n]]></send>\n')
        body = (S.request("INVITE", 1, S.sdp(9), first=True,
                          extra="Replaces: nosuch@example.com;to-tag=1;from-tag=2")
                + S.expect(100, optional=True) + S.expect(481) + ack)
        rc, msgs, errs = S.run(tmp, "replaces", S.scenario("replaces", body),
                               "%s:%d" % (L.HOST, port))
        rc_callee = callee.wait(20)
        checks = {
            "sipp scenario passed (481)": rc == 0,
            "no call rang": not line(callee, "incoming "),
            "callee waited on and timed out (exit 4)": rc_callee == 4,
        }
        bad = [k for k, v in checks.items() if not v]
        return not bad, "failed: %s\nsipp rc %s\nerrors:\n%s\nmessages:\n%s\n%s" % (
            bad, rc, errs[-3000:], msgs[-8000:], callee.dump())


def replaces_rules(lab):
    """RFC 3891 3 as Traverse applies it: a ringing call is not replaced (481), an
    established one not with early-only (486); the call itself goes on."""
    with tempfile.TemporaryDirectory(prefix="trv-xfer-") as tmp:
        callee, port = cli(lab, tmp, "traverse", "--answer-after", "3", "--timeout", "20")
        if callee.wait_line("ready", 20) is None:
            return False, "not ready\n" + callee.dump()
        prober = invite_probe.Prober(L.HOST, L.HOST, port, hold=True)
        try:
            first = prober.invite("traverse")
            prober.pump(1.5)
            call = prober.calls[first]
            tag = call.get("early_to_tag")
            early = None
            if tag:
                second = prober.invite("traverse", "Replaces: %s;to-tag=%s;from-tag=%s"
                                       % (first, tag, call["from_tag"]))
                prober.pump(3)
                early = prober.calls[second]["final"]
            prober.pump(5)     # the first call's 200 (--answer-after 3), ACKed and held
            established = None
            if call["final"] == 200:
                third = prober.invite("traverse", "Replaces: %s;to-tag=%s;from-tag=%s;early-only"
                                      % (first, call["to_tag"], call["from_tag"]))
                prober.pump(3)
                established = prober.calls[third]["final"]
                time.sleep(1.0)   # the call goes on after the refusal
            prober.hangup_all()
            rc_callee = callee.wait(20)
        finally:
            prober.close()
        checks = {
            "the first INVITE rang (180 with a To tag)": tag is not None,
            "Replaces for the ringing call: 481": early == 481,
            "the first call was answered anyway": call["final"] == 200,
            "early-only for the established call: 486": established == 486,
            "only the first call rang": sum(ln.startswith("incoming ")
                                            for ln in callee.lines) == 1,
            # The probe sends no audio: exit 5 (no media) is expected.
            "the call went on and ended with our BYE": rc_callee is not None and any(
                re.match(r"ended: remote-hangup after (1\.[0-9]|[2-9])", ln)
                for ln in callee.lines),
        }
        bad = [k for k, v in checks.items() if not v]
        return not bad, "failed: %s\nprobe %s\n%s" % (bad, prober.calls, callee.dump())


def main():
    tap = L.Tap()
    tap.plan(9)
    with L.Lab("transfer") as lab:
        tap.run_case("alice calls bob, bob transfers alice to carol", three_party, lab)
        tap.run_case("attended: bob consults carol, then transfers alice to her", attended,
                     lab)
        tap.run_case("transfer to an unknown user: 404 reported, the call goes on",
                     target_unreachable, lab)
        tap.run_case("Replaces for a ringing call 481, early-only for an established 486",
                     replaces_rules, lab)
        if S.SIPP is None:
            tap.skip("SIPp transferor: 202, NOTIFY 100 then 200", "sipp is not installed")
            tap.skip("SIPp transferor hangs up after 202", "sipp is not installed")
            tap.skip("bad REFERs: 400/403, the call goes on", "sipp is not installed")
            tap.skip("our REFER refused (403): warning, the call goes on",
                     "sipp is not installed")
            tap.skip("INVITE with Replaces for no call: 481", "sipp is not installed")
        else:
            tap.run_case("SIPp transferor: 202, NOTIFY 100 then 200", sipp_transferor, lab)
            tap.run_case("SIPp transferor hangs up after 202: the new call goes on",
                         sipp_transferor, lab, True)
            tap.run_case("bad REFERs: 400/403 (also a malformed Replaces), the call goes on",
                         bad_refers, lab)
            tap.run_case("our REFER refused (403): warning, the call goes on",
                         refused_refer, lab)
            tap.run_case("INVITE with Replaces for no call: 481", unknown_replaces, lab)
    tap.exit()


if __name__ == "__main__":
    main()
