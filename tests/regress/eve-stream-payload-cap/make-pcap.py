#!/usr/bin/python3
"""Writes input.pcap for the eve-stream-payload-cap regression case: one
TCP session (10.0.0.1:40000 -> 10.0.0.2:7777, a port no application-layer
parser claims) where the client sends twelve 500-byte segments, segment i
being "SEG" + two digits + "|" then letters up to 500 bytes, "SEG11" in
the last one. The server acknowledges all 6000 bytes at once, then both
sides close. Checksums are left zero (the case runs with -k none).
Deterministic: same bytes on every run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapgen import ACK, CLIENT, FIN, PSH, SERVER, handshake, tcp, write_pcap  # noqa: E402

SPORT, DPORT = 40000, 7777
SEGMENTS, SEGMENT_LEN = 12, 500


def segment(i):
    head = b"SEG%02d|" % i
    letters = bytes(ord("a") + (k % 26) for k in range(SEGMENT_LEN - len(head)))
    return head + letters


def main():
    c, s = 1000, 5000  # initial sequence numbers
    pkts = handshake(SPORT, DPORT, c, s)
    seq = c + 1
    for i in range(SEGMENTS):
        pkts.append(tcp(CLIENT, SERVER, SPORT, DPORT, seq, s + 1, ACK | PSH, segment(i)))
        seq += SEGMENT_LEN
    pkts += [tcp(SERVER, CLIENT, DPORT, SPORT, s + 1, seq, ACK),
             tcp(CLIENT, SERVER, SPORT, DPORT, seq, s + 1, FIN | ACK),
             tcp(SERVER, CLIENT, DPORT, SPORT, s + 1, seq + 1, FIN | ACK),
             tcp(CLIENT, SERVER, SPORT, DPORT, seq + 1, s + 2, ACK)]
    write_pcap("input.pcap", pkts)


if __name__ == "__main__":
    main()
