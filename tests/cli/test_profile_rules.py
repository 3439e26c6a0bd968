"""--profile-rules: the rule profile a rule writer reads after a run.

Runs the demo capture with the demo rules and checks rule_perf.log in the
log folder: Suricata's JSON layout (one object per sort order, the top
`limit` rules each), counts that agree with the alerts in eve.json (every
demo rule that alerted was checked and matched at least as often as it
alerted), the text layout with `json: no`, the same counts with two
workers, the summary on stderr, and no file at all without the flag."""
import collections
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ODLAR = Path(os.environ.get("ODLAR", ROOT / "build" / "odlar"))
DEMO = ROOT / "samples" / "demo.pcap"
RULES = ROOT / "rules" / "demo.rules"
SORTS = ["ticks", "average ticks", "average ticks (match)", "average ticks (no match)", "number of checks",
         "number of matches", "max ticks"]


def run(out, *extra):
    return subprocess.run([str(ODLAR), "-r", str(DEMO), "-S", str(RULES), "-l", str(out), *extra],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, TZ="UTC"))


def alerts_by_sid(out):
    c = collections.Counter()
    with open(out / "eve.json", encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e["event_type"] == "alert":
                c[e["alert"]["signature_id"]] += 1
    return c


def profile(out):
    with open(out / "rule_perf.log", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_json_profile_agrees_with_alerts(tmp_path):
    r = run(tmp_path, "--profile-rules", "--set", "profiling.rules.limit=50")
    assert r.returncode == 0, r.stderr
    objs = profile(tmp_path)
    assert [o["sort"] for o in objs] == SORTS
    alerts = alerts_by_sid(tmp_path)
    by_checks = {x["signature_id"]: x for x in objs[SORTS.index("number of checks")]["rules"]}
    assert set(alerts) <= set(by_checks), "a rule alerted but was never profiled"
    for sid, n in alerts.items():
        x = by_checks[sid]
        assert x["checks"] >= x["matches"] >= n > 0
        assert x["ticks_total"] >= x["ticks_max"] > 0
    ticks = [x["ticks_total"] for x in objs[0]["rules"]]
    assert ticks == sorted(ticks, reverse=True)
    assert "rule profile, top" in r.stderr and "ODLAR DEMO" in r.stderr


def test_limit_text_layout_and_workers(tmp_path):
    single = tmp_path / "single"
    workers = tmp_path / "workers"
    single.mkdir()
    workers.mkdir()
    assert run(single, "--profile-rules").returncode == 0
    r = run(workers, "--profile-rules", "--runmode", "workers")
    assert r.returncode == 0, r.stderr
    a = {x["signature_id"]: (x["checks"], x["matches"]) for x in profile(single)[4]["rules"]}
    b = {x["signature_id"]: (x["checks"], x["matches"]) for x in profile(workers)[4]["rules"]}
    assert len(a) == 10 and a == b  # default limit 10; the same counts whatever the thread count
    text = tmp_path / "text"
    text.mkdir()
    r = run(text, "--profile-rules", "--set", "profiling.rules.json=no", "--set", "profiling.rules.sort=checks",
            "--set", "profiling.rules.limit=3")
    assert r.returncode == 0, r.stderr
    lines = (text / "rule_perf.log").read_text().splitlines()
    assert any("sorted by number of checks" in ln for ln in lines)
    rows = [ln for ln in lines if ln.strip()[:1].isdigit()]
    assert len(rows) == 3


def test_bad_sort_and_off_by_default(tmp_path):
    r = run(tmp_path)
    assert r.returncode == 0 and not (tmp_path / "rule_perf.log").exists()
    r = run(tmp_path, "--profile-rules", "--set", "profiling.rules.sort=fastest")
    assert r.returncode == 1 and "profiling.rules.sort" in r.stderr
