"""The runmodes give the same output: `--runmode single` and `workers` with
1 to 4 workers write byte-identical eve.json and fast.log (only the stats
record's wall-clock `uptime` and `detect.engines[].last_reload` may differ) on samples/demo.pcap with the demo
rules, and on a generated capture of hundreds of flows spread over the
workers, with timeouts of many flows at one packet, fragments,
ICMP errors, IPv6 and VLAN tags, and flows still open at the end, and on a
generated port scan whose rules are thresholded per host and per rule
(decided by the writer, in packet order). Also checks the runmode flag and
settings. The binary is $ODLAR or build/odlar."""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from multiflow_pcap import MULTIFLOW_RULES, multiflow_pcap
from scan_pcap import SCAN_RULES, scan_pcap

ROOT = Path(__file__).resolve().parents[2]
ODLAR = Path(os.environ.get("ODLAR", ROOT / "build" / "odlar"))
DEMO = ROOT / "samples" / "demo.pcap"
DEMO_RULES = ROOT / "rules" / "demo.rules"
UPTIME = re.compile(rb'"uptime":\d+')
LAST_RELOAD = re.compile(rb'"last_reload":"[^"]*"')


def workers_args(n):
    if n == 0:
        return ["--runmode", "single"]
    return ["--runmode", "workers", "--set", "threading.set-cpu-affinity=yes",
            "--set", f"threading.cpu-affinity.worker-cpu-set.threads={n}"]


def run_outputs(tmp_path, capture, rules, n):
    out = tmp_path / f"out-{n}"
    out.mkdir()
    r = subprocess.run([str(ODLAR), "-r", str(capture), "-l", str(out), "-S", str(rules), "-vv", *workers_args(n)],
                       capture_output=True, text=True, env=dict(os.environ, TZ="UTC"), timeout=300)
    assert r.returncode == 0, r.stderr
    want_workers = 1 if n == 0 else n
    assert f"with {want_workers} worker" in r.stdout  # info: stdout, as Suricata
    return {name: LAST_RELOAD.sub(b'"last_reload":""', UPTIME.sub(b'"uptime":0', (out / name).read_bytes()))
            for name in ("eve.json", "fast.log")}


@pytest.fixture(scope="module")
def multiflow(tmp_path_factory):
    d = tmp_path_factory.mktemp("multiflow")
    (d / "multiflow.pcap").write_bytes(multiflow_pcap())
    (d / "multiflow.rules").write_text(MULTIFLOW_RULES)
    return d / "multiflow.pcap", d / "multiflow.rules"


def check_same_for_all_worker_counts(tmp_path, capture, rules):
    single = run_outputs(tmp_path, capture, rules, 0)
    for n in (1, 2, 3, 4):
        got = run_outputs(tmp_path, capture, rules, n)
        for name in single:
            assert got[name] == single[name], f"{name} differs between single and {n} workers"
    return single


def test_demo_is_identical_with_any_worker_count(tmp_path):
    out = check_same_for_all_worker_counts(tmp_path, DEMO, DEMO_RULES)
    assert out["fast.log"].count(b"\n") > 10


def test_multiflow_is_identical_with_any_worker_count(tmp_path, multiflow):
    out = check_same_for_all_worker_counts(tmp_path, *multiflow)
    events = [json.loads(line) for line in out["eve.json"].splitlines()]
    flows = [e for e in events if e["event_type"] == "flow"]
    reasons = {e["flow"]["reason"] for e in flows}
    # the capture exercises what ordering must settle: many flows timing
    # out at one packet, flows ended at shutdown, alerts in both parts
    assert len(flows) > 600 and {"timeout", "shutdown"} <= reasons
    timeouts = [e for e in flows if e["flow"]["reason"] == "timeout"]
    assert len({e["timestamp"] for e in timeouts}) < len(timeouts) / 10
    shutdown = [e["flow_id"] for e in flows if e["flow"]["reason"] == "shutdown"]
    assert shutdown == sorted(shutdown), "flows ending at shutdown come out by flow_id"
    sids = {e["alert"]["signature_id"] for e in events if e["event_type"] == "alert"}
    assert {1, 2, 3, 4, 5, 6} <= sids
    assert out["fast.log"].count(b"\n") == sum(1 for e in events if e["event_type"] == "alert")


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    d = tmp_path_factory.mktemp("scan")
    (d / "scan.pcap").write_bytes(scan_pcap())
    (d / "scan.rules").write_text(SCAN_RULES)
    return d / "scan.pcap", d / "scan.rules"


def test_host_and_rule_thresholds_are_identical_with_any_worker_count(tmp_path, scan):
    """One source scanning 64 hosts, whose pairs spread over the workers:
    by_src / by_dst / by_rule thresholds and a detection_filter alert on the
    same packets with any worker count, as one table counting in packet
    order decides (Suricata's semantics); flows whose only alerts were
    thresholded say alerted, and the stats count what was suppressed."""
    out = check_same_for_all_worker_counts(tmp_path, *scan)
    events = [json.loads(line) for line in out["eve.json"].splitlines()]
    alerts = [e for e in events if e["event_type"] == "alert"]
    per_sid = {}
    for e in alerts:
        per_sid[e["alert"]["signature_id"]] = per_sid.get(e["alert"]["signature_id"], 0) + 1
    # both/5 by_src: each of 3 sources once per wave; detection_filter
    # count 20 by_src: the scanner's 44 last SYNs of each 64-host wave;
    # limit 3 by_dst: 3 of the 40 SYNs to one target
    assert per_sid[9001] == 6 and per_sid[9005] == 88 and per_sid[9003] == 3
    assert per_sid[9006] == 64 and per_sid[9002] > 0 and per_sid[9004] > 0
    scanner_both = [e["timestamp"] for e in alerts
                    if e["alert"]["signature_id"] == 9001 and e["src_ip"] == "10.9.0.1"]
    assert len(scanner_both) == 2
    flows = [e for e in events if e["event_type"] == "flow"]
    alerted = {e["flow_id"] for e in alerts}
    assert all(e["flow"]["alerted"] == (e["flow_id"] in alerted) for e in flows)
    only_thresholded = alerted - {e["flow_id"] for e in alerts if e["alert"]["signature_id"] == 9006}
    assert len(only_thresholded) > 30
    stats = [e for e in events if e["event_type"] == "stats"][-1]["stats"]["detect"]
    assert stats["alert"] == len(alerts)
    assert stats["alerts_suppressed"] > 500
    assert out["fast.log"].count(b"\n") == len(alerts)


def test_runmode_setting_and_bad_values(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    env = dict(os.environ, TZ="UTC")
    r = subprocess.run([str(ODLAR), "-r", str(DEMO), "-l", str(out), "-v", "--set", "runmode=single"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and "runmode single with 1 worker" in r.stdout
    r = subprocess.run([str(ODLAR), "-r", str(DEMO), "-l", str(out), "--runmode", "fast"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and "--runmode takes single, workers or autofp" in r.stderr
    r = subprocess.run([str(ODLAR), "-r", str(DEMO), "-l", str(out), "--set", "runmode=fast"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 1 and "runmode" in r.stderr
    r = subprocess.run([str(ODLAR), "-r", str(DEMO), "-l", str(out), "-v", "--runmode", "autofp",
                        "--set", "threading.detect-thread-ratio=0.001"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and "runmode autofp with 1 worker" in r.stdout


def test_set_cpu_affinity_pins_the_workers(tmp_path):
    """threading.set-cpu-affinity: worker k on the k-th CPU of worker-cpu-set
    (all online CPUs without a list), round robin; a CPU the system refuses
    is a warning and the run goes on unpinned, with the same output."""
    env = dict(os.environ, TZ="UTC")
    ncpu = os.cpu_count() or 1
    outs = {}
    for name, extra in (("all", []),
                        ("listed", ["--set", "threading.cpu-affinity.worker-cpu-set.cpu=0",
                                    "--set", "threading.cpu-affinity.worker-cpu-set.threads=3"]),
                        ("refused", ["--set", "threading.cpu-affinity.worker-cpu-set.cpu=1023",
                                     "--set", "threading.cpu-affinity.worker-cpu-set.threads=2"])):
        out = tmp_path / name
        out.mkdir()
        r = subprocess.run([str(ODLAR), "-r", str(DEMO), "-l", str(out), "-S", str(DEMO_RULES), "-v",
                            "--runmode", "workers", "--set", "threading.set-cpu-affinity=yes", *extra],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        log = r.stdout + r.stderr
        if name == "all":
            for k in range(min(ncpu, 4)):
                assert f"worker {k}: pinned to CPU {k % ncpu}" in log
        elif name == "listed":
            for k in range(3):
                assert f"worker {k}: pinned to CPU 0" in log
        else:
            assert "cannot set its CPU affinity" in log and "pinned to CPU" not in log
        outs[name] = LAST_RELOAD.sub(b"", UPTIME.sub(b"", (out / "eve.json").read_bytes()))
    assert outs["all"] == outs["listed"] == outs["refused"]


def test_set_cpu_affinity_pins_single_too(tmp_path):
    """As Suricata's single pcap-file mode pins its one thread to the
    worker set, `single` with threading.set-cpu-affinity runs its packets on
    worker-cpu-set's first CPU (the rule load before it is not pinned);
    without the setting it is not pinned."""
    env = dict(os.environ, TZ="UTC")
    cpu = (os.cpu_count() or 1) - 1
    logs = {}
    for name, extra in (("pinned", ["--set", "threading.set-cpu-affinity=yes",
                                    "--set", f"threading.cpu-affinity.worker-cpu-set.cpu={cpu}"]),
                        ("unpinned", ["--set", f"threading.cpu-affinity.worker-cpu-set.cpu={cpu}"])):
        out = tmp_path / name
        out.mkdir()
        r = subprocess.run([str(ODLAR), "-r", str(DEMO), "-l", str(out), "-S", str(DEMO_RULES), "-v",
                            "--runmode", "single", *extra], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        logs[name] = r.stdout + r.stderr
    assert f"worker 0: pinned to CPU {cpu}" in logs["pinned"]
    assert "pinned to" not in logs["unpinned"]


def run_capture(tmp_path, name, capture_args, rules, n, stdin=None):
    out = tmp_path / name
    out.mkdir()
    r = subprocess.run([str(ODLAR), *capture_args, "-l", str(out), "-S", str(rules), "-v", *workers_args(n)],
                       capture_output=True, env=dict(os.environ, TZ="UTC"), timeout=300, input=stdin)
    files = {f: LAST_RELOAD.sub(b'"last_reload":""', UPTIME.sub(b'"uptime":0', (out / f).read_bytes()))
             for f in ("eve.json", "fast.log")}
    return r, files


def test_every_worker_reads_a_cut_capture_and_a_folder_alike(tmp_path, multiflow):
    """Each worker reads the capture itself: a file cut mid-record is read
    up to the cut by all of them (one warning, not one per worker), and a
    folder's files in the same order, with the same output as single."""
    capture, rules = multiflow
    data = capture.read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[: len(data) * 2 // 3])
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.pcap").write_bytes(data)
    (folder / "b.pcap").write_bytes(DEMO.read_bytes())
    for name, args in (("cut", ["-r", str(cut)]), ("folder", ["-r", str(folder)])):
        r1, single = run_capture(tmp_path, name + "-single", args, rules, 0)
        r3, three = run_capture(tmp_path, name + "-3", args, rules, 3)
        assert r1.returncode == 0 and r3.returncode == 0, r3.stderr
        assert three == single, f"{name}: 3 workers differ from single"
        err = (r3.stdout + r3.stderr).decode()
        assert "with 3 workers" in err
        if name == "cut":
            assert err.count("file is cut short") == 1, err
        else:
            assert err.count("end of file reached") == 2, err
            assert err.count("reading 2 files from folder") == 1, err


def test_standard_input_is_read_by_one_worker(tmp_path, multiflow):
    capture, rules = multiflow
    _, single = run_capture(tmp_path, "file", ["-r", str(capture)], rules, 0)
    r, piped = run_capture(tmp_path, "stdin", ["-r", "-"], rules, 2, stdin=capture.read_bytes())
    assert r.returncode == 0, r.stderr
    err = (r.stdout + r.stderr).decode()
    assert "standard input can be read only once: one worker reads it" in err and "with 1 worker" in err
    # the same records; only pcap_filename names the input differently
    assert piped["eve.json"].replace(b'"pcap_filename":"-"', b"") == \
        single["eve.json"].replace(f'"pcap_filename":"{capture}"'.encode(), b"")


def test_conditional_pcap_log_is_identical_with_any_worker_count(tmp_path, multiflow):
    """pcap-log in `conditional: alerts` and `tag` is written after
    detection from the workers' ordered records: the same file(s) with
    single and 1 to 3 workers, holding alerting flows' packets and the
    stored segments written at their first alert."""
    capture, rules = multiflow
    tagged = tmp_path / "tagged.rules"
    tagged.write_text(rules.read_text().replace(" sid:", " tag:session,4,packets; sid:"))
    for mode, rule_file in (("alerts", rules), ("tag", tagged)):
        logs = {}
        for n in (0, 1, 2, 3):
            out = tmp_path / f"pcap-{mode}-{n}"
            out.mkdir()
            r = subprocess.run([str(ODLAR), "-r", str(capture), "-l", str(out), "-S", str(rule_file),
                                "--set", "outputs.3.pcap-log.enabled=yes",
                                "--set", f"outputs.3.pcap-log.conditional={mode}", *workers_args(n)],
                               capture_output=True, text=True, env=dict(os.environ, TZ="UTC"), timeout=300)
            assert r.returncode == 0, r.stderr
            logs[n] = {p.name: p.read_bytes() for p in out.glob("log.pcap.*")}
        assert len(logs[0]) == 1
        (data,) = logs[0].values()
        assert len(data) > 24 + 16 * 10, f"{mode}: too few packets written"
        for n in (1, 2, 3):
            assert logs[n] == logs[0], f"conditional {mode}: {n} workers differ from single"
