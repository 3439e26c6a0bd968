"""No output of a payment-data run shows a full number.

Runs odlar on the payment captures of tests/regress (HTTP, SMTP and FTP
sessions carrying published test card numbers and an IBAN) with
rules/payment-data.rules and alert payload, payload-printable and packet
logging on, then looks through every file the run wrote, and its stdout
and stderr, for each full number: as digits, as printed in the capture
(grouped with spaces), and inside the base64 payload and packet fields.
The binary is taken from $ODLAR or build/odlar."""
import base64
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ODLAR = Path(os.environ.get("ODLAR", ROOT / "build" / "odlar"))
RULES = ROOT / "rules" / "payment-data.rules"
CAPTURES = {c: ROOT / "tests" / "regress" / f"payment-{c}" / "input.pcap" for c in ("http", "smtp", "ftp")}

CARDS = ["4111111111111111", "4012888888881881", "5555555555554444", "5105105105105100",
         "2223003122003222", "378282246310005", "371449635398431", "6011111111111117",
         "6011000990139424", "3530111333300000", "3566002020360505", "30569309025904",
         "6200000000000005", "4242424242424242"]
IBANS = ["DE89370400440532013000"]
PRINTED = ["4111 1111 1111 1111", "3782 822463 10005", "DE89 3704 0044 0532 0130 00"]
SECRETS = [s.encode() for s in CARDS + IBANS + PRINTED]

# Every logger of the alert path with everything that can carry bytes on.
ALERT_CONFIG = """%YAML 1.1
---
outputs:
  - fast:
      enabled: yes
      filename: fast.log
  - eve-log:
      enabled: yes
      filetype: regular
      filename: eve.json
      types:
        - alert:
            payload: yes
            payload-printable: yes
            packet: yes
            metadata: yes
        - flow
        - anomaly
        - stats
"""


def run_capture(capture, out, config):
    cfg = out / "odlar.yaml"
    cfg.write_text(config)
    env = dict(os.environ, TZ="UTC")
    r = subprocess.run([str(ODLAR), "-c", str(cfg), "-k", "none", "-S", str(RULES), "-r", str(capture), "-l", str(out),
                        "-v"], capture_output=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    cfg.unlink()
    (out / "stdout.txt").write_bytes(r.stdout)
    (out / "stderr.txt").write_bytes(r.stderr)


def decoded_fields(eve_path):
    """The bytes of every base64 field (payload, packet) of the EVE records."""
    blobs = []
    for line in eve_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for key in ("payload", "packet"):
            if key in rec:
                blobs.append(base64.b64decode(rec[key]))
    return blobs


def leaks(out):
    found = []
    for f in sorted(out.iterdir()):
        blobs = [f.read_bytes()]
        if f.name.endswith(".json"):
            blobs += decoded_fields(f)
        for blob in blobs:
            for secret in SECRETS:
                if secret in blob:
                    found.append(f"{f.name}: {secret.decode()}")
    return found


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_alert_outputs_show_no_full_number(tmp_path, name):
    out = tmp_path / name
    out.mkdir()
    run_capture(CAPTURES[name], out, ALERT_CONFIG)
    alerts = [json.loads(l) for l in (out / "eve.json").read_text().splitlines() if '"event_type":"alert"' in l]
    assert alerts, "the capture should raise payment alerts"
    assert all("packet" in a and "sd_pattern" in a["alert"] for a in alerts)
    assert leaks(out) == []


def test_logged_payload_is_masked(tmp_path):
    """FTP uploads alert on the stream: the logged payload holds the
    uploaded numbers, masked, next to the rest of the bytes unchanged."""
    run_capture(CAPTURES["ftp"], tmp_path, ALERT_CONFIG)
    payloads = [base64.b64decode(json.loads(l)["payload"]) for l in (tmp_path / "eve.json").read_text().splitlines()
                if '"event_type":"alert"' in l]
    assert payloads
    dump = max(payloads, key=len)
    assert b"1,customer1,411111******1111,12/20" in dump
    assert b"3,customer3,555555******4444,12/22" in dump
    assert len(re.findall(rb"\d{6}\*+\d{4}", dump)) == len(CARDS)
    assert leaks(tmp_path) == []


def test_leak_scan_finds_an_unmasked_number(tmp_path):
    """The scan itself: a file holding a number is reported."""
    (tmp_path / "x.log").write_text("card 4111 1111 1111 1111\n")
    assert leaks(tmp_path) == ["x.log: 4111 1111 1111 1111"]


def test_default_outputs_show_no_full_number(tmp_path):
    """With the built-in output settings (every event type) too."""
    env = dict(os.environ, TZ="UTC")
    r = subprocess.run([str(ODLAR), "-k", "none", "-S", str(RULES), "-r", str(CAPTURES["http"]), "-l", str(tmp_path)],
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 0
    assert leaks(tmp_path) == []
