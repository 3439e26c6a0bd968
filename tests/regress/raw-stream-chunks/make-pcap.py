#!/usr/bin/python3
"""Writes input.pcap for the raw-stream-chunks regression case: one TCP
session (10.0.0.1:40000 -> 10.0.0.2:7777, a port no application-layer
parser claims) where the client sends three small pieces, each acknowledged
by the server, then both sides close. The pieces are "HELLO\\n", "EVIL" and
"DATA\\n": "EVILDATA" spans two packets and "EVIL" starts the second one.
Checksums are left zero (the case runs with -k none). Deterministic: same
bytes on every run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapgen import ACK, CLIENT, FIN, PSH, SERVER, handshake, tcp, write_pcap  # noqa: E402

SPORT, DPORT = 40000, 7777


def main():
    c, s = 1000, 5000  # initial sequence numbers
    pkts = handshake(SPORT, DPORT, c, s)
    seq = c + 1
    for piece in (b"HELLO\n", b"EVIL", b"DATA\n"):
        pkts.append(tcp(CLIENT, SERVER, SPORT, DPORT, seq, s + 1, ACK | PSH, piece))
        seq += len(piece)
        pkts.append(tcp(SERVER, CLIENT, DPORT, SPORT, s + 1, seq, ACK))
    pkts += [tcp(CLIENT, SERVER, SPORT, DPORT, seq, s + 1, FIN | ACK),
             tcp(SERVER, CLIENT, DPORT, SPORT, s + 1, seq + 1, FIN | ACK),
             tcp(CLIENT, SERVER, SPORT, DPORT, seq + 1, s + 2, ACK)]
    write_pcap("input.pcap", pkts)


if __name__ == "__main__":
    main()
