#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Registration under faults: a registrar outage that loses the location table, a 503 with
Retry-After before the first success, and what the keep-alive sends."""

import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402


class FakeRegistrar:
    """A UDP registrar on loopback without authentication. REGISTER: the first
    `refuse_first` get 503 with Retry-After, the rest 200 (Contact echoed). With `nat`,
    responses claim the request came from another address (Via received=), as behind a
    NAT. OPTIONS with Max-Forwards: 0 get 483, as Kamailio answers them; other OPTIONS 200.
    Every request line (and its Max-Forwards) is recorded."""

    def __init__(self, refuse_first=0, retry_after=2, nat=False):
        self.refuse_first = refuse_first
        self.retry_after = retry_after
        self.nat = nat
        self.requests = []       # (monotonic time, request line, max-forwards or None)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((L.HOST, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self._registers = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop = True
        self._thread.join(2)
        self.sock.close()
        return False

    @staticmethod
    def _headers(text):
        head = text.split("\r\n\r\n", 1)[0].split("\r\n")
        return head[0], [h for h in head[1:] if h]

    def _reply(self, status, headers, addr, extra=()):
        out = ["SIP/2.0 %s" % status]
        for h in headers:
            name = h.split(":", 1)[0].strip().lower()
            if name in ("via", "v"):
                if self.nat and not out[1:]:
                    h += ";received=127.0.0.2"
                out.append(h)
            elif name in ("from", "f", "call-id", "i", "cseq"):
                out.append(h)
            elif name in ("to", "t"):
                out.append(h if ";tag=" in h else h + ";tag=fake1")
        out += list(extra) + ["Content-Length: 0", "", ""]
        self.sock.sendto("\r\n".join(out).encode(), addr)

    def _run(self):
        while not self._stop:
            try:
                data, addr = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            text = data.decode(errors="replace")
            if not text.strip() or text.startswith("SIP/2.0"):
                continue
            line, headers = self._headers(text)
            mf = None
            for h in headers:
                if h.lower().startswith("max-forwards:"):
                    mf = int(h.split(":", 1)[1])
            self.requests.append((time.monotonic(), line, mf))
            method = line.split(" ", 1)[0]
            if method == "REGISTER":
                self._registers += 1
                if self._registers <= self.refuse_first:
                    self._reply("503 Service Unavailable", headers, addr,
                                ["Retry-After: %d" % self.retry_after])
                    continue
                contacts = [h for h in headers if h.lower().startswith(("contact:", "m:"))]
                extra = [c + ";expires=300" if "expires=" not in c else c for c in contacts]
                self._reply("200 OK", headers, addr, extra)
            elif method == "OPTIONS":
                self._reply("483 Too Many Hops" if mf == 0 else "200 OK", headers, addr)
            elif method != "ACK":
                self._reply("200 OK", headers, addr)


def retry_after_before_first_success(lab):
    # A registrar answers the first REGISTER 503 Retry-After: 2: the CLI says so, waits
    # and registers; it gives up only at --timeout.
    with FakeRegistrar(refuse_first=1, retry_after=2) as reg:
        conf = lab.config("alice", registrar="%s:%d" % (L.HOST, reg.port))
        t0 = time.monotonic()
        rc, p = lab.run("alice", conf, "register", "--timeout", "15", timeout=60)
        elapsed = time.monotonic() - t0
        registers = [r for r in reg.requests if r[1].startswith("REGISTER")]
    progress = p.wait_line("registration: ", 0)
    good = (rc == 0 and progress is not None and "503" in progress and "retrying in 2 s" in progress
            and p.wait_line("registered sip:alice@", 0) is not None and len(registers) >= 2
            and 1.5 <= elapsed < 12)
    return good, "exit %s after %.1f s, %d REGISTERs (want 0, a progress line, >= 2)\n%s" % (
        rc, elapsed, len(registers), p.dump())


def retry_after_until_timeout(lab):
    # It keeps refusing: exit 3 at --timeout, not at the first 503.
    with FakeRegistrar(refuse_first=1000, retry_after=1) as reg:
        conf = lab.config("alice", registrar="%s:%d" % (L.HOST, reg.port))
        t0 = time.monotonic()
        rc, p = lab.run("alice", conf, "register", "--timeout", "4", timeout=60)
        elapsed = time.monotonic() - t0
    good = rc == 3 and 3.5 <= elapsed < 10 and "did not complete within 4 s" in p.stderr
    return good, "exit %s after %.1f s (want 3 at the 4 s timeout)\n%s" % (rc, elapsed, p.dump())


def keepalive_tests_flow_to_registrar(lab):
    # Behind a (claimed) NAT the keep-alive must ask the registrar itself, never loop an
    # OPTIONS to our own AoR through it with Max-Forwards: 0 (Kamailio: 483).
    with FakeRegistrar(nat=True) as reg:
        conf = lab.config("alice", registrar="%s:%d" % (L.HOST, reg.port))
        p = lab.spawn("alice", conf, "answer", "--timeout", "60")
        ready = p.wait_line("ready", 20)
        time.sleep(15)
        p.kill()
        options = [r for r in reg.requests if r[1].startswith("OPTIONS")]
    looping = [r for r in options if r[2] == 0 or re.match(r"OPTIONS sips?:[^@ ]+@", r[1])]
    to_registrar = [r for r in options if re.match(r"OPTIONS sips?:127\.0\.0\.1:%d[; ]" % reg.port,
                                                   r[1])]
    good = ready is not None and not looping and len(to_registrar) >= 1
    return good, "OPTIONS seen: %s (want some to the registrar, none to our AoR)\n%s" % (
        [r[1:] for r in options], p.dump())


def reregister_after_outage(lab, transport):
    # bob is registered; the registrar is gone for 20 s and comes back with an empty
    # location table. bob must be registered again within 10 s of its return.
    bob = lab.spawn("bob", lab.config("bob", transport=transport, name="bob-outage-" + transport),
                    "answer", "--timeout", "120")
    if bob.wait_line("ready", 20) is None:
        return False, "bob not ready\n" + bob.dump()
    lab.stop_kamailio()
    time.sleep(20)
    lab.restart_kamailio()
    back = time.monotonic()
    mark = len(lab.kamailio_text())
    seen = None
    while time.monotonic() - back < 20:
        if "registrar: sip:bob@127.0.0.1 via %s" % transport in lab.kamailio_text()[mark:]:
            seen = time.monotonic() - back
            break
        time.sleep(0.2)
    bob.kill()
    L.log("%s: registered again %s s after the registrar returned" % (
        transport, "never (20)" if seen is None else "%.1f" % seen))
    good = seen is not None and seen <= 10
    return good, "registered again %s s after the registrar returned (want <= 10)\n%s\n%s" % (
        "never (20)" if seen is None else "%.1f" % seen, bob.dump(), lab.kamailio_text()[-2000:])


def main():
    tap = L.Tap()
    tap.plan(5)
    with L.Lab("register-faults") as lab:
        tap.run_case("503 with Retry-After before the first success: wait, say so, register",
                     retry_after_before_first_success, lab)
        tap.run_case("503 with Retry-After every time: give up at --timeout",
                     retry_after_until_timeout, lab)
        tap.run_case("keep-alive asks the registrar, no OPTIONS to our own AoR",
                     keepalive_tests_flow_to_registrar, lab)
        for transport in ("udp", "tcp"):
            tap.run_case("registrar outage with lost location table (%s): registered again "
                         "within 10 s" % transport, reregister_after_outage, lab, transport)
    tap.exit()


if __name__ == "__main__":
    main()
