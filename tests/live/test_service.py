"""Odlar as a service, with real traffic between network namespaces.

Uses the namespaces of test_live.py (client, sensor bridge, server) and
runs Odlar on the sensor's `mc` with AF_PACKET and the unix control socket
enabled, then drives it with `odlarctl` (built next to odlar):

- the control socket answers version, uptime, running-mode, capture-mode,
  iface-list, iface-stat, ruleset-stats, dump-counters and command-list,
  refuses an unknown command, and `shutdown` stops Odlar with exit 0;
- rule reload under traffic: while the client keeps requesting, a rule
  added to the rules file alerts after `reload-rules` and the kernel drop
  counter is the same before and after; a broken rules file makes
  `reload-rules` answer NOK with the reason while the old rule keeps
  alerting; SIGUSR2 reloads too;
- SIGTERM leaves complete eve.json lines; the stats record carries
  detect.engines (id, last_reload, rules_loaded, rules_failed) as Suricata 8;
- --user/--group: the process runs as nobody:nogroup with only CAP_NET_RAW
  and CAP_NET_ADMIN and still captures.

Needs root and `ip netns`; otherwise every test is skipped with the reason."""
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from test_live import ODLAR, RULE, curl, events, net, records, seen_in, start_odlar, stop_odlar, wait_for  # noqa: F401

ODLARCTL = ODLAR.parent / "odlarctl"
AFP = ("-i", "mc", "--set", "af-packet.0.interface=mc", "--set", "af-packet.0.threads=2")
NEW_RULE = ('alert http any any -> any any (msg:"ODLAR reloaded rule"; flow:to_server; '
            'http.uri; content:"/odlar-reloaded"; sid:9900002; rev:1;)\n')
USR2_RULE = ('alert http any any -> any any (msg:"ODLAR usr2 rule"; flow:to_server; '
             'http.uri; content:"/odlar-usr2"; sid:9900003; rev:1;)\n')


def ctl(sock, *args):
    r = subprocess.run([str(ODLARCTL), "-s", str(sock), *args], capture_output=True, text=True, timeout=120)
    reply = json.loads(r.stdout) if r.stdout.strip() else None
    return r.returncode, reply, r.stderr


def start_service(net, tmp_path):
    if not ODLARCTL.exists():
        pytest.skip(f"{ODLARCTL} is not built")
    out = tmp_path / "out"
    out.mkdir()
    sock = tmp_path / "odlar.sock"
    p = start_odlar(net, tmp_path, out, *AFP, "--set", "unix-command.enabled=yes",
                    "--set", f"unix-command.filename={sock}")
    wait_for(lambda: sock.exists(), "the control socket")
    return p, out, sock


def alert_count(out, sid):
    path = out / "eve.json"
    return path.read_text().count(f'"signature_id":{sid}') if path.exists() else 0


def kernel_drops(sock):
    time.sleep(1.5)  # workers publish their counters about once a second
    rc, reply, _ = ctl(sock, "dump-counters")
    assert rc == 0, reply
    return reply["message"]["capture.kernel_drops"], reply["message"]["capture.kernel_packets"]


def test_control_socket_commands(net, tmp_path):
    p, out, sock = start_service(net, tmp_path)
    assert curl(net, "/").returncode == 0
    rc, reply, _ = ctl(sock, "version")
    assert rc == 0 and reply["return"] == "OK" and "Odlar" in reply["message"]
    rc, reply, _ = ctl(sock, "uptime")
    assert rc == 0 and isinstance(reply["message"], int)
    assert ctl(sock, "running-mode")[1]["message"] == "workers"
    assert ctl(sock, "capture-mode")[1]["message"] == "AF_PACKET_DEV"
    assert ctl(sock, "iface-list")[1]["message"]["ifaces"] == ["mc"]
    wait_for(lambda: ctl(sock, "iface-stat", "mc")[1]["message"]["pkts"] > 0, "packets counted on mc")
    rc, reply, _ = ctl(sock, "iface-stat", "nosuch0")
    assert rc == 1 and reply["return"] == "NOK"
    stats = ctl(sock, "ruleset-stats")[1]["message"]
    assert stats == [{"id": 0, "rules_loaded": 1, "rules_failed": 0, "rules_skipped": 0}]
    assert ctl(sock, "ruleset-failed-rules")[1]["message"] == []
    assert "reload-rules" in ctl(sock, "command-list")[1]["message"]["commands"]
    rc, reply, _ = ctl(sock, "no-such-command")
    assert rc == 1 and reply == {"return": "NOK", "message": "Unknown command"}
    rc, reply, _ = ctl(sock, "shutdown")
    assert rc == 0 and reply["return"] == "OK"
    assert p.wait(timeout=30) == 0
    assert not sock.exists(), "the socket file is removed at exit"
    records(out / "eve.json")  # every line whole


def test_reload_under_traffic(net, tmp_path):
    p, out, sock = start_service(net, tmp_path)
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            curl(net, "/")
            time.sleep(0.05)

    t = threading.Thread(target=traffic)
    t.start()
    try:
        drops_before, packets_before = kernel_drops(sock)
        rules = tmp_path / "live.rules"
        rules.write_text(RULE + NEW_RULE)
        rc, reply, err = ctl(sock, "reload-rules")
        assert rc == 0 and reply == {"return": "OK", "message": "done"}, (reply, err)
        drops_after, packets_after = kernel_drops(sock)
        assert packets_after > packets_before, "traffic flowed across the reload"
        assert drops_after == drops_before, "no packets lost by the reload"
        assert ctl(sock, "ruleset-stats")[1]["message"][0]["rules_loaded"] == 2
        assert ctl(sock, "ruleset-stats")[1]["message"][0]["id"] == 1

        assert curl(net, "/odlar-reloaded").returncode == 0
        wait_for(lambda: alert_count(out, 9900002) == 1, "the reloaded rule's alert")

        # a broken rules file: NOK with the reason, the old engine stays
        rules.write_text('alert http any any -> any any (msg:"broken"; nosuchkeyword; sid:9900009;)\n')
        rc, reply, _ = ctl(sock, "reload-rules")
        assert rc == 1 and reply["return"] == "NOK" and "failed to load" in reply["message"], reply
        failed = ctl(sock, "ruleset-failed-rules")[1]["message"]
        assert len(failed) == 1 and "nosuchkeyword" in failed[0]["rule"]
        assert ctl(sock, "ruleset-stats")[1]["message"][0]["id"] == 1
        before = alert_count(out, 9900001)
        assert curl(net, "/odlar-live-secret").returncode == 0
        wait_for(lambda: alert_count(out, 9900001) == before + 1, "the old rule still alerting")
        assert curl(net, "/odlar-reloaded").returncode == 0
        wait_for(lambda: alert_count(out, 9900002) == 2, "the reloaded rule still alerting")

        # SIGUSR2 reloads as well
        rules.write_text(RULE + USR2_RULE)
        p.send_signal(signal.SIGUSR2)
        wait_for(lambda: ctl(sock, "ruleset-stats")[1]["message"][0]["id"] == 2, "the SIGUSR2 reload", 60)
        assert curl(net, "/odlar-usr2").returncode == 0
        wait_for(lambda: alert_count(out, 9900003) == 1, "the SIGUSR2-loaded rule's alert")
    finally:
        stop.set()
        t.join()
    log = stop_odlar(p, tmp_path)
    assert "rule reload failed" in log and "the rules in use stay" in log
    recs = records(out / "eve.json")  # SIGTERM: every line whole
    stats = events(recs, "stats")
    assert stats, "the final stats record"
    engines = stats[-1]["stats"]["detect"]["engines"]
    assert len(engines) == 1 and engines[0]["id"] == 2 and engines[0]["rules_loaded"] == 2, engines
    assert engines[0]["rules_failed"] == 0 and engines[0]["last_reload"]


def test_privilege_drop(net, tmp_path):
    import grp
    import pwd
    try:
        nobody = pwd.getpwnam("nobody")
        nogroup = grp.getgrnam("nogroup")
    except KeyError:
        pytest.skip("needs the user nobody and the group nogroup")
    out = tmp_path / "out"
    out.mkdir()
    p = start_odlar(net, tmp_path, out, *AFP, "--user", "nobody", "--group", "nogroup")
    status = dict(line.split(":", 1) for line in open(f"/proc/{p.pid}/status").read().splitlines() if ":" in line)
    assert status["Uid"].split()[:3] == [str(nobody.pw_uid)] * 3
    assert status["Gid"].split()[:3] == [str(nogroup.gr_gid)] * 3
    assert status["Groups"].strip() == ""
    net_caps = (1 << 12) | (1 << 13)  # CAP_NET_ADMIN, CAP_NET_RAW
    assert int(status["CapEff"], 16) == net_caps and int(status["CapPrm"], 16) == net_caps
    assert int(status["CapBnd"], 16) == 0  # nothing can be regained through exec
    assert curl(net, "/odlar-live-secret").returncode == 0  # the capture still works
    wait_for(lambda: alert_count(out, 9900001) == 1, "the alert after the drop")
    log = stop_odlar(p, tmp_path)
    assert "running as uid" in log
    records(out / "eve.json")


def test_repeated_reloads_under_traffic(net, tmp_path):
    """Back-to-back reloads while both fanout threads carry HTTP flows: each
    replaced engine is freed only after both threads moved (run this under
    AddressSanitizer to catch a use after free), and detection keeps going."""
    p, out, sock = start_service(net, tmp_path)
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            curl(net, "/odlar-live-secret")

    threads = [threading.Thread(target=traffic) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        rules = tmp_path / "live.rules"
        for i in range(6):
            rules.write_text(RULE + (NEW_RULE if i % 2 else ""))
            if i % 3 == 2:
                rc, reply, _ = ctl(sock, "ruleset-reload-nonblocking")
                assert rc == 0, reply
                wait_for(lambda: not ctl(sock, "ruleset-stats")[1]["message"][0]["id"] < i + 1,
                         "the non-blocking reload", 60)
            else:
                rc, reply, _ = ctl(sock, "reload-rules")
                assert rc == 0 and reply["message"] == "done", reply
        assert ctl(sock, "ruleset-stats")[1]["message"][0]["id"] == 6
        before = alert_count(out, 9900001)
        wait_for(lambda: alert_count(out, 9900001) > before, "alerts after the reloads")
    finally:
        stop.set()
        for t in threads:
            t.join()
    stop_odlar(p, tmp_path)
    records(out / "eve.json")
