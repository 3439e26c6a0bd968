"""The engine log file (Suricata's logging.outputs `file` output): with the
built-in defaults Odlar writes its messages at level info to suricata.log in
the log folder as text lines; `type: json` writes EVE-style engine records;
a rule that fails to load is reported there as Suricata does, the reason in
one record and "error parsing signature ... from file F at line N" in the next; `enabled: no` writes no
file. The binary is $ODLAR or build/odlar."""
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ODLAR = Path(os.environ.get("ODLAR", ROOT / "build" / "odlar"))
DEMO = ROOT / "samples" / "demo.pcap"
RULES = ROOT / "rules" / "demo.rules"


def run(out, *args):
    return subprocess.run([str(ODLAR), "-r", str(DEMO), "-l", str(out), *map(str, args)], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, TZ="UTC"))


def test_default_text_log(tmp_path):
    r = run(tmp_path, "-S", RULES)
    assert r.returncode == 0, r.stderr
    lines = (tmp_path / "suricata.log").read_text().splitlines()
    assert any("<Notice> -- 1 rule files processed. 17 rules successfully loaded" in ln for ln in lines)
    assert any("<Info> -- runmode single" in ln for ln in lines)  # info goes to the file, not to stderr
    assert "runmode single" not in r.stderr


def test_json_log_and_rule_error(tmp_path):
    bad = tmp_path / "bad.rules"
    bad.write_text('alert tcp any any -> any any (msg:"x"; content:"a"; nosuchkeyword; sid:1;)\n')
    cfg = tmp_path / "log.yaml"
    cfg.write_text("%YAML 1.1\n---\nlogging:\n  outputs:\n    - file:\n        enabled: yes\n"
                   "        filename: engine.json\n        type: json\n")
    r = run(tmp_path, "-c", cfg, "-S", bad)
    assert r.returncode == 0, r.stderr
    recs = [json.loads(ln) for ln in (tmp_path / "engine.json").read_text().splitlines()]
    assert all(x["event_type"] == "engine" and x["timestamp"].endswith("+0000") for x in recs)
    errors = [x for x in recs if x["log_level"] == "Error"]
    assert len(errors) == 2 and "nosuchkeyword" in errors[0]["engine"]["message"]
    assert errors[1]["engine"]["message"].startswith('error parsing signature "alert tcp any any')
    assert errors[1]["engine"]["message"].endswith("bad.rules at line 1")


def test_file_output_disabled(tmp_path):
    cfg = tmp_path / "log.yaml"
    cfg.write_text("%YAML 1.1\n---\nlogging:\n  outputs:\n    - file:\n        enabled: no\n")
    out = tmp_path / "out"
    out.mkdir()
    assert run(out, "-c", cfg, "-S", RULES).returncode == 0
    assert not (out / "suricata.log").exists()
