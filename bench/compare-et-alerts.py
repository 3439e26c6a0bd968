#!/usr/bin/env python3
"""Compare Odlar's ET Open alerts with a reference run, capture by capture.

The reference is a JSON file mapping each capture (path relative to the
captures folder) to {"sids": {sid: count}} -- the shape of
../shared/pcaps/suricata-7.0.17-alerts.json, which holds what Suricata
7.0.17 raised with all of ET Open and HOME_NET/EXTERNAL_NET `any`. Odlar
runs once per capture with the same rules and variables; the report lists,
per signature, the captures where the counts differ, then totals.

    bench/compare-et-alerts.py --odlar build/odlar --rules DIR \
        --pcaps ../shared/pcaps [--reference FILE] [--json OUT]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile


def run_odlar(odlar, rules_file, classification, pcap, workdir):
    for name in ("eve.json", "fast.log"):
        try:
            os.unlink(os.path.join(workdir, name))
        except FileNotFoundError:
            pass
    # checksums as Suricata's reference run had them: the default "auto"
    cmd = [odlar, "-r", pcap, "-l", workdir, "-S", rules_file,
           "--set", "vars.address-groups.HOME_NET=any",
           "--set", "vars.address-groups.EXTERNAL_NET=any",
           "--set", "outputs.0.fast.enabled=no"]
    if classification:
        cmd += ["--set", "classification-file=" + classification]
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ, TZ="UTC"))
    sids = collections.Counter()
    eve = os.path.join(workdir, "eve.json")
    if os.path.exists(eve):
        with open(eve, "rb") as f:
            for line in f:
                if b'"event_type":"alert"' in line:
                    sids[str(json.loads(line)["alert"]["signature_id"])] += 1
    return r.returncode, sids


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--odlar", default="build/odlar")
    ap.add_argument("--rules", default="../shared/rules/et-open")
    ap.add_argument("--pcaps", default="../shared/pcaps")
    ap.add_argument("--reference", default=None)
    ap.add_argument("--json", default=None, help="write the per-capture comparison here")
    a = ap.parse_args()
    ref_path = a.reference or os.path.join(a.pcaps, "suricata-7.0.17-alerts.json")
    with open(ref_path) as f:
        ref = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        rules_file = os.path.join(tmp, "all.rules")
        with open(rules_file, "wb") as out:
            for name in sorted(os.listdir(a.rules)):
                if name.endswith(".rules"):
                    with open(os.path.join(a.rules, name), "rb") as f:
                        out.write(f.read())
        classification = os.path.join(a.rules, "classification.config")
        if not os.path.exists(classification):
            classification = None
        per_sid = collections.defaultdict(lambda: [0, 0, []])  # odlar, ref, differing captures
        results = {}
        for cap in sorted(ref):
            path = os.path.join(a.pcaps, cap)
            if not os.path.exists(path):
                continue
            rc, got = run_odlar(a.odlar, rules_file, classification, path, tmp)
            want = collections.Counter({k: v for k, v in ref[cap].get("sids", {}).items()})
            results[cap] = {"exit": rc, "odlar": dict(got), "reference": dict(want)}
            for sid in set(got) | set(want):
                per_sid[sid][0] += got[sid]
                per_sid[sid][1] += want[sid]
                if got[sid] != want[sid]:
                    per_sid[sid][2].append(f"{cap} ({got[sid]} vs {want[sid]})")
    same = [s for s, v in per_sid.items() if not v[2]]
    diff = sorted((s for s, v in per_sid.items() if v[2]), key=lambda s: -abs(per_sid[s][0] - per_sid[s][1]))
    tot_o = sum(v[0] for v in per_sid.values())
    tot_r = sum(v[1] for v in per_sid.values())
    print(f"captures: {len(results)}; alerts odlar {tot_o}, reference {tot_r}")
    print(f"signatures with identical counts on every capture: {len(same)}; differing: {len(diff)}")
    for s in diff:
        o, r, caps = per_sid[s]
        print(f"  sid {s}: odlar {o} reference {r}: " + "; ".join(caps[:3]) + (" ..." if len(caps) > 3 else ""))
    bad = [c for c, v in results.items() if v["exit"] != 0]
    if bad:
        print("odlar exited non-zero on: " + ", ".join(bad))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
