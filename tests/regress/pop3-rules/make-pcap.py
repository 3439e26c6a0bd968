#!/usr/bin/python3
"""Writes input.pcap for the pop3-rules regression case: two TCP sessions
from 10.0.0.1 to 10.0.0.2 that exchange the same lines -- a POP3 login
(RFC 1939: the server's +OK greeting, USER, +OK, QUIT, +OK) -- one on
port 110, where Odlar detects and parses POP3, one on port 7777, where
nothing claims it. Checksums are left zero (the case runs with -k none).
Deterministic: same bytes on every run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapgen import ACK, CLIENT, FIN, PSH, SERVER, handshake, tcp, write_pcap  # noqa: E402

EXCHANGE = [(False, b"+OK POP3 ready\r\n"), (True, b"USER bob\r\n"), (False, b"+OK\r\n"),
            (True, b"QUIT\r\n"), (False, b"+OK bye\r\n")]


def session(sport, dport):
    c, s = 1000, 5000  # initial sequence numbers
    pkts = handshake(sport, dport, c, s)
    c, s = c + 1, s + 1
    for to_server, line in EXCHANGE:
        if to_server:
            pkts.append(tcp(CLIENT, SERVER, sport, dport, c, s, ACK | PSH, line))
            c += len(line)
        else:
            pkts.append(tcp(SERVER, CLIENT, dport, sport, s, c, ACK | PSH, line))
            s += len(line)
    pkts += [tcp(CLIENT, SERVER, sport, dport, c, s, FIN | ACK),
             tcp(SERVER, CLIENT, dport, sport, s, c + 1, FIN | ACK),
             tcp(CLIENT, SERVER, sport, dport, c + 1, s + 1, ACK)]
    return pkts


def main():
    write_pcap("input.pcap", session(40001, 110) + session(40002, 7777))


if __name__ == "__main__":
    main()
