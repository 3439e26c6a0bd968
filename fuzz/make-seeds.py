#!/usr/bin/python3
"""Fuzz seed corpora from the test captures.

Writes seeds for the protocol parser harnesses (fuzz_dns, fuzz_tls,
fuzz_ssh, fuzz_ftp, fuzz_http, fuzz_smtp) into OUT/<harness>/ (default
build/fuzz-seeds/), each in the input format its harness reads, built
from the application payloads of the captures under the suricata-verify
suite (../shared/verify/tests by default). Nothing is copied into the
repository: the seeds are generated in the build tree, and when the suite
is absent the script writes nothing and succeeds. scripts/run-fuzzers.sh
passes OUT/<harness>/ to the harness next to fuzz/corpus/<harness>/.

tshark (Debian package tshark) reads the captures; it names the protocol
of each packet (frame.protocols) on its standard ports. Per TCP stream the
client is the sender of the SYN (else the side with the higher port); the
first MAX_SEGMENTS payload segments of the stream, in capture order with
their direction, make one seed. Per UDP DNS datagram one seed. Each
harness gets at most MAX_SEEDS seeds; only captures of cases whose name
mentions a protocol are read, at most MAX_CAPTURES per protocol, so a run
takes about a minute. A stamp file makes later runs a no-op unless
--force is given.

Usage: fuzz/make-seeds.py [--verify-dir DIR] [--out DIR] [--force]
"""

import argparse
import hashlib
import os
import shutil
import struct
import subprocess
import sys

MAX_SEEDS = 48
MAX_SEGMENTS = 16
MAX_CAPTURES = 12
MAX_SEED_BYTES = 65536

# harness -> (tshark protocol names, words in a case name that suggest it)
HARNESSES = {
    "dns": (("dns",), ("dns",)),
    "tls": (("tls", "ssl"), ("tls", "ssl", "ja3", "ja4", "sni", "cert")),
    "ssh": (("ssh",), ("ssh", "hassh")),
    "ftp": (("ftp",), ("ftp",)),
    "http": (("http",), ("http",)),
    "smtp": (("smtp", "imf"), ("smtp", "mime", "email")),
}

FIELDS = ("frame.protocols", "tcp.stream", "udp.stream", "tcp.srcport", "tcp.dstport",
          "tcp.flags.syn", "tcp.flags.ack", "tcp.payload", "udp.payload")


def harness_of(protocols):
    """The harness whose protocol tshark named in frame.protocols, or None."""
    layers = protocols.split(":")
    for name, (protos, _) in HARNESSES.items():
        if any(p in layers for p in protos):
            return name
    return None


def read_capture(path):
    """Yields (protocols, tcp_stream, udp_stream, sport, dport, syn, ack, payload bytes)."""
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=/t", "-Y", "tcp or udp"]
    for f in FIELDS:
        cmd += ["-e", f]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) < len(FIELDS):
            continue
        protos, tstream, ustream, sport, dport, syn, ack, tpay, upay = cols[:len(FIELDS)]
        hexdata = (tpay or upay).replace(":", "")
        try:
            payload = bytes.fromhex(hexdata)
        except ValueError:
            continue
        yield protos, tstream, ustream, sport, dport, syn == "1", ack == "1", payload


def tcp_records(segments, client_port):
    """[(to_server, bytes)] of one stream, given its packets in order."""
    recs = []
    for sport, payload in segments:
        if payload:
            recs.append((sport == client_port, payload))
        if len(recs) >= MAX_SEGMENTS:
            break
    return recs


def encode(harness, recs):
    """The records in the input format of fuzz_<harness>.c."""
    out = bytearray()
    if harness == "tls":  # ctl(1: bit 0 to server) len(2) bytes
        for ts, data in recs:
            for off in range(0, len(data), 0xffff):
                piece = data[off:off + 0xffff]
                out += struct.pack(">BH", 1 if ts else 0, len(piece)) + piece
    elif harness == "http":  # config(1), then ctl(1: bit 7 to server, low 6 bits len) bytes
        out.append(0)
        for ts, data in recs:
            for off in range(0, len(data), 63):
                piece = data[off:off + 63]
                out.append((0x80 if ts else 0) | len(piece))
                out += piece
    else:  # ssh, ftp, smtp: options(1), then dir(1: bit 0 to server) len(2) bytes
        out.append({"ssh": 0x81, "ftp": 0x40, "smtp": 0x3f}[harness])
        for ts, data in recs:
            for off in range(0, len(data), 0xffff):
                piece = data[off:off + 0xffff]
                out += struct.pack(">BH", 1 if ts else 0, len(piece)) + piece
    return bytes(out[:MAX_SEED_BYTES])


def candidate_captures(verify_dir):
    """Captures per harness, from cases whose path names the protocol."""
    tests = os.path.join(verify_dir, "tests")
    per = {h: [] for h in HARNESSES}
    for root, _dirs, files in sorted(os.walk(tests)):
        case = os.path.relpath(root, tests).lower()
        for f in sorted(files):
            if not (f.endswith(".pcap") or f.endswith(".pcapng")):
                continue
            for h, (_, words) in HARNESSES.items():
                if len(per[h]) < MAX_CAPTURES and any(w in case for w in words):
                    per[h].append(os.path.join(root, f))
    seen, order = set(), []
    for h in HARNESSES:
        for p in per[h]:
            if p not in seen:
                seen.add(p)
                order.append(p)
    return order


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--verify-dir", default=os.path.join(here, "..", "..", "shared", "verify"))
    ap.add_argument("--out", default=os.path.join(here, "..", "build", "fuzz-seeds"))
    ap.add_argument("--force", action="store_true", help="regenerate even when the stamp exists")
    args = ap.parse_args()

    if not os.path.isdir(os.path.join(args.verify_dir, "tests")):
        print("make-seeds: no suite at %s, no seeds made" % args.verify_dir)
        return 0
    if shutil.which("tshark") is None:
        print("make-seeds: tshark is not installed (apt-get install tshark), no seeds made")
        return 0
    stamp = os.path.join(args.out, ".stamp")
    if os.path.exists(stamp) and not args.force:
        print("make-seeds: seeds already in %s" % args.out)
        return 0

    seeds = {h: {} for h in HARNESSES}
    for path in candidate_captures(args.verify_dir):
        if all(len(s) >= MAX_SEEDS for s in seeds.values()):
            break
        streams = {}  # tcp stream -> [harness, client port, [(sport, payload)]]
        for protos, tstream, ustream, sport, dport, syn, ack, payload in read_capture(path):
            h = harness_of(protos)
            if tstream:
                st = streams.setdefault(tstream, [None, None, []])
                if syn and not ack:
                    st[1] = sport
                if st[1] is None and sport and dport:
                    st[1] = sport if int(sport) > int(dport) else dport
                if h and st[0] is None:
                    st[0] = h
                st[2].append((sport, payload))
            elif ustream and h == "dns" and payload and len(seeds["dns"]) < MAX_SEEDS:
                seeds["dns"][hashlib.sha1(payload).hexdigest()] = payload
        for h, client, segments in streams.values():
            if h is None or h == "dns" or len(seeds[h]) >= MAX_SEEDS:
                continue
            recs = tcp_records(segments, client)
            if recs:
                data = encode(h, recs)
                seeds[h][hashlib.sha1(data).hexdigest()] = data

    for h, items in seeds.items():
        d = os.path.join(args.out, h)
        os.makedirs(d, exist_ok=True)
        for name, data in items.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    with open(stamp, "w") as f:
        f.write("".join("%s %d\n" % (h, len(s)) for h, s in seeds.items()))
    print("make-seeds: " + ", ".join("%s %d" % (h, len(s)) for h, s in seeds.items()) + " in " + args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
