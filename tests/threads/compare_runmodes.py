#!/usr/bin/python3
"""Checks that Odlar's output does not depend on the number of workers.

For every capture given (files, or folders searched for *.pcap / *.pcapng),
runs odlar once with `--runmode single` and once per worker count asked for
(`--runmode workers`, the count set through Suricata's
threading.cpu-affinity worker-cpu-set) and compares eve.json and fast.log
byte for byte. The stats record's `uptime` (wall-clock seconds) and
`detect.engines[].last_reload` (wall-clock time) are the values that may
differ and are masked. Extra odlar arguments (rules, -k, ...)
follow `--`.

    compare_runmodes.py --odlar build/odlar --workers 2,4 CAPTURE... [-- -S rules/demo.rules]

With no capture given it uses /work/shared/pcaps when present and exits 0
(skipping) otherwise. `--scan` adds a generated port scan with rules
thresholded per host and per rule (tests/cli/scan_pcap.py), checked with
its own rules: one source's pairs spread over the workers, so a threshold
counted per worker would alert on other packets. Exit status 1 when any capture's outputs differ."""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

UPTIME = re.compile(rb'"uptime":\d+')
LAST_RELOAD = re.compile(rb'"last_reload":"[^"]*"')
SHARED = Path("/work/shared/pcaps")


def worker_args(n):
    if n == 0:
        return ["--runmode", "single"]
    return ["--runmode", "workers", "--set", "threading.set-cpu-affinity=yes",
            "--set", f"threading.cpu-affinity.worker-cpu-set.threads={n}"]


def run(odlar, capture, n, extra, outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [odlar, "-r", str(capture), "-l", str(outdir), *worker_args(n), *extra]
    r = subprocess.run(cmd, capture_output=True, env=dict(os.environ, TZ="UTC"), timeout=1800)
    outputs = {}
    for name in ("eve.json", "fast.log"):
        p = outdir / name
        outputs[name] = (LAST_RELOAD.sub(b'"last_reload":""', UPTIME.sub(b'"uptime":0', p.read_bytes()))
                         if p.exists() else None)
    return r.returncode, outputs


def first_difference(a, b):
    la, lb = (a or b"").splitlines(), (b or b"").splitlines()
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            at = next((k for k, (cx, cy) in enumerate(zip(x, y)) if cx != cy), min(len(x), len(y)))
            lo = max(0, at - 120)
            return f"line {i + 1}, byte {at}:\n    single: {x[lo:at + 120]!r}\n    workers: {y[lo:at + 120]!r}"
    return f"line counts {len(la)} vs {len(lb)}"


def captures_of(paths):
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.suffix in (".pcap", ".pcapng") and q.is_file())
        else:
            yield p


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--odlar", default="build/odlar")
    ap.add_argument("--workers", default="2", help="comma-separated worker counts, e.g. 2,4")
    ap.add_argument("--limit", type=int, default=0, help="check at most this many captures")
    ap.add_argument("--scan", action="store_true", help="also check the generated threshold scan capture")
    ap.add_argument("captures", nargs="*")
    args = ap.parse_args(argv)
    paths = args.captures
    if args.scan:
        return check_scan(args.odlar, args.workers, extra) | (main_captures(args, paths, extra) if paths else 0)
    return main_captures(args, paths, extra)


def check_scan(odlar, workers, extra):
    """The generated scan with its by_src / by_dst / by_rule rules."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
    from scan_pcap import SCAN_RULES, scan_pcap
    with tempfile.TemporaryDirectory(prefix="odlar-scan-") as tmp:
        cap, rules = Path(tmp) / "scan.pcap", Path(tmp) / "scan.rules"
        cap.write_bytes(scan_pcap())
        rules.write_text(SCAN_RULES)
        return 1 if compare(odlar, [cap], workers, [*extra, "-S", str(rules)], tmp) else 0


def compare(odlar, caps, workers, extra, tmp):
    """Runs each capture single and with each worker count; the number of
    differing runs."""
    failed = 0
    for ci, cap in enumerate(caps):
        rc0, base = run(odlar, cap, 0, extra, Path(tmp) / f"{ci}-single")
        for n in [int(x) for x in workers.split(",")]:
            rc, out = run(odlar, cap, n, extra, Path(tmp) / f"{ci}-w{n}")
            bad = [name for name in base if base[name] != out[name]]
            if rc != rc0:
                bad.append(f"exit status {rc0} vs {rc}")
            if bad:
                failed += 1
                print(f"DIFFER {cap} (workers={n}): {', '.join(bad)}")
                for name in bad:
                    if name in base:
                        print("  " + name + " " + first_difference(base[name], out[name]))
    print(f"{len(caps)} captures, {failed} differing runs")
    return failed


def main_captures(args, paths, extra):
    if not paths:
        if not SHARED.is_dir():
            print(f"skipped: no capture given and {SHARED} is absent")
            return 0
        paths = [SHARED]
    caps = list(captures_of(paths))
    if args.limit:
        caps = caps[:args.limit]
    with tempfile.TemporaryDirectory(prefix="odlar-runmodes-") as tmp:
        failed = compare(args.odlar, caps, args.workers, extra, tmp)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
