#!/usr/bin/env python3
"""Prints the sd_pattern alerts of an eve.json, one line each: signature
id, message, and what the alert carries about the match (type, count of
distinct numbers, the masked numbers). Used by `make run` for the
payment-data demo."""
import json
import sys


def main(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("event_type") != "alert" or "sd_pattern" not in ev["alert"]:
                continue
            a, sd = ev["alert"], ev["alert"]["sd_pattern"]
            shown = ", ".join(sd["matches"][:3]) + (", ..." if sd["count"] > 3 else "")
            print(f"  {a['signature_id']} {a['signature']}\n      {sd['type']} x{sd['count']}: {shown}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "eve.json")
