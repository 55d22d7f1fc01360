#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`traverse-cli probe --json` inside the NAT lab, one network kind per run.

Usage: test_probe.py KIND   with KIND one of
  public       host directly on the public network: no NAT, recommended none
  restricted   MASQUERADE: endpoint-independent mapping, recommended stun
  symmetric    MASQUERADE --random-fully: endpoint-dependent mapping, recommended ice
  udp-blocked  firewall drops outbound UDP: udp_blocked, TURN over TCP, recommended turn/tcp
  srv          servers not configured: found by SRV records served by the lab's dnsmasq
  no-srv       servers not configured and no SRV records: exit 2 naming the missing records
  wrong-turn-password   TURN refuses the credentials: auth-failed, still usable (stun)
  unreachable  STUN server address with nothing behind it: exit 3
  unresolvable STUN server name the lab DNS does not know: exit 3 naming it
  proxy-config the site's only way out is an HTTP proxy (tinyproxy) named in nat.http-proxy:
               TURN over TCP works through it (proxy.turn_tcp), not directly; turn/tcp
  proxy-system the same proxy from the system's settings (https_proxy, read by GIO's
               libproxy resolver): proxy.source system
Prints TAP.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import natlab  # noqa: E402

KINDS = ("public", "restricted", "symmetric", "udp-blocked", "srv", "no-srv",
         "wrong-turn-password", "unreachable", "unresolvable", "proxy-config", "proxy-system")


def write_config(host, lab, servers=True, password=None, http_proxy=None):
    lines = ["[account]", f"address = sip:alice@{natlab.DOMAIN}", "register = false", "",
             "[nat]", "mode = ice"] + ([f"http-proxy = {http_proxy}"] if http_proxy else [])
    if servers:
        lines += [f"stun-server = {natlab.SERVER_IP}:{natlab.TURN_PORT}",
                  f"turn-server = turn.{natlab.DOMAIN}"]
    lines += [f"turn-username = {natlab.TURN_USER}",
              f"turn-password = {password or lab.turn_password}"]
    path = os.path.join(host.dir, "probe.conf")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run_probe(host, conf, cli, env=None):
    r = host.run([cli, "--config", conf, "probe", "--json"], timeout=60, env=env)
    report = None
    try:
        report = json.loads(r.stdout) if r.stdout.strip() else None
    except ValueError:
        pass
    return r, report


def check_proxy(tap, kind, rep, proxy_log, detail):
    """The only way out is the proxy: TURN over TCP works through it and only through it."""
    proxy, turn = rep.get("proxy") or {}, rep["turn"]
    source = "config" if kind == "proxy-config" else "system"
    host = f"proxy.{natlab.DOMAIN}" if source == "config" else natlab.PROXY_IP
    tap.eq(proxy.get("server"), f"{host}:{natlab.PROXY_PORT}", "proxy.server", detail)
    tap.eq(proxy.get("source"), source, "proxy.source", detail)
    tap.eq((proxy.get("turn_tcp") or {}).get("result"), "ok", "proxy.turn_tcp.result", detail)
    tap.ok(((proxy.get("turn_tcp") or {}).get("relay") or "").startswith(natlab.SERVER_IP + ":"),
           "proxy.turn_tcp.relay is on the TURN server", detail)
    tap.ok(natlab.PROXY_USER not in json.dumps(rep), "the report carries no proxy credentials",
           detail)
    tap.eq(turn["tcp"]["result"], "unreachable", "turn.tcp.result (directly)", detail)
    tap.eq(rep["udp_blocked"], True, "udp_blocked", detail)
    tap.eq(rep["recommended"]["mode"], "turn", "recommended.mode", detail)
    tap.eq(rep["recommended"]["turn_transport"], "tcp", "recommended.turn_transport", detail)
    tap.ok("HTTP proxy" in rep["verdict"], "the verdict names the HTTP proxy", rep["verdict"])
    log = natlab.tail(proxy_log, 100)
    tap.ok(f"CONNECT {natlab.SERVER_IP}:{natlab.TURN_PORT} " in log,
           "tinyproxy's log shows the probe's CONNECT", log)


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in KINDS:
        print(f"usage: {sys.argv[0]} {'|'.join(KINDS)}", file=sys.stderr)
        return 2
    kind = sys.argv[1]
    cli = os.environ.get("TRAVERSE_CLI")
    if not cli or not os.access(cli, os.X_OK):
        natlab.skip("TRAVERSE_CLI not set; run through meson test")
    natlab.require_lab()
    tap = natlab.Tap()

    with natlab.Lab() as lab:
        if kind == "public":
            host = lab.add_public_host()
        elif kind == "symmetric":
            host = lab.add_site("symmetric").clients[0]
        elif kind == "udp-blocked":
            host = lab.add_site("restricted", udp_blocked=True).clients[0]
        elif kind.startswith("proxy-"):
            host = lab.add_site("restricted", only_proxy=True).clients[0]
        else:
            host = lab.add_site("restricted").clients[0]
        lab.start_turn()
        proxy_log = lab.start_proxy() if kind.startswith("proxy-") else None
        lab.start_dns(srv=kind != "no-srv")

        servers = kind not in ("srv", "no-srv")
        conf = write_config(host, lab, servers=servers,
                            password="not-the-password" if kind == "wrong-turn-password" else None,
                            http_proxy=lab.proxy_url() if kind == "proxy-config" else None)
        env = None
        if kind == "proxy-system":
            # The desktop's setting, as GIO's default resolver outside GNOME reads it.
            env = {k: v for k, v in os.environ.items()
                   if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                                        "xdg_current_desktop")}
            env["https_proxy"] = lab.proxy_url(host=natlab.PROXY_IP)
            env["GIO_USE_PROXY_RESOLVER"] = "libproxy"
        if kind == "unreachable":
            # 203.0.113.3 exists nowhere in the lab: Binding requests vanish.
            with open(conf) as f:
                text = f.read().replace(f"stun-server = {natlab.SERVER_IP}:", "stun-server = 203.0.113.3:")
            text = text.replace(f"turn-server = turn.{natlab.DOMAIN}", "turn-server = 203.0.113.3")
            with open(conf, "w") as f:
                f.write(text)

        if kind == "unresolvable":
            with open(conf) as f:
                text = f.read().replace(f"stun-server = {natlab.SERVER_IP}:",
                                        f"stun-server = nosuch.{natlab.DOMAIN}:")
            with open(conf, "w") as f:
                f.write(text)

        r, rep = run_probe(host, conf, cli, env)
        detail = f"exit {r.returncode}\nstdout:\n{r.stdout}\nstderr:\n{r.stderr}"
        natlab.log(f"{host.ns}: probe exit {r.returncode}: {r.stderr.strip()}")

        if kind == "no-srv":
            tap.eq(r.returncode, 2, "no server and no SRV records: exit code", detail)
            tap.ok("_stun._udp.lab.test" in r.stderr and "_turn._udp.lab.test" in r.stderr,
                   "the error names the missing SRV lookup", detail)
        elif kind == "unresolvable":
            tap.eq(r.returncode, 3, "unresolvable server name: exit code", detail)
            tap.ok(f"STUN server nosuch.{natlab.DOMAIN}:" in r.stderr,
                   "the message names the server in words and the host", detail)
        elif kind == "unreachable":
            tap.eq(r.returncode, 3, "unreachable servers: exit code", detail)
            tap.ok(rep is not None and rep["stun"]["reachable"] is False,
                   "report says the STUN server did not answer", detail)
            tap.ok("203.0.113.3" in r.stderr, "the message names the server", detail)
        else:
            tap.eq(r.returncode, 0, "probe exit code", detail)
            if not tap.ok(rep is not None, "probe printed a JSON report", detail):
                lab.failed = True
                print(f"1..{tap.n}")
                return 1
            stun, nat, turn = rep["stun"], rep["nat"], rep["turn"]
            mode = rep["recommended"]["mode"]
            verdict = rep["verdict"]
            if kind.startswith("proxy-"):
                check_proxy(tap, kind, rep, proxy_log, detail)
            elif kind == "udp-blocked":
                tap.eq(stun["reachable"], False, "stun.reachable", detail)
                tap.eq(rep["udp_blocked"], True, "udp_blocked", detail)
                tap.eq(turn["udp"]["result"], "unreachable", "turn.udp.result", detail)
                tap.eq(turn["tcp"]["result"], "ok", "turn.tcp.result", detail)
                tap.eq(mode, "turn", "recommended.mode", detail)
                tap.eq(rep["recommended"]["turn_transport"], "tcp", "recommended.turn_transport",
                       detail)
                tap.ok("UDP is blocked" in verdict and "TCP" in verdict,
                       "verdict says UDP is blocked and calls go over TCP", verdict)
            else:
                tap.eq(stun["reachable"], True, "stun.reachable", detail)
                tap.eq(rep["udp_blocked"], False, "udp_blocked", detail)
                local_ip = stun["local"].rsplit(":", 1)[0] if stun["local"] else None
                mapped_ip = stun["mapped"].rsplit(":", 1)[0] if stun["mapped"] else None
                tap.eq(local_ip, host.ip, "stun.local address is the client's own", detail)
                want_public = host.ip if kind == "public" else host.site.public_ip
                tap.eq(mapped_ip, want_public, "stun.mapped address is the public one", detail)
                want_turn = "auth-failed" if kind == "wrong-turn-password" else "ok"
                tap.eq(turn["udp"]["result"], want_turn, "turn.udp.result", detail)
                tap.eq(turn["tcp"]["result"], want_turn, "turn.tcp.result", detail)
                if want_turn == "ok":
                    tap.ok((turn["udp"]["relay"] or "").startswith(natlab.SERVER_IP + ":"),
                           "turn.udp.relay is on the TURN server", detail)
                if kind == "public":
                    tap.eq(nat["present"], False, "nat.present", detail)
                    tap.eq(nat["mapping"], "none", "nat.mapping", detail)
                    tap.eq(mode, "none", "recommended.mode", detail)
                    tap.ok("public address" in verdict, "verdict says the address is public",
                           verdict)
                elif kind == "symmetric":
                    tap.eq(nat["present"], True, "nat.present", detail)
                    tap.eq(nat["mapping"], "endpoint-dependent", "nat.mapping", detail)
                    tap.ok(stun["mapped"] != stun["other_mapped"],
                           "the two server addresses saw different public ports", detail)
                    tap.eq(mode, "ice", "recommended.mode", detail)
                    tap.ok("symmetric" in verdict and "TURN" in verdict,
                           "verdict names the symmetric NAT and the TURN relay", verdict)
                else:
                    tap.eq(nat["present"], True, "nat.present", detail)
                    tap.eq(nat["mapping"], "endpoint-independent", "nat.mapping", detail)
                    tap.eq(stun["mapped"], stun["other_mapped"],
                           "both server addresses saw the same public ip:port", detail)
                    tap.eq(mode, "stun", "recommended.mode", detail)
                    tap.ok("STUN" in verdict, "verdict recommends STUN", verdict)
                if kind == "srv":
                    tap.eq(stun["source"], "srv", "stun.source (found by SRV)", detail)
                    tap.eq(stun["server"], f"{natlab.SERVER_IP}:{natlab.TURN_PORT}",
                           "stun.server from _stun._udp SRV", detail)
                    tap.eq(turn["server"], f"{natlab.SERVER_IP}:{natlab.TURN_PORT}",
                           "turn.server from _turn._udp SRV", detail)
                if kind == "wrong-turn-password":
                    tap.ok(any("refused" in w for w in rep["warnings"]),
                           "a warning says the TURN server refused the credentials", detail)

            # The plain-words form prints the same verdict.
            plain = host.run([cli, "--config", conf, "probe"], timeout=60, env=env)
            # (the first words: addresses in it change with every run's socket)
            tap.ok(verdict[:40] in plain.stdout, "plain output carries the verdict",
                   plain.stdout + plain.stderr)
            if kind.startswith("proxy-"):
                tap.ok("TURN over TCP works through it" in plain.stdout,
                       "plain output says TURN over TCP works through the proxy",
                       plain.stdout + plain.stderr)

        if tap.failed:
            lab.failed = True
            natlab.log("coturn log tail:\n" + natlab.tail(os.path.join(lab.dir, "coturn.log")))
    print(f"1..{tap.n}", flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
