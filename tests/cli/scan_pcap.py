"""Writes a synthetic port-scan capture for the threshold determinism tests.

Thresholds counted per host or per rule see matches of many address pairs,
and the pairs of one host are spread over the workers; only a decision in
one place, in packet order, gives the same alerts with any worker count.
This capture is built to catch the difference:

* one source (10.9.0.1) sends SYNs to port 5900 of 64 destinations, half
  of them answering with a RST, in two waves 90 seconds apart (so a 60-second
  window restarts), plus SYNs from two other sources that count apart;
* 40 sources each send one SYN to port 5800 of one destination (by_dst);
* every SYN also matches a by_rule limit and a by_src detection_filter.

SCAN_RULES holds rules for each of those. Deterministic: no randomness;
checksums are correct."""
from multiflow_pcap import _Capture, _tcp


def _syn(cap, src, dst, sport, dport, answer, gap):
    cap.t += gap
    cap.v4(src, dst, 6, _tcp(src, dst, sport, dport, 7000 + sport, 0, 0x02))
    if answer:  # the closed port answers: RST/ACK
        cap.v4(dst, src, 6, _tcp(dst, src, dport, sport, 0, 7001 + sport, 0x14))


def scan_pcap():
    cap = _Capture()
    scanner, others = [10, 9, 0, 1], ([10, 9, 0, 2], [10, 9, 0, 3])
    for wave in range(2):
        for i in range(64):
            dst = [172, 16, 1 + (i // 16), 10 + i]
            _syn(cap, scanner, dst, 40000 + wave * 100 + i, 5900, i % 2 == 0, 0.25)
            if i % 8 == 0:  # a few scans from other sources, counted apart
                for k, src in enumerate(others):
                    _syn(cap, src, dst, 41000 + wave * 100 + i + k, 5900, False, 0.05)
        cap.t += 90  # the next wave opens a new window
    target = [192, 168, 50, 5]
    for i in range(40):
        _syn(cap, [10, 20, 1 + i // 20, 1 + i], target, 50000 + i, 5800, i % 3 == 0, 0.2)
    return cap.bytes()


SCAN_RULES = """\
alert tcp any any -> any 5900 (msg:"scan vnc both by_src"; flags:S; threshold: type both, track by_src, count 5, seconds 60; sid:9001; rev:1;)
alert tcp any any -> any 5900 (msg:"scan vnc threshold by_src"; flags:S; threshold: type threshold, track by_src, count 7, seconds 60; sid:9002; rev:1;)
alert tcp any any -> any 5800 (msg:"scan target limit by_dst"; flags:S; threshold: type limit, track by_dst, count 3, seconds 60; sid:9003; rev:1;)
alert tcp any any -> any any (msg:"syn limit by_rule"; flags:S; threshold: type limit, track by_rule, count 4, seconds 30; sid:9004; rev:1;)
alert tcp any any -> any 5900 (msg:"scan vnc detection_filter by_src"; flags:S; detection_filter: track by_src, count 20, seconds 60; sid:9005; rev:1;)
alert tcp any 5900 -> any any (msg:"vnc rst"; flags:RA; sid:9006; rev:1;)
"""
