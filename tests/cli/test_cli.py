"""End-to-end tests of the odlar command line, run as a user would: flags,
error messages and exit statuses, configuration handling, capture input
(files, folders, truncated and non-capture files) and the EVE output they
produce. The binary is taken from $ODLAR or build/odlar."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ODLAR = Path(os.environ.get("ODLAR", ROOT / "build" / "odlar"))
DEMO = ROOT / "samples" / "demo.pcap"


def run(*args, cwd=None):
    env = dict(os.environ, TZ="UTC")
    return subprocess.run([str(ODLAR), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=120)


def eve(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    return d


def test_version_and_build_info():
    r = run("-V")
    assert r.returncode == 0 and "Odlar version" in r.stdout
    r = run("--build-info")
    assert r.returncode == 0 and "Features:" in r.stdout


def test_unknown_flag_is_a_usage_error():
    r = run("--no-such-flag")
    assert r.returncode == 2
    first = r.stderr.splitlines()[0]
    assert "unrecognized option '--no-such-flag'" in first
    assert "Usage: odlar" in r.stderr


def test_list_keywords():
    r = run("--list-keywords")
    assert r.returncode == 0
    names = [line[:-1] for line in r.stdout.splitlines() if line and not line.startswith("\t")]
    assert names == sorted(names) and "content" in names and "http.uri" in names and "sd_pattern" in names
    r = run("--list-keywords=csv")
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "name;alias;description;features"
    r = run("--list-keywords=file.data")
    assert r.returncode == 0 and r.stdout.startswith("file.data:\n") and "sticky buffer" in r.stdout
    r = run("--list-keywords=no_such_keyword")
    assert r.returncode == 1 and "no_such_keyword" in r.stderr


def test_duplicate_sid_as_suricata(tmp_path):
    rules = tmp_path / "dup.rules"
    rules.write_text('alert ip any any -> any any (msg:"first"; sid:5; rev:2;)\n'
                     'alert ip any any -> any any (msg:"older"; sid:5; rev:1;)\n'
                     'alert ip any any -> any any (msg:"newer"; sid:5; rev:3;)\n')
    r = run("-T", "-S", rules)
    # the older rev fails (Duplicate signature), the newer replaces the first
    assert r.returncode == 1
    assert 'Duplicate signature "alert ip any any -> any any (msg:"older"; sid:5; rev:1;)"' in r.stderr
    assert "older sig replaced by this new signature" in r.stdout
    assert "2 rules successfully loaded, 1 rules failed" in r.stdout


def test_missing_argument_is_a_usage_error():
    r = run("-r")
    assert r.returncode == 2
    assert "needs an argument" in r.stderr.splitlines()[0]


def test_bad_checksum_mode_is_a_usage_error():
    r = run("-k", "sometimes", "-r", DEMO)
    assert r.returncode == 2 and "-k takes all, none or auto" in r.stderr


def test_log_dir_must_exist(tmp_path):
    r = run("-r", DEMO, "-l", tmp_path / "nope")
    assert r.returncode == 1
    assert "does not exist" in r.stderr and str(tmp_path / "nope") in r.stderr


def test_reads_demo_and_writes_eve(out):
    r = run("-r", DEMO, "-l", out)
    assert r.returncode == 0, r.stderr
    events = eve(out / "eve.json")
    kinds = [e["event_type"] for e in events]
    assert kinds.count("flow") == 20 and kinds[-1] == "stats" and kinds.count("stats") == 1
    assert (out / "fast.log").exists()
    assert "read 183 packets" in r.stderr and "events written to" in r.stderr
    first_flow = next(e for e in events if e["event_type"] == "flow")
    assert list(first_flow)[:4] == ["timestamp", "flow_id", "event_type", "src_ip"]
    assert first_flow["timestamp"].endswith("+0000")
    assert kinds.count("dns") == 12  # 6 queries and their 6 answers, UDP and TCP


def test_not_a_capture_is_a_clear_error(tmp_path, out):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello, this is not a capture\n")
    r = run("-r", bogus, "-l", out)
    assert r.returncode == 1
    assert "not a pcap or pcapng file" in r.stderr and "notes.txt" in r.stderr


def test_missing_capture_is_a_clear_error(tmp_path, out):
    r = run("-r", tmp_path / "missing.pcap", "-l", out)
    assert r.returncode == 1 and "missing.pcap" in r.stderr


def test_folder_reads_every_capture_in_name_order(tmp_path, out):
    d = tmp_path / "caps"
    d.mkdir()
    shutil.copy(DEMO, d / "b.pcap")
    shutil.copy(DEMO, d / "a.pcap")
    r = run("-r", d, "-l", out, "--set", "outputs.1.eve-log.pcap-file=yes")
    assert r.returncode == 0, r.stderr
    assert "read 366 packets" in r.stderr and "(2 files)" in r.stderr
    stats = eve(out / "eve.json")[-1]["stats"]
    assert stats["decoder"]["pkts"] == 366


def test_truncated_capture_processed_up_to_the_cut(tmp_path, out):
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(DEMO.read_bytes()[:20000])
    r = run("-r", cut, "-l", out)
    assert r.returncode == 0
    assert "cut short after 128 packets" in r.stdout  # a warning: stdout, as Suricata
    assert eve(out / "eve.json")[-1]["stats"]["decoder"]["pkts"] == 128


def test_config_wrong_type_names_key_and_file(tmp_path, out):
    cfg = tmp_path / "odlar.yaml"
    cfg.write_text("%YAML 1.1\n---\nflow:\n  memcap: lots\n")
    r = run("-c", cfg, "-r", DEMO, "-l", out)
    assert r.returncode == 1
    assert "flow.memcap" in r.stderr and "odlar.yaml" in r.stderr


def test_config_unknown_key_is_ignored(tmp_path, out):
    cfg = tmp_path / "odlar.yaml"
    cfg.write_text("%YAML 1.1\n---\nsome-suricata-only-feature:\n  enabled: yes\n")
    r = run("-c", cfg, "-r", DEMO, "-l", out)
    assert r.returncode == 0, r.stderr


def test_set_overrides_and_dump_config():
    r = run("--dump-config", "--set", "flow-timeouts.tcp.established=1234")
    assert r.returncode == 0
    lines = set(r.stdout.splitlines())
    assert "flow-timeouts.tcp.established = 1234" in lines
    assert "flow.memcap = 128 MiB" in lines


def test_include_reads_as_if_at_the_end_of_the_config(tmp_path, out):
    """Suricata's --include: each file is read after -c as if it stood at
    the end of it, so a top-level key it gives again replaces -c's whole
    (Suricata 8 prunes the earlier node); the built-in defaults still fill
    in what neither says, and --set still wins."""
    main = tmp_path / "main.yaml"
    main.write_text("%YAML 1.1\n---\nstream:\n  midstream: true\nflow:\n  hash-size: 4096\n")
    inc1 = tmp_path / "inc1.yaml"
    inc1.write_text("%YAML 1.1\n---\nstream:\n  async-oneside: true\n")
    inc2 = tmp_path / "inc2.yaml"
    inc2.write_text("%YAML 1.1\n---\nflow:\n  hash-size: 8192\n")
    r = run("-c", main, "--include", inc1, "--include", inc2, "--set", "flow.prealloc=77", "--dump-config")
    assert r.returncode == 0, r.stderr
    lines = set(r.stdout.splitlines())
    assert "stream.async-oneside = true" in lines
    assert not any(l.startswith("stream.midstream = true") for l in lines)  # replaced with the stream: mapping
    assert "stream.memcap = 64 MiB" in lines  # from the defaults
    assert "flow.hash-size = 8192" in lines and "flow.prealloc = 77" in lines
    # without -c the files lay over the defaults as a -c file does
    r = run("--include", inc2, "--dump-config")
    assert r.returncode == 0, r.stderr
    assert "flow.hash-size = 8192" in r.stdout.splitlines()
    # and a run reads it: the EVE types of an included outputs: list
    inc3 = tmp_path / "inc3.yaml"
    inc3.write_text("%YAML 1.1\n---\noutputs:\n  - eve-log:\n      enabled: yes\n      filename: i.json\n"
                    "      types:\n        - stats\n")
    r = run("-c", main, "--include", inc3, "-r", DEMO, "-l", out)
    assert r.returncode == 0, r.stderr
    assert [e["event_type"] for e in eve(out / "i.json")] == ["stats"]


def test_include_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("%YAML 1.1\n---\nstream: [\n")
    r = run("--include", bad, "--dump-config")
    assert r.returncode == 1 and "bad.yaml:4" in r.stderr
    r = run("--include", tmp_path / "missing.yaml", "--dump-config")
    assert r.returncode == 1 and "missing.yaml" in r.stderr


def test_set_without_equals_is_an_error():
    r = run("--dump-config", "--set", "flow.memcap")
    assert r.returncode == 1 and "flow.memcap" in r.stderr


def test_eve_types_follow_config(tmp_path, out):
    cfg = tmp_path / "odlar.yaml"
    cfg.write_text("%YAML 1.1\n---\noutputs:\n  - eve-log:\n      enabled: yes\n      filename: e.json\n"
                   "      types:\n        - stats\n")
    r = run("-c", cfg, "-r", DEMO, "-l", out)
    assert r.returncode == 0, r.stderr
    assert [e["event_type"] for e in eve(out / "e.json")] == ["stats"]
    assert not (out / "fast.log").exists()


def test_bpf_filter_argument(out):
    r = run("-r", DEMO, "-l", out, "udp")
    assert r.returncode == 0, r.stderr
    flows = [e for e in eve(out / "eve.json") if e["event_type"] == "flow"]
    assert flows and all(f["proto"] == "UDP" for f in flows)
