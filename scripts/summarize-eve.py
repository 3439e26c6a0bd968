#!/usr/bin/env python3
"""Prints a short human summary of an eve.json: events by type, flows by
protocol and application, and each alert signature with its count.
Used by `make run`; works on any EVE file."""
import collections
import json
import sys


def main(path):
    types = collections.Counter()
    protos = collections.Counter()
    apps = collections.Counter()
    alerts = collections.Counter()
    anomalies = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            t = ev.get("event_type")
            types[t] += 1
            if t == "flow":
                protos[ev.get("proto")] += 1
                apps[ev.get("app_proto", "-")] += 1
            elif t == "alert":
                a = ev["alert"]
                alerts[(a.get("signature_id"), a.get("signature"))] += 1
            elif t == "anomaly":
                anomalies[ev["anomaly"].get("event")] += 1
    print(f"\nSummary of {path}")
    print("  events:    " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))
    print("  flows:     " + ", ".join(f"{k} {v}" for k, v in sorted(protos.items())))
    if any(k != "-" for k in apps):
        print("  app_proto: " + ", ".join(f"{k} {v}" for k, v in sorted(apps.items())))
    if anomalies:
        print("  anomalies: " + ", ".join(f"{k} {v}" for k, v in sorted(anomalies.items())))
    if alerts:
        print("  alerts:")
        for (sid, msg), n in sorted(alerts.items(), key=lambda x: (-x[1], x[0][0])):
            print(f"    {n:5d}  [{sid}] {msg}")
    else:
        print("  alerts:    none")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "eve.json")
