#!/usr/bin/env python3
"""Writes tests/verify/expected-fail.txt from a runner --json report, giving
each failing case a one-line reason a developer can act on: the protocol or
keyword its rules need that Odlar lacks (read from the engine's stderr in
the case's output folder), else the runner's own first failing check.

    tests/verify/run.py --json /tmp/r.json @CORE-DEV.txt ...
    tests/verify/classify_failures.py /tmp/r.json build/verify-out > tests/verify/expected-fail.txt

Only for bootstrapping or refreshing the list; the list only ever shrinks."""
import json
import re
import sys
from pathlib import Path

ISSUE_OF_PROTOCOL = {"http": 5, "http1": 5, "dns": 6, "tls": 6, "ssh": 6, "smtp": 6, "ftp": 6, "ftp-data": 6}


def rule_load_reason(stderr):
    protos, keywords, other = [], [], []
    for line in stderr.splitlines():
        m = re.search(r"protocol '([^']+)' is not supported yet", line)
        if m:
            protos.append(m.group(1))
            continue
        m = re.search(r"unknown rule keyword '([^']+)'", line)
        if m:
            keywords.append(m.group(1))
            continue
        m = re.match(r"Error: odlar: [^:]+:\d+: (.*?): (alert|drop|pass|reject)", line)
        if m:
            other.append(m.group(1))
    if protos:
        p = sorted(set(protos))
        issues = sorted({ISSUE_OF_PROTOCOL.get(x, 0) for x in p} - {0})
        where = f" (issue {', '.join(map(str, issues))})" if issues else ""
        return f"rules need app-layer protocol {', '.join(p)}{where}"
    if keywords:
        return f"rules use keyword(s) not implemented yet: {', '.join(sorted(set(keywords)))}"
    if other:
        return f"a rule fails to load: {other[0][:120]}"
    return None


def main(report, outdir):
    data = json.load(open(report))
    lines = []
    for case in sorted(data["cases"], key=lambda c: c["name"]):
        if case["status"] != "fail":
            continue
        reason = None
        err = Path(outdir) / case["name"] / "stderr"
        if err.exists():
            reason = rule_load_reason(err.read_text(errors="replace"))
        if not reason:
            first = case.get("reason", "fails").splitlines()[0]
            if "event_type: fileinfo" in first:
                reason = "needs file tracking and fileinfo records: " + first[:150]
            elif "event_type: drop" in first or "flow.action" in first:
                reason = "needs IPS drop/pass verdicts in EVE: " + first[:150]
            else:
                reason = first[:200]
        lines.append(f"{case['name']}  {reason}")
    print("# Cases of the Suricata regression suite (and tests/regress) that do not pass")
    print("# yet, one per line: case name, then why. `make test` fails when a case not")
    print("# listed here fails, and when a listed case passes (then remove its line).")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
