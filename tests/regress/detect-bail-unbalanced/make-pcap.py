#!/usr/bin/python3
"""Writes input.pcap for the detect-bail-unbalanced regression case: one
TCP session (10.0.0.1:40000 -> 10.0.0.2:7777, windows of 65535 bytes, no
window scaling) in which the client sends nothing and the server sends
150 segments of 1000 bytes of one repeated line that no protocol claims,
the client acknowledging every second segment; then both sides close.
Checksums are left zero (the case runs with -k none). Deterministic: same
bytes on every run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapgen import ACK, CLIENT, FIN, PSH, SERVER, handshake, tcp, write_pcap  # noqa: E402

SPORT, DPORT = 40000, 7777
LINE = b"odlar unbalanced session test data. " * 40


def main():
    c, s = 1000, 5000  # initial sequence numbers
    pkts = handshake(SPORT, DPORT, c, s)
    seq = s + 1
    for i in range(150):
        pkts.append(tcp(SERVER, CLIENT, DPORT, SPORT, seq, c + 1, ACK | PSH, LINE[:1000]))
        seq += 1000
        if i % 2 == 1:
            pkts.append(tcp(CLIENT, SERVER, SPORT, DPORT, c + 1, seq, ACK))
    pkts += [tcp(SERVER, CLIENT, DPORT, SPORT, seq, c + 1, FIN | ACK),
             tcp(CLIENT, SERVER, SPORT, DPORT, c + 1, seq + 1, FIN | ACK),
             tcp(SERVER, CLIENT, DPORT, SPORT, seq + 1, c + 2, ACK)]
    write_pcap("input.pcap", pkts, lambda i: (1700000000, i))


if __name__ == "__main__":
    main()
