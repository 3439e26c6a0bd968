"""Inline prevention with real traffic between network namespaces.

Two layouts, both built by the test with veth pairs:

* NFQUEUE: the sensor namespace routes between a client (10.99.1.0/24) and
  a server (10.99.2.0/24); iptables there sends FORWARD traffic to queue 0
  (`-j NFQUEUE --queue-num 0`, with `--queue-bypass` where the test says),
  and Odlar (`-q 0`) gives the verdicts.
* AF_PACKET IPS: client and server share 10.99.3.0/24; the sensor's two
  interfaces have no addresses and Odlar bridges them (`copy-mode: ips`),
  forwarding every packet it does not drop. Offloads are turned off on the
  bridged links, as Suricata's documentation asks, so every frame fits the
  MTU and carries its own checksum.

In both, `python3 -m http.server` serves and `curl` asks: a `drop` rule
makes the matching request time out while another request succeeds; a
`reject` rule makes curl fail at once with a reset (measured: well under
the time-out); EVE then holds the alerts (action "blocked") and stats
with ips.* counters (AF_PACKET with one and with two threads). With Odlar
killed, traffic passes when iptables was told `--queue-bypass` and stops
when it was not.

Needs root, `ip netns`, curl and (for NFQUEUE) iptables with the NFQUEUE
target and an Odlar built with NFQUEUE; otherwise each test is skipped with
the reason, never passed. The binary is $ODLAR or build/odlar."""
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from netns import ThreeNamespaces, run

ROOT = Path(__file__).resolve().parents[2]
ODLAR = Path(os.environ.get("ODLAR", ROOT / "build" / "odlar"))
PYTHON = "/usr/bin/python3"
RULES = (
    'drop http any any -> any any (msg:"ODLAR IPS drop request"; flow:to_server,established; '
    'http.uri; content:"/odlar-drop"; sid:9910001; rev:1;)\n'
    'reject http any any -> any any (msg:"ODLAR IPS reject request"; flow:to_server,established; '
    'http.uri; content:"/odlar-reject"; sid:9910002; rev:1;)\n'
    'alert http any any -> any any (msg:"ODLAR IPS seen"; flow:to_server,established; '
    'http.uri; content:"/odlar-seen"; sid:9910003; rev:1;)\n'
)
CURL_TIMEOUT = 4


class Lab(ThreeNamespaces):
    """client <-veth-> sensor <-veth-> server, routed or bridged by Odlar."""

    def __init__(self, routed):
        super().__init__("oip")
        self.routed = routed
        self.procs = []
        if routed:
            self.client_ip, self.server_ip = "10.99.1.1", "10.99.2.1"
        else:
            self.client_ip, self.server_ip = "10.99.3.1", "10.99.3.2"

    def add(self):
        self.add_namespaces()
        c, s, m = self.client, self.server, self.sensor
        for ns, links in ((c, ("lo", "c0")), (s, ("lo", "s0")), (m, ("lo", "mc", "ms"))):
            for link in links:
                run("ip", "-n", ns, "link", "set", link, "up")
        prefix = 24
        run("ip", "-n", c, "addr", "add", f"{self.client_ip}/{prefix}", "dev", "c0")
        run("ip", "-n", s, "addr", "add", f"{self.server_ip}/{prefix}", "dev", "s0")
        if self.routed:
            run("ip", "-n", m, "addr", "add", "10.99.1.254/24", "dev", "mc")
            run("ip", "-n", m, "addr", "add", "10.99.2.254/24", "dev", "ms")
            run("ip", "-n", c, "route", "add", "default", "via", "10.99.1.254")
            run("ip", "-n", s, "route", "add", "default", "via", "10.99.2.254")
            run(*self.exec(m, "sysctl", "-qw", "net.ipv4.ip_forward=1"))
        else:
            # every frame as it will be on the wire: no segmentation or
            # checksum offload on either side of the bridge
            for ns, link in ((c, "c0"), (s, "s0"), (m, "mc"), (m, "ms")):
                run(*self.exec(ns, "ethtool", "-K", link, "tx", "off", "tso", "off", "gso", "off", "gro", "off"),
                    check=False)


def find_iptables():
    """An iptables whose NFQUEUE target the kernel takes, or None."""
    for name in ("iptables", "iptables-legacy", "iptables-nft"):
        if shutil.which(name):
            return name
    return None


def start_server(lab, tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("hello from the server namespace\n")
    lab.procs.append(subprocess.Popen(lab.exec(lab.server, PYTHON, "-m", "http.server", "8080",
                                               "--bind", lab.server_ip),
                                      cwd=www, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def make_lab(tmp_path, routed):
    if os.geteuid() != 0:
        pytest.skip("inline IPS tests need root (network namespaces, NFQUEUE, AF_PACKET)")
    if not shutil.which("ip") or not shutil.which("curl"):
        pytest.skip("inline IPS tests need iproute2 (ip) and curl")
    if not routed and not shutil.which("ethtool"):
        pytest.skip("the AF_PACKET IPS test needs ethtool to turn offloads off on the bridged links")
    lab = Lab(routed)
    lab.add()
    start_server(lab, tmp_path)
    return lab


def cleanup(lab):
    for p in lab.procs:
        if p.poll() is None:
            p.terminate()
    for p in lab.procs:
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
    lab.delete()


@pytest.fixture
def routed_lab(tmp_path):
    lab = make_lab(tmp_path, routed=True)
    try:
        lab.iptables = find_iptables()
        if not lab.iptables:
            pytest.skip("the NFQUEUE tests need iptables (Debian package iptables)")
        # no rule yet: plain routing must work before Odlar is involved
        wait_for(lambda: curl(lab, "/").returncode == 0, "the HTTP server through the routing sensor")
        yield lab
    finally:
        cleanup(lab)


@pytest.fixture
def bridged_lab(tmp_path):
    lab = make_lab(tmp_path, routed=False)
    try:
        yield lab
    finally:
        cleanup(lab)


def queue_traffic(lab, bypass):
    """FORWARD traffic of the sensor to NFQUEUE 0; skips when the kernel or
    iptables cannot."""
    args = ["-I", "FORWARD", "-j", "NFQUEUE", "--queue-num", "0"]
    if bypass:
        args.append("--queue-bypass")
    r = run(*lab.exec(lab.sensor, lab.iptables, *args), check=False)
    if r.returncode != 0:
        pytest.skip(f"iptables cannot queue to NFQUEUE here ({lab.iptables}: {r.stderr.strip()})")


def wait_for(cond, what, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def curl(lab, path, timeout=CURL_TIMEOUT):
    url = f"http://{lab.server_ip}:8080{path}"
    return subprocess.run(lab.exec(lab.client, "curl", "-s", "-m", str(timeout), "-o", "/dev/null", url),
                          capture_output=True, timeout=30)


def timed_curl(lab, path):
    start = time.monotonic()
    r = curl(lab, path)
    return r.returncode, time.monotonic() - start


def records(path):
    text = path.read_text()
    assert text == "" or text.endswith("\n"), f"{path} ends in a partial line"
    return [json.loads(line) for line in text.splitlines()]


def events(recs, kind):
    return [r for r in recs if r.get("event_type") == kind]


def start_odlar(lab, tmp_path, *capture_args, config=None):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    rules = tmp_path / "ips.rules"
    rules.write_text(RULES)
    args = [str(ODLAR), *capture_args, "-l", str(out), "-S", str(rules), "--pidfile", str(out / "odlar.pid"),
            "--set", "stats.interval=1"]
    if config:
        cfg = tmp_path / "odlar.yaml"
        cfg.write_text(config)
        args += ["-c", str(cfg)]
    logpath = tmp_path / "odlar.log"
    log = open(logpath, "w")
    p = subprocess.Popen(lab.exec(lab.sensor, *args), stdout=log, stderr=subprocess.STDOUT)
    lab.procs.append(p)
    try:
        wait_for(lambda: p.poll() is not None or "capturing on" in logpath.read_text(), "odlar to start")
    except AssertionError:
        p.kill()
        raise AssertionError(logpath.read_text())
    if p.poll() is not None:
        text = logpath.read_text()
        if "built without NFQUEUE" in text:
            pytest.skip("this odlar was built without NFQUEUE (libnetfilter-queue-dev missing at build time)")
        raise AssertionError(text)
    return p, out


def stop_odlar(p, tmp_path):
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=30)
    log = (tmp_path / "odlar.log").read_text()
    assert rc == 0, log
    return log


def check_prevention(lab):
    """drop and reject rules against real curl requests."""
    assert curl(lab, "/").returncode == 0, "a request no rule drops goes through"
    code, took = timed_curl(lab, "/odlar-drop")
    assert code == 28, f"the dropped request should time out (curl exit {code} after {took:.1f}s)"
    assert took >= CURL_TIMEOUT - 0.5
    assert curl(lab, "/odlar-seen").returncode == 0, "an alert rule lets its request through"
    code, took = timed_curl(lab, "/odlar-reject")
    # 56: "failure in receiving network data" -- the reset
    assert code in (7, 52, 56), f"the rejected request should fail with a reset (curl exit {code})"
    assert took < 1.0, f"a reset ends the request at once, not after a time-out ({took:.2f}s)"
    assert curl(lab, "/").returncode == 0, "traffic still flows after the drops"
    return took


def check_eve(out, log):
    recs = records(out / "eve.json")
    alerts = {a["alert"]["signature_id"]: a for a in events(recs, "alert")}
    assert {9910001, 9910002, 9910003} <= set(alerts), log
    assert alerts[9910001]["alert"]["action"] == "blocked"
    assert alerts[9910002]["alert"]["action"] == "blocked"
    assert alerts[9910003]["alert"]["action"] == "allowed"
    final = events(recs, "stats")[-1]["stats"]
    assert final["ips"]["accepted"] > 10
    assert final["ips"]["blocked"] >= 1
    assert final["ips"]["rejected"] >= 1
    return final


def test_nfqueue_drop_and_reject(routed_lab, tmp_path):
    queue_traffic(routed_lab, bypass=False)
    p, out = start_odlar(routed_lab, tmp_path, "-q", "0")
    took = check_prevention(routed_lab)
    log = stop_odlar(p, tmp_path)
    check_eve(out, log)
    print(f"reject answered in {took * 1000:.0f} ms")


def test_nfqueue_batch_verdicts(routed_lab, tmp_path):
    queue_traffic(routed_lab, bypass=False)
    p, out = start_odlar(routed_lab, tmp_path, "-q", "0",
                         config="%YAML 1.1\n---\nnfq:\n  mode: accept\n  batchcount: 20\n  fail-open: yes\n")
    for _ in range(3):
        assert curl(routed_lab, "/").returncode == 0, "batched accept verdicts never hold traffic back"
    code, _ = timed_curl(routed_lab, "/odlar-drop")
    assert code == 28
    stop_odlar(p, tmp_path)


@pytest.mark.parametrize("bypass", [True, False], ids=["queue-bypass", "no-bypass"])
def test_nfqueue_engine_killed(routed_lab, tmp_path, bypass):
    queue_traffic(routed_lab, bypass=bypass)
    p, _ = start_odlar(routed_lab, tmp_path, "-q", "0",
                       config="%YAML 1.1\n---\nnfq:\n  fail-open: yes\n")
    assert curl(routed_lab, "/").returncode == 0
    p.kill()
    p.wait(timeout=10)
    r = curl(routed_lab, "/")
    if bypass:
        assert r.returncode == 0, "with --queue-bypass traffic passes while no engine reads the queue"
    else:
        assert r.returncode == 28, "without bypass the kernel drops what nobody reads"


def test_nfqueue_queue_in_use(routed_lab, tmp_path):
    queue_traffic(routed_lab, bypass=True)
    p, out = start_odlar(routed_lab, tmp_path, "-q", "0")
    r = subprocess.run(routed_lab.exec(routed_lab.sensor, str(ODLAR), "-q", "0", "-l", str(out),
                                       "--disable-detection"),
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert "NFQUEUE 0" in r.stderr
    stop_odlar(p, tmp_path)


AFP_IPS_CONFIG = """%YAML 1.1
---
af-packet:
  - interface: mc
    copy-mode: ips
    copy-iface: ms
    cluster-id: 97
  - interface: ms
    copy-mode: ips
    copy-iface: mc
    cluster-id: 98
"""


@pytest.mark.parametrize("threads", [1, 2])
def test_afpacket_ips_drop_and_reject(bridged_lab, tmp_path, threads):
    config = AFP_IPS_CONFIG + f"  - interface: default\n    threads: {threads}\n"
    p, out = start_odlar(bridged_lab, tmp_path, "--af-packet=mc", config=config)
    wait_for(lambda: curl(bridged_lab, "/").returncode == 0, "traffic bridged by odlar")
    took = check_prevention(bridged_lab)
    log = stop_odlar(p, tmp_path)
    final = check_eve(out, log)
    assert final["capture"]["kernel_packets"] > 0
    recs = records(out / "eve.json")
    assert {r.get("in_iface") for r in events(recs, "flow")} <= {"mc", "ms"}
    print(f"reject answered in {took * 1000:.0f} ms")
    # nothing is bridged once odlar is gone
    assert curl(bridged_lab, "/", timeout=2).returncode == 28


def test_afpacket_ips_needs_peer_entry(bridged_lab, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("%YAML 1.1\n---\naf-packet:\n  - interface: mc\n    copy-mode: ips\n    copy-iface: ms\n")
    r = subprocess.run(bridged_lab.exec(bridged_lab.sensor, str(ODLAR), "--af-packet=mc", "-c", str(cfg),
                                        "-l", str(out), "--disable-detection"),
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert "copy-iface" in r.stderr
