#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Session timers (RFC 4028) against a fake UAS on 127.0.0.1, traverse-cli calling it
directly. The cases run in parallel; the two that wait for a refresh take about a minute:
- 422 with a Min-SE above our interval: the INVITE is retried with that interval, and
  call.session_expires shows it. The UAS's own UPDATEs are answered: 200 without a body,
  200 with an answer to an SDP offer (as a re-INVITE's), and the call goes on.
- 200 with Session-Expires: 90;refresher=uac: we refresh by UPDATE without a body at
  about half the interval (RFC 4028 10), and the call lasts past the interval.
- the same, but the UAS stops answering: the refresh times out and the call ends with
  "the other side stopped confirming the call" (sofia drops the timed-out dialog without
  a BYE: nobody answers there).
- 200 with refresher=uas, and the UAS never refreshes: shortly before the interval ends
  we send BYE (Reason 408, RFC 4028 10) and the call ends the same way.
- an incoming INVITE asking for Session-Expires 30, below our Min-SE: 422 with Min-SE 90,
  and traverse-cli answer goes on to take the next INVITE (at 90 s) with 200."""

import os
import re
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import invite_probe  # noqa: E402
import lab as L  # noqa: E402
import test_no_media as N  # noqa: E402

# RFC 4028's smallest interval; we refresh at half of it (sofia: 40..50 s).
INTERVAL = 90


class TimerUas(N.Uas):
    """Echoes RTP like test_no_media's UAS; answers INVITE with `first` (a 422 with
    Min-SE, or None) once, then 200 with `session_expires`; UPDATEs from the caller are
    answered 200 unless `silent_updates`. Requests are kept with their arrival time."""

    def __init__(self, session_expires, min_se_422=None, silent_updates=False, refresher="uac"):
        self.session_expires = session_expires
        self.refresher = refresher
        self.min_se_422 = min_se_422
        self.silent_updates = silent_updates
        self.requests = []        # (monotonic time, start line, headers, body)
        self.responses = []       # (start line, headers) of answers to our own requests
        self.dialog = None        # (Contact URI, From, To, Call-ID) of the answered call
        self.answered_at = None
        self.cseq = 100
        super().__init__(echo=True)

    def send_request(self, method, body="", content_type=None, extra=()):
        contact, their, ours, call_id = self.dialog
        self.cseq += 1
        lines = ["%s %s SIP/2.0" % (method, contact),
                 "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%d%s" % (L.HOST, self.port, self.cseq,
                                                               self.tag),
                 "Max-Forwards: 70", "From: %s" % ours, "To: %s" % their,
                 "Call-ID: %s" % call_id, "CSeq: %d %s" % (self.cseq, method),
                 "Contact: <sip:uas@%s:%d>" % (L.HOST, self.port)]
        lines += list(extra)
        if content_type:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body.encode()))
        m = re.search(r"sips?:(?:[^@;>]*@)?([0-9.]+):([0-9]+)", contact)
        self.sip.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(),
                        (m.group(1), int(m.group(2))))

    def wait_response(self, method, timeout=5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for start, headers in self.responses:
                if headers.get("cseq", [""])[0].endswith(method):
                    self.responses.remove((start, headers))
                    return int(start.split()[1]), headers
            time.sleep(0.05)
        return None, None

    def _sip_loop(self):
        self.sip.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, addr = self.sip.recvfrom(65535)
            except OSError:
                if self._stop.is_set():
                    return
                continue
            start, headers = self._parse(data)
            body = data.decode(errors="replace").split("\r\n\r\n", 1)[-1]
            if start.startswith("SIP/2.0"):
                if not start.startswith("SIP/2.0 1"):
                    self.responses.append((start, headers))
                continue
            method = start.split()[0]
            self.requests.append((time.monotonic(), start, headers, body))
            self.methods.append(method)
            if method == "BYE":
                self.bye_headers = headers
            if method == "ACK":
                continue
            key = (headers["call-id"][0], headers["cseq"][0])
            if key in self.last_response:
                self.sip.sendto(self.last_response[key], addr)
                continue
            extra = []
            if method == "INVITE" and self.min_se_422 and self.methods.count("INVITE") == 1:
                resp = self._response(headers, 422, "Session Interval Too Small")
                extra = ["Min-SE: %d" % self.min_se_422]
            elif method == "INVITE":
                resp = self._response(headers, 200, "OK", self._sdp(), "application/sdp")
                extra = ["Session-Expires: %d;refresher=%s" % (self.session_expires, self.refresher),
                         "Require: timer", "Supported: timer",
                         "Allow: INVITE, ACK, BYE, CANCEL, UPDATE"]
                their = headers["from"][0]
                to = headers["to"][0]
                self.dialog = (headers["contact"][0].strip("<>").split(">")[0], their,
                               "%s;tag=%s" % (to, self.tag), headers["call-id"][0])
                self.answered_at = time.monotonic()
            elif method == "UPDATE" and self.silent_updates:
                continue
            elif method == "UPDATE":
                resp = self._response(headers, 200, "OK")
                extra = ["Session-Expires: %d;refresher=uac" % self.session_expires,
                         "Require: timer"]
            else:
                resp = self._response(headers, 200, "OK")
            if extra:
                head, rest = resp.split(b"\r\nContent-Length", 1)
                resp = head + ("\r\n" + "\r\n".join(extra)).encode() + b"\r\nContent-Length" + rest
            self.last_response[key] = resp
            self.sip.sendto(resp, addr)

    def first(self, method):
        """The requests of `method`, each once (retransmissions left out)."""
        seen, out = set(), []
        for r in self.requests:
            cseq = r[2].get("cseq", [""])[0]
            if r[1].startswith(method + " ") and cseq not in seen:
                seen.add(cseq)
                out.append(r)
        return out


def header(headers, name):
    return " ".join(headers.get(name.lower(), []))


def seconds(value):
    try:
        return int(value.split(";")[0])
    except ValueError:
        return -1


def call(tmp, uas, name, duration, timeout):
    return N.run_cli(tmp, uas, name, "--duration", duration, "--timeout", 20, timeout=timeout)


def retry_after_422(tmp):
    uas = TimerUas(2000, min_se_422=2000)
    result = {}
    try:
        t = threading.Thread(target=lambda: result.update(
            r=call(tmp, uas, "timer-422", 6, 30)), daemon=True)
        t.start()
        deadline = time.monotonic() + 10
        while uas.dialog is None or "ACK" not in uas.methods:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        time.sleep(0.5)
        update_plain = update_offer = (None, None)
        if uas.dialog:
            # A refresh by the UAS that keeps the negotiated interval.
            uas.send_request("UPDATE", extra=("Supported: timer", "Session-Expires: 2000",
                                              "Min-SE: 2000"))
            update_plain = uas.wait_response("UPDATE")
            uas.send_request("UPDATE", uas._sdp(), "application/sdp")
            update_offer = uas.wait_response("UPDATE")
        t.join(35)
        rc, p, stats_path, _ = result["r"]
        st = N.read_stats(stats_path)
        invites = [r[2] for r in uas.first("INVITE")]
        checks = {
            "first INVITE asks for timers (Session-Expires, Supported: timer)":
                len(invites) >= 1 and seconds(header(invites[0], "session-expires")) == 1800
                and "timer" in header(invites[0], "supported"),
            "retried after the 422 with Session-Expires and Min-SE 2000":
                len(invites) == 2 and seconds(header(invites[1], "session-expires")) == 2000
                and seconds(header(invites[1], "min-se")) == 2000,
            "stats call.session_expires 2000": st.get("call", {}).get("session_expires") == 2000,
            "UPDATE without a body: 200": update_plain[0] == 200,
            "the 200 to it carries the session timer":
                update_plain[1] is not None
                and seconds(header(update_plain[1], "session-expires")) == 2000,
            "UPDATE with an offer: 200 with an answer": update_offer[0] == 200
                and "application/sdp" in header(update_offer[1], "content-type"),
            "exit 0, ended by --duration": rc == 0
                and st.get("call", {}).get("end_reason") == "local-hangup",
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\nUAS saw %s\n%s" % (
        bad, st, [r[1] for r in uas.requests], p.dump())


def refresh(tmp):
    uas = TimerUas(INTERVAL)
    try:
        rc, p, stats_path, took = call(tmp, uas, "timer-refresh", INTERVAL // 2 + 15, 90)
        st = N.read_stats(stats_path)
        updates = uas.first("UPDATE")
        first = updates[0] if updates else None
        at = first[0] - uas.answered_at if first and uas.answered_at else -1
        checks = {
            "stats call.session_expires %d" % INTERVAL:
                st.get("call", {}).get("session_expires") == INTERVAL,
            "one UPDATE refresh at about half the interval (%.1f s)" % at:
                len(updates) == 1 and INTERVAL / 2 - 8 <= at <= INTERVAL / 2 + 8,
            "the refresh has no body (no offer/answer)": first is not None and first[3] == ""
                and seconds(header(first[2], "content-length") or "0") == 0,
            "the refresh carries Session-Expires with us as refresher": first is not None
                and seconds(header(first[2], "session-expires")) >= INTERVAL
                and "refresher=uac" in header(first[2], "session-expires"),
            "no re-INVITE": len(uas.first("INVITE")) == 1,
            "exit 0, ended by --duration": rc == 0
                and st.get("call", {}).get("end_reason") == "local-hangup",
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\nUAS saw %s\n%s" % (
        bad, st, [r[1] for r in uas.requests], p.dump())


def refresh_unanswered(tmp):
    uas = TimerUas(INTERVAL, silent_updates=True)
    try:
        rc, p, stats_path, took = call(tmp, uas, "timer-dead", 200, 120)
        st = N.read_stats(stats_path)
        checks = {
            "exit 4": rc == 4,
            "stderr: the other side stopped confirming the call":
                any("stopped confirming the call" in line for line in p.err),
            "the refresh UPDATE went out": len(uas.first("UPDATE")) == 1,
            "ended after the refresh timed out (%.1f s)" % took: INTERVAL / 2 < took < INTERVAL,
            "stats end_reason failed": st.get("call", {}).get("end_reason") == "failed",
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\nUAS saw %s\n%s" % (
        bad, st, [r[1] for r in uas.requests], p.dump())


def peer_stops_refreshing(tmp):
    uas = TimerUas(INTERVAL, refresher="uas")
    try:
        rc, p, stats_path, took = call(tmp, uas, "timer-expired", 200, 120)
        deadline = time.monotonic() + 2
        while "BYE" not in uas.methods and time.monotonic() < deadline:
            time.sleep(0.05)
        st = N.read_stats(stats_path)
        bye = uas.first("BYE")
        at = bye[0][0] - uas.answered_at if bye and uas.answered_at else -1
        checks = {
            "stats call.session_expires %d" % INTERVAL:
                st.get("call", {}).get("session_expires") == INTERVAL,
            "no refresh from us (the peer is the refresher)": uas.first("UPDATE") == [],
            "BYE before the interval ends (%.1f s)" % at: INTERVAL * 2 / 3 <= at < INTERVAL,
            "the BYE says why (Reason cause=408)":
                bool(bye) and "cause=408" in header(bye[0][2], "reason"),
            "exit 4": rc == 4,
            "stderr: the other side stopped confirming the call":
                any("stopped confirming the call" in line for line in p.err),
        }
    finally:
        uas.close()
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\nUAS saw %s\n%s" % (
        bad, st, [r[1] for r in uas.requests], p.dump())


def below_min_se(tmp):
    port = L.free_port(False)
    config = os.path.join(tmp, "below-min-se.conf")
    with open(config, "w") as f:
        f.write("[account]\naddress = sip:bob@%s\nregister = false\nlocal-port = %d\n"
                "\n[nat]\nmode = none\n" % (L.HOST, port))
    env = dict(os.environ, XDG_RUNTIME_DIR=tmp, XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               TRAVERSE_AUDIOSRC="audiotestsrc is-live=true", TRAVERSE_AUDIOSINK="fakesink")
    bob = L.Proc("below-min-se", [os.environ["TRAVERSE_CLI"], "--config", config, "answer",
                                  "--calls", "1", "--timeout", "20"], env)
    if bob.wait_line("ready", 20) is None:
        bob.kill()
        return False, bob.dump()
    prober = invite_probe.Prober(L.HOST, L.HOST, port)
    try:
        short, short_all = prober.probe("bob", extra="Supported: timer\r\nSession-Expires: 30")
        min_se = prober.headers().get("min-se", "")
        ok, ok_all = prober.probe("bob", timeout=10,
                                  extra="Supported: timer\r\nSession-Expires: 90")
    finally:
        prober.close()
    rc = bob.wait(20)
    checks = {
        "Session-Expires 30: 422, not rung": short == 422 and 180 not in short_all,
        "the 422 says Min-SE: 90": min_se.split(";")[0].strip() == "90",
        "Session-Expires 90: 200": ok == 200,
        # The prober sends no RTP: that call carried no media, so exit 5.
        "that call was answered and ended by the BYE (exit 5, no media)":
            rc == 5 and any(ln.startswith("ended: remote-hangup") for ln in bob.lines),
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (422 case %s %s min-se %r; 90 s case %s %s)\n%s" % (
        bad, short, short_all, min_se, ok, ok_all, bob.dump())


def main():
    cli = os.environ.get("TRAVERSE_CLI")
    if not cli or not os.access(cli, os.X_OK):
        print("1..0 # SKIP TRAVERSE_CLI not set or not executable; run via meson test", flush=True)
        sys.exit(L.SKIP)
    tap = L.Tap()
    cases = [("422: retried with the peer's Min-SE; UPDATE from the peer: 200 bare, answered with SDP",
              retry_after_422),
             ("Session-Expires 90, refresher=uac: refreshed by a bodiless UPDATE at ~45 s", refresh),
             ("refresh unanswered: 'the other side stopped confirming the call'",
              refresh_unanswered),
             ("the peer stops refreshing: BYE before expiry, the same message",
              peer_stops_refreshing),
             ("an INVITE below our Min-SE: 422 with Min-SE 90, the next one answered",
              below_min_se)]
    tap.plan(len(cases))
    tmp = tempfile.mkdtemp(prefix="trv-integ-session-timer-")
    results = {}
    try:
        threads = [threading.Thread(target=lambda c=c: results.__setitem__(c[0], tap_case(c[1], tmp)),
                                    daemon=True) for c in cases]
        for t in threads:
            t.start()
        for t in threads:
            t.join(150)
        for name, _ in cases:
            cond, diag = results.get(name, (False, "did not finish"))
            tap.ok(cond, name, diag)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    tap.exit()


def tap_case(func, tmp):
    try:
        return func(tmp)
    except Exception as e:  # noqa: BLE001 -- a broken case must fail, not stop the suite
        import traceback
        return False, "".join(traceback.format_exception(e))


if __name__ == "__main__":
    main()
