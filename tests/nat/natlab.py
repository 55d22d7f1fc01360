# SPDX-License-Identifier: GPL-3.0-or-later
"""natlab: a NAT lab built from network namespaces (Python 3 stdlib only, needs root).

Topology of one lab (all names carry the creating process' pid, so runs never collide):

    trv-pub-ID   "the internet": bridge br0 with 203.0.113.1 and .2 (coturn on both, so
                 RFC 5780 OTHER-ADDRESS works; dnsmasq and Kamailio on .1), default route
                 into a silent sink so packets to unknown addresses vanish quietly.
    trv-rN-ID    one NAT router per site: wan 203.0.113.(10+N), lan bridge 10.N.0.1/24,
                 MASQUERADE (restricted) or MASQUERADE --random-fully (symmetric),
                 unsolicited inbound dropped before conntrack confirms it,
                 optionally outbound UDP blocked (DNS to the lab resolver excepted).
    trv-cN-K-ID  clients behind router N: 10.N.0.(10+K), default route via the router.
    trv-hK-ID    hosts directly on the public network: 203.0.113.(100+K) (no NAT).

Every namespace gets /etc/netns/NAME/{resolv.conf,hosts} pointing at the lab DNS only, so
nothing inside the lab queries a real resolver. Nothing is routed outside the lab: the
routers' default route points into the public namespace, which does not forward.

Cleanup (processes by pid, namespaces, /etc/netns dirs) runs from Lab.close(), which the
context manager, atexit and SIGTERM/SIGINT handlers all reach.
"""

import atexit
import os
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time

SKIP = 77
DOMAIN = "lab.test"
SERVER_IP = "203.0.113.1"
SERVER_ALT_IP = "203.0.113.2"
TURN_PORT = 3478
SIP_PORT = 5060
TLS_PORT = 443        # SIP over TLS (SERVER_IP) and TURN over TLS (SERVER_ALT_IP)
PROXY_IP = "203.0.113.3"   # tinyproxy (start_proxy): HTTP CONNECT, Basic credentials
PROXY_PORT = 3128
PROXY_USER = "trv-proxy"
TURN_USER = "trv"
TURN_REALM = DOMAIN
MARKER_DIR = "/run/trv-nat-lab"   # NAME -> pid of the run that made namespace NAME
RTPENGINE_NG_PORT = 22222
# rtpengine_manage() flags of the two "providers": one that anchors media on its relay and
# takes ICE out of the SDP (what most SIP providers do), one whose relay answers as an
# ICE-lite peer with candidates of its own.
PROVIDER_FLAGS = {
    "anchor": "replace-origin replace-session-connection ICE=remove",
    "ice-lite": "replace-origin replace-session-connection ICE=force",
}


def log(msg):
    print("# " + str(msg).replace("\n", "\n# "), flush=True)


class Tap:
    """TAP output for the lab tests: ok() prints one line, eq() compares with a wanted value."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=""):
        self.n += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} - {what}", flush=True)
        if not cond:
            self.failed += 1
            if detail:
                log(detail)
        return cond

    def eq(self, got, want, what, detail=""):
        return self.ok(got == want, f"{what} == {want!r}" + ("" if got == want else f" (got {got!r})"),
                       detail)


def skip(msg):
    print(f"1..0 # SKIP {msg}", flush=True)
    sys.exit(SKIP)


def require_lab():
    """Exit 77 (meson SKIP) with a reason when the lab cannot be built here."""
    if os.geteuid() != 0:
        skip("the NAT lab needs root (network namespaces, iptables)")
    for tool in ("ip", "iptables", "turnserver", "dnsmasq"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            skip(f"'{tool}' is not installed (tools/install-deps.sh test)")
    name = f"trv-chk-{os.getpid()}"
    r = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if r.returncode != 0:
        skip(f"'ip netns' is unavailable here: {r.stderr.strip()}")
    subprocess.run(["ip", "netns", "del", name], capture_output=True)


def cell_args(cases):
    """The case named on the command line, traverse-cli and trv-tone of a call cell; None
    after a usage message for an unknown case. Skips (exit 77) outside meson test or
    without the lab's means (root, ip netns)."""
    if len(sys.argv) != 2 or sys.argv[1] not in cases:
        print(f"usage: {sys.argv[0]} {'|'.join(cases)}", file=sys.stderr)
        return None
    cli, tool = os.environ.get("TRAVERSE_CLI"), os.environ.get("TRV_TONE")
    if not cli or not tool:
        skip("TRAVERSE_CLI / TRV_TONE not set; run through meson test")
    require_lab()
    return sys.argv[1], cli, tool


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale():
    """Removes namespaces left by lab runs whose process died (SIGKILL leaves them)."""
    try:
        names = os.listdir(MARKER_DIR)
    except FileNotFoundError:
        return
    for name in names:
        marker = os.path.join(MARKER_DIR, name)
        try:
            pid = int(open(marker).read().strip())
        except (ValueError, OSError):
            continue
        if pid == os.getpid() or _pid_alive(pid):
            continue
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
        shutil.rmtree(os.path.join("/etc/netns", name), ignore_errors=True)
        os.unlink(marker)


class Host:
    """One namespace with an address; `run`/`spawn` execute commands inside it."""

    def __init__(self, lab, ns, ip, site=None):
        self.lab = lab
        self.ns = ns
        self.ip = ip
        self.site = site
        self.dir = os.path.join(lab.dir, ns)   # own dir: namespaces share /tmp
        os.makedirs(self.dir, exist_ok=True)

    def argv(self, argv):
        return ["ip", "netns", "exec", self.ns] + list(argv)

    def run(self, argv, timeout=60, check=False, env=None):
        return subprocess.run(self.argv(argv), capture_output=True, text=True,
                              timeout=timeout, check=check, env=env)

    def spawn(self, argv, name, env=None):
        return self.lab.spawn(self, argv, name, env=env)


class Site:
    def __init__(self, index, nat, udp_blocked, only_tls_port=False, only_proxy=False):
        self.index = index
        self.nat = nat
        self.udp_blocked = udp_blocked
        self.only_tls_port = only_tls_port
        self.only_proxy = only_proxy
        self.router = None
        self.clients = []
        self.uplink_delay_ms = 0

    @property
    def public_ip(self):
        return self.router.ip


class Lab:
    def __init__(self, keep_on_failure=True, uplink_delay_ms=0):
        self.id = str(os.getpid())
        self.uplink_delay_ms = uplink_delay_ms   # given to every add_site (bench only)
        self.namespaces = []
        self.procs = []          # (name, Popen, logfile)
        self.sites = []
        self.hosts = []
        self.failed = False
        self.keep_on_failure = keep_on_failure
        self.turn_password = f"pw-{self.id}"
        self.proxy_password = f"proxy-{self.id}"
        self.dir = tempfile.mkdtemp(prefix=f"trv-nat-{self.id}-")
        self._closed = False
        self._sink_count = 0
        sweep_stale()
        atexit.register(self.close)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        self.pub = self._make_pub()

    # --- plumbing --------------------------------------------------------------------

    def _on_signal(self, signum, frame):
        self.failed = True
        raise SystemExit(128 + signum)

    def sh(self, *argv, ns=None, check=True):
        cmd = list(argv) if ns is None else ["ip", "netns", "exec", ns] + list(argv)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
        return r

    def _add_ns(self, kind):
        name = f"trv-{kind}-{self.id}"
        self.sh("ip", "netns", "add", name)
        self.namespaces.append(name)
        etc = os.path.join("/etc/netns", name)
        os.makedirs(etc, exist_ok=True)
        os.makedirs(MARKER_DIR, exist_ok=True)
        with open(os.path.join(MARKER_DIR, name), "w") as f:
            f.write(self.id)
        with open(os.path.join(etc, "resolv.conf"), "w") as f:
            f.write(f"nameserver {SERVER_IP}\noptions timeout:1 attempts:2\n")
        with open(os.path.join(etc, "hosts"), "w") as f:
            f.write("127.0.0.1 localhost\n")
        self.sh("ip", "-n", name, "link", "set", "lo", "up")
        return name

    def _veth(self, ns1, if1, ns2, if2):
        self.sh("ip", "link", "add", if1, "netns", ns1, "type", "veth",
                "peer", "name", if2, "netns", ns2)

    def _make_pub(self):
        ns = self._add_ns("pub")
        self.sh("ip", "-n", ns, "link", "add", "br0", "type", "bridge")
        self.sh("ip", "-n", ns, "addr", "add", f"{SERVER_IP}/24", "dev", "br0")
        self.sh("ip", "-n", ns, "addr", "add", f"{SERVER_ALT_IP}/24", "dev", "br0")
        self.sh("ip", "-n", ns, "link", "set", "br0", "up")
        # Silent sink: a veth pair whose far end accepts nothing. A blackhole route would
        # fail sendto() with EINVAL, and coturn drops a whole allocation on send errors
        # (ICE checks towards a peer's private address trigger that).
        self.sh("ip", "-n", ns, "link", "add", "sink0", "type", "veth", "peer", "name", "sink1")
        self.sh("ip", "-n", ns, "link", "set", "sink1", "up")
        self.sh("ip", "-n", ns, "link", "set", "sink0", "up")
        self.sh("ip", "-n", ns, "addr", "add", "198.51.100.1/30", "dev", "sink0")
        self.sh("ip", "-n", ns, "neigh", "add", "198.51.100.2", "lladdr", "02:00:00:00:00:02",
                "dev", "sink0", "nud", "permanent")
        self.sh("ip", "-n", ns, "route", "add", "default", "via", "198.51.100.2", "dev", "sink0")
        self.sh("sysctl", "-qw", "net.ipv4.ip_forward=0", ns=ns)
        self.sh("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", ns=ns)
        return Host(self, ns, SERVER_IP)

    def _attach_pub(self, ns, ifname, pub_if, ip):
        self._veth(ns, ifname, self.pub.ns, pub_if)
        self.sh("ip", "-n", self.pub.ns, "link", "set", pub_if, "master", "br0")
        self.sh("ip", "-n", self.pub.ns, "link", "set", pub_if, "up")
        self.sh("ip", "-n", ns, "addr", "add", f"{ip}/24", "dev", ifname)
        self.sh("ip", "-n", ns, "link", "set", ifname, "up")
        self.sh("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", ns=ns)

    # --- building --------------------------------------------------------------------

    def add_public_host(self):
        k = len(self.hosts) + 1
        ns = self._add_ns(f"h{k}")
        ip = f"203.0.113.{100 + k}"
        self._attach_pub(ns, "eth0", f"h{k}", ip)
        host = Host(self, ns, ip)
        self.hosts.append(host)
        return host

    def add_site(self, nat="restricted", udp_blocked=False, clients=1, udp_timeout=None,
                 only_tls_port=False, only_proxy=False):
        """nat: 'restricted' (MASQUERADE: endpoint-independent mapping, port-restricted
        filtering) or 'symmetric' (MASQUERADE --random-fully: a new port per destination).
        udp_timeout: seconds a UDP mapping lives without traffic, also once it saw replies
        (Linux: 30 s one-way, 120 s both ways) -- many home routers use 30 s for both.
        only_tls_port: the site may only open TCP connections to port 443 (and DNS to the
        lab resolver); everything else its clients send out is dropped.
        only_proxy: the site's only way out is TCP to the HTTP proxy (start_proxy), plus DNS
        to the lab resolver and, because sofia-sip cannot send SIP through a proxy, SIP
        over TCP to the registrar (SERVER_IP:5060); everything else is dropped."""
        if nat not in ("restricted", "symmetric"):
            raise ValueError(f"unknown NAT kind {nat!r}")
        n = len(self.sites) + 1
        site = Site(n, nat, udp_blocked, only_tls_port, only_proxy)
        rns = self._add_ns(f"r{n}")
        wan_ip = f"203.0.113.{10 + n}"
        self._attach_pub(rns, "wan", f"r{n}", wan_ip)
        self.sh("ip", "-n", rns, "route", "add", "default", "via", SERVER_IP)
        self.sh("ip", "-n", rns, "link", "add", "lan", "type", "bridge")
        self.sh("ip", "-n", rns, "addr", "add", f"10.{n}.0.1/24", "dev", "lan")
        self.sh("ip", "-n", rns, "link", "set", "lan", "up")
        self.sh("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=rns)
        if udp_timeout:
            self.sh("sysctl", "-qw", f"net.netfilter.nf_conntrack_udp_timeout={udp_timeout}",
                    f"net.netfilter.nf_conntrack_udp_timeout_stream={udp_timeout}", ns=rns)
        ipt = ["iptables", "-w"]
        masq = ipt + ["-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE"]
        if nat == "symmetric":
            masq.append("--random-fully")
        self.sh(*masq, ns=rns)
        # Real routers drop unsolicited inbound packets; on Linux the entry such a packet
        # creates would otherwise move the client's later mapping to another port. mangle
        # PREROUTING runs before the entry is confirmed, so a drop there leaves nothing.
        self.sh(*ipt, "-t", "mangle", "-A", "PREROUTING", "-i", "wan", "-m", "conntrack",
                "--ctstate", "NEW,INVALID", "-j", "DROP", ns=rns)
        if udp_blocked:
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-p", "udp", "-d", SERVER_IP,
                    "--dport", "53", "-j", "ACCEPT", ns=rns)
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-p", "udp", "-j", "DROP", ns=rns)
        if only_tls_port:
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-p", "udp", "-d", SERVER_IP,
                    "--dport", "53", "-j", "ACCEPT", ns=rns)
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-p", "tcp", "--dport", str(TLS_PORT),
                    "-j", "ACCEPT", ns=rns)
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-j", "DROP", ns=rns)
        if only_proxy:
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-p", "udp", "-d", SERVER_IP,
                    "--dport", "53", "-j", "ACCEPT", ns=rns)
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-p", "tcp", "-d", PROXY_IP,
                    "--dport", str(PROXY_PORT), "-j", "ACCEPT", ns=rns)
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-p", "tcp", "-d", SERVER_IP,
                    "--dport", str(SIP_PORT), "-j", "ACCEPT", ns=rns)
            self.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-j", "DROP", ns=rns)
        site.router = Host(self, rns, wan_ip, site)
        for k in range(clients):
            self.add_client(site)
        self.sites.append(site)
        if self.uplink_delay_ms:
            self.add_uplink_delay(site, self.uplink_delay_ms)
        return site

    def add_uplink_delay(self, site, delay_ms):
        """Delays everything the site's clients send out of the NAT by delay_ms (one way),
        with bench/netdelay.py on NFQUEUE (the kernel has no sch_netem). Queued in raw
        PREROUTING, before conntrack: packets queued after conntrack would each make an
        unconfirmed entry, and a flow's second packet would then clash with its first."""
        n = site.index
        script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "..", "bench", "netdelay.py")
        p = self.spawn(site.router, [sys.executable, os.path.normpath(script), "queue",
                                     "--num", str(n), "--delay-ms", str(delay_ms)],
                       f"netdelay-r{n}")
        logpath = self.procs[-1][2]
        deadline = time.monotonic() + 10
        while "netdelay: bound" not in tail(logpath):
            if p.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"netdelay in {site.router.ns} did not start:\n{tail(logpath)}")
            time.sleep(0.05)
        self.sh("iptables", "-w", "-t", "raw", "-A", "PREROUTING", "-i", "lan",
                "!", "-d", f"10.{n}.0.0/24", "-j", "NFQUEUE", "--queue-num", str(n),
                "--queue-bypass", ns=site.router.ns)
        site.uplink_delay_ms = delay_ms

    def add_client(self, site):
        k = len(site.clients) + 1
        n = site.index
        cns = self._add_ns(f"c{n}-{k}")
        self._veth(cns, "eth0", site.router.ns, f"l{k}")
        self.sh("ip", "-n", site.router.ns, "link", "set", f"l{k}", "master", "lan")
        self.sh("ip", "-n", site.router.ns, "link", "set", f"l{k}", "up")
        ip = f"10.{n}.0.{10 + k}"
        self.sh("ip", "-n", cns, "addr", "add", f"{ip}/24", "dev", "eth0")
        self.sh("ip", "-n", cns, "link", "set", "eth0", "up")
        self.sh("ip", "-n", cns, "route", "add", "default", "via", f"10.{n}.0.1")
        self.sh("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", ns=cns)
        client = Host(self, cns, ip, site)
        site.clients.append(client)
        return client

    # --- processes -------------------------------------------------------------------

    def spawn(self, host, argv, name, env=None):
        logpath = os.path.join(self.dir, f"{name}.log")
        logf = open(logpath, "w")
        p = subprocess.Popen(host.argv(argv), stdout=logf, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self.procs.append((name, p, logpath))
        logf.close()
        return p

    def wait_port(self, host, port, proto="udp", timeout=10.0):
        """Waits until something listens on host's port (reads /proc inside the ns)."""
        table = "/proc/net/udp" if proto == "udp" else "/proc/net/tcp"
        hexport = f":{port:04X}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = host.run(["cat", table], timeout=5)
            for line in r.stdout.splitlines()[1:]:
                fields = line.split()
                if fields[1].endswith(hexport) and (proto == "udp" or fields[3] == "0A"):
                    return True
            for name, p, logpath in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"{name} exited ({p.returncode}):\n{tail(logpath)}")
            time.sleep(0.05)
        raise RuntimeError(f"nothing listens on {host.ip}:{port}/{proto} after {timeout} s")

    def start_turn(self, password=None, extra_ips=(), extra_args=()):
        """coturn as STUN+TURN: long-term credentials, UDP and TCP, listening on two
        addresses (RFC 5780 OTHER-ADDRESS) and relaying from SERVER_IP; extra_ips (IPv6, see
        natlab6) are listened on and relayed from too; extra_args go to turnserver."""
        pw = password or self.turn_password
        extra = [a for ip in extra_ips for a in ("--listening-ip", ip, "--relay-ip", ip)]
        argv = ["turnserver", "-n", "--listening-ip", SERVER_IP, "--listening-ip", SERVER_ALT_IP,
                "--relay-ip", SERVER_IP, *extra, "--listening-port", str(TURN_PORT),
                "--lt-cred-mech", "--user", f"{TURN_USER}:{pw}", "--realm", TURN_REALM,
                "--fingerprint", "--no-tls", "--no-dtls", "--no-cli",
                "--min-port", "49152", "--max-port", "65000",
                "--pidfile", os.path.join(self.dir, "turnserver.pid"),
                "--log-file", "stdout", "--simple-log", "--verbose", *extra_args]
        self.spawn(self.pub, argv, "coturn")
        self.wait_port(self.pub, TURN_PORT, "udp")
        self.wait_port(self.pub, TURN_PORT, "tcp")

    def make_tls_certs(self):
        """A test CA and a server certificate for sip.lab.test and turns.lab.test (and both
        server addresses); returns (ca, cert, key) paths."""
        def openssl(*args):
            subprocess.run(["openssl"] + list(args), cwd=self.dir, check=True,
                           capture_output=True, timeout=60)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Traverse NAT lab CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", f"/CN=sip.{DOMAIN}")
        with open(os.path.join(self.dir, "server.ext"), "w") as f:
            f.write(f"subjectAltName=DNS:sip.{DOMAIN},DNS:turns.{DOMAIN},"
                    f"IP:{SERVER_IP},IP:{SERVER_ALT_IP}\n"
                    "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", "server.pem", "-extfile", "server.ext")
        self.tls = tuple(os.path.join(self.dir, n) for n in ("ca.pem", "server.pem", "server.key"))
        return self.tls

    def start_turn_tls(self):
        """A second coturn that speaks only TURN over TLS, on SERVER_ALT_IP:443 (SIP over TLS
        has SERVER_IP:443), relaying from SERVER_ALT_IP. Needs make_tls_certs()."""
        ca, cert, key = self.tls
        argv = ["turnserver", "-n", "--listening-ip", SERVER_ALT_IP, "--relay-ip", SERVER_ALT_IP,
                "--tls-listening-port", str(TLS_PORT), "--cert", cert, "--pkey", key,
                "--no-udp", "--no-tcp", "--no-dtls", "--no-cli",
                "--lt-cred-mech", "--user", f"{TURN_USER}:{self.turn_password}",
                "--realm", TURN_REALM, "--fingerprint", "--min-port", "40000",
                "--max-port", "45000", "--pidfile", os.path.join(self.dir, "turnserver-tls.pid"),
                "--log-file", "stdout", "--simple-log", "--verbose"]
        self.spawn(self.pub, argv, "coturn-tls")
        self.wait_port(self.pub, TLS_PORT, "tcp")

    def start_proxy(self):
        """tinyproxy on PROXY_IP:PROXY_PORT (an address of its own on the public bridge):
        HTTP CONNECT to the TURN ports only, Basic credentials PROXY_USER:proxy_password,
        every CONNECT in tinyproxy.log. Returns the log's path."""
        tinyproxy = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
        if not os.access(tinyproxy, os.X_OK):
            skip("tinyproxy is not installed (tools/install-deps.sh test)")
        self.sh("ip", "-n", self.pub.ns, "addr", "add", f"{PROXY_IP}/24", "dev", "br0")
        logpath = os.path.join(self.dir, "tinyproxy.log")
        conf = os.path.join(self.dir, "tinyproxy.conf")
        with open(conf, "w") as f:
            f.write(f"Port {PROXY_PORT}\nListen {PROXY_IP}\nTimeout 300\nMaxClients 50\n"
                    f"LogFile \"{logpath}\"\nLogLevel Connect\n"
                    f"PidFile \"{os.path.join(self.dir, 'tinyproxy.pid')}\"\n"
                    f"BasicAuth {PROXY_USER} {self.proxy_password}\n"
                    f"ConnectPort {TURN_PORT}\nConnectPort {TLS_PORT}\n")
        self.spawn(self.pub, [tinyproxy, "-d", "-c", conf], "tinyproxy-stdout")
        self.wait_port(self.pub, PROXY_PORT, "tcp")
        return logpath

    def proxy_url(self, host=f"proxy.{DOMAIN}"):
        return f"http://{PROXY_USER}:{self.proxy_password}@{host}:{PROXY_PORT}"

    def start_dns(self, srv=True, ipv6=None):
        """dnsmasq answering only for the lab domain (no upstream resolvers at all).
        ipv6: an IPv6 address stun., turn. and sip. also have (AAAA), and dnsmasq listens
        on too."""
        v6 = f",{ipv6}" if ipv6 else ""
        argv = ["dnsmasq", "-k", "--no-resolv", "--no-hosts", "--no-poll",
                "--bind-interfaces", f"--listen-address={SERVER_IP}", "--port=53",
                *([f"--listen-address={ipv6}"] if ipv6 else []),
                "--user=root", "--group=root", "--pid-file=", "--log-queries",
                "--log-facility=-", f"--local=/{DOMAIN}/",
                f"--host-record=stun.{DOMAIN},{SERVER_IP}{v6}",
                f"--host-record=turn.{DOMAIN},{SERVER_IP}{v6}",
                f"--host-record=turns.{DOMAIN},{SERVER_ALT_IP}",
                f"--host-record=proxy.{DOMAIN},{PROXY_IP}",
                f"--host-record=sip.{DOMAIN},{SERVER_IP}{v6}",
                f"--host-record={DOMAIN},{SERVER_IP}"]
        if srv:
            argv += [f"--srv-host=_stun._udp.{DOMAIN},stun.{DOMAIN},{TURN_PORT}",
                     f"--srv-host=_turn._udp.{DOMAIN},turn.{DOMAIN},{TURN_PORT}",
                     f"--srv-host=_turn._tcp.{DOMAIN},turn.{DOMAIN},{TURN_PORT}",
                     f"--srv-host=_sip._udp.{DOMAIN},sip.{DOMAIN},{SIP_PORT}"]
        self.spawn(self.pub, argv, "dnsmasq")
        self.wait_port(self.pub, 53, "udp")

    def start_rtpengine(self):
        """rtpengine (userspace only) as the provider's media relay on SERVER_IP, driven by
        Kamailio over its ng protocol."""
        rtpengine = shutil.which("rtpengine") or "/usr/bin/rtpengine"
        if not os.access(rtpengine, os.X_OK):
            skip("rtpengine is not installed (package rtpengine-daemon; tools/install-deps.sh test)")
        argv = [rtpengine, "--foreground", "--log-stderr", "--interface", SERVER_IP,
                "--listen-ng", f"{SERVER_IP}:{RTPENGINE_NG_PORT}", "--table", "-1",
                "--port-min", "30000", "--port-max", "30999", "--no-fallback",
                "--pidfile", os.path.join(self.dir, "rtpengine.pid"), "--delete-delay", "0"]
        self.spawn(self.pub, argv, "rtpengine")
        self.wait_port(self.pub, RTPENGINE_NG_PORT, "udp")

    def start_sip(self, extra_users=None, fix_contacts=True, provider=None, tls=False,
                  extra_ips=()):
        """Kamailio as registrar on SERVER_IP:5060 (UDP and TCP), from the integration lab's
        routing script plus the NAT handling a registrar in front of NATs needs: rport on
        every request and Contact rewritten to the address packets came from (nathelper),
        so INVITEs and in-dialog requests reach clients through their NAT mappings.
        provider ("anchor" or "ice-lite", see PROVIDER_FLAGS): every SDP also goes through
        rtpengine, so media flows through the provider's relay. tls: also SIP over TLS on
        SERVER_IP:443 with the make_tls_certs() certificate. extra_ips: more addresses to
        listen on (UDP and TCP), e.g. the lab's IPv6 one (natlab6)."""
        integ = _integration_lab()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        modpath = integ._modpath()
        if modpath is None or not os.access(integ.KAMAILIO, os.X_OK):
            skip("kamailio (with its modules) is not installed")
        db = os.path.join(self.dir, "db")
        run = os.path.join(self.dir, "kamailio-run")
        os.makedirs(db)
        os.makedirs(run)
        self.sip_users = dict(integ.USERS, **(extra_users or {}))
        with open(os.path.join(db, "subscriber"), "w") as f:
            f.write("id(int,auto) username(string) domain(string) password(string)\n")
            for i, (user, pw) in enumerate(sorted(self.sip_users.items()), 1):
                f.write(f"{i}:{user}:{DOMAIN}:{pw}\n")
        values = dict(port=SIP_PORT, modpath=modpath, dbdir=db, tls_listen="", tls_module="",
                      max_expires=3600)
        if tls:
            tls_cfg = os.path.join(self.dir, "kamailio-tls.cfg")
            with open(tls_cfg, "w") as f:
                f.write(integ.TLS_CFG.format(key=self.tls[2], cert=self.tls[1]))
            values["tls_listen"] = f"enable_tls=yes\nlisten=tls:{SERVER_IP}:{TLS_PORT}"
            values["tls_module"] = f'loadmodule "tls.so"\nmodparam("tls", "config", "{tls_cfg}")'
        fields = {f for _, f, _, _ in string.Formatter().parse(integ.KAMAILIO_CFG) if f}
        if fields - values.keys():
            raise RuntimeError("tests/integration/lab.py KAMAILIO_CFG has new fields "
                               f"{sorted(fields - values.keys())}: teach natlab.start_sip them")
        cfg = integ.KAMAILIO_CFG.format(**{k: v for k, v in values.items() if k in fields})
        patches = [
            ("listen=udp:127.0.0.1:", f"listen=udp:{SERVER_IP}:"),
            ("listen=tcp:127.0.0.1:", "".join(f"listen={p}:[{ip}]:{SIP_PORT}\n"
                                              for ip in extra_ips for p in ("udp", "tcp")) +
             f"listen=tcp:{SERVER_IP}:"),
        ]
        # fix_contacts=False: a registrar that trusts Contact headers as they come, so the
        # clients themselves must put their public address there (rport, outbound natify).
        if fix_contacts:
            patches.append(("request_route {\n",
                            "request_route {\n    force_rport();\n"
                            "    if (is_method(\"INVITE|REGISTER|SUBSCRIBE\") && "
                            "nat_uac_test(\"19\")) {\n"
                            "        fix_nated_contact();\n    }\n"))
        if 'loadmodule "nathelper.so"' not in cfg:
            patches.append(('loadmodule "registrar.so"\n',
                            'loadmodule "registrar.so"\nloadmodule "nathelper.so"\n'))
        for old, new in patches:
            if old not in cfg:
                raise RuntimeError(f"tests/integration/lab.py KAMAILIO_CFG changed: {old!r} not found")
            cfg = cfg.replace(old, new, 1)
        if provider:
            self.start_rtpengine()
            flags = PROVIDER_FLAGS[provider]
            patches = [
                ('loadmodule "sdpops.so"\n',
                 'loadmodule "sdpops.so"\nloadmodule "rtpengine.so"\n'
                 f'modparam("rtpengine", "rtpengine_sock", "udp:{SERVER_IP}:{RTPENGINE_NG_PORT}")\n'),
                ("route[RELAY] {\n",
                 "route[RELAY] {\n    if (is_method(\"BYE|CANCEL\") || has_body(\"application/sdp\")) {\n"
                 f"        rtpengine_manage(\"{flags}\");\n    }}\n"),
                ("onreply_route[REPLY] {\n",
                 "onreply_route[REPLY] {\n    if (has_body(\"application/sdp\")) {\n"
                 f"        rtpengine_manage(\"{flags}\");\n    }}\n"),
            ]
            for old, new in patches:
                if old not in cfg:
                    raise RuntimeError(f"tests/integration/lab.py KAMAILIO_CFG changed: {old!r} not found")
                cfg = cfg.replace(old, new, 1)
        if fix_contacts:
            cfg += ("\nonreply_route {\n    if (nat_uac_test(\"1\")) {\n"
                    "        fix_nated_contact();\n    }\n}\n")
        path = os.path.join(self.dir, "kamailio.cfg")
        with open(path, "w") as f:
            f.write(cfg)
        self.spawn(self.pub, [integ.KAMAILIO, "-f", path, "-DD", "-E", "-Y", run, "-w", run,
                              "-m", "32", "-M", "4", "-a", "no"], "kamailio")
        self.wait_port(self.pub, SIP_PORT, "udp")
        self.wait_port(self.pub, SIP_PORT, "tcp")
        if tls:
            self.wait_port(self.pub, TLS_PORT, "tcp")

    # --- teardown --------------------------------------------------------------------

    def close(self):
        if self._closed:
            return
        self._closed = True
        for name, p, logpath in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for name, p, logpath in reversed(self.procs):
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(timeout=5)
        for ns in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            shutil.rmtree(os.path.join("/etc/netns", ns), ignore_errors=True)
            try:
                os.unlink(os.path.join(MARKER_DIR, ns))
            except FileNotFoundError:
                pass
        self.namespaces = []
        if self.failed and self.keep_on_failure:
            log(f"lab files kept in {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and exc_type is not SystemExit:
            self.failed = True
        self.close()
        return False


def _integration_lab():
    """tests/integration/lab.py (Kamailio script, users, helpers), shared with that suite."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(os.path.dirname(here), "integration")
    if path not in sys.path:
        sys.path.insert(0, path)
    import lab as integ
    return integ


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""
