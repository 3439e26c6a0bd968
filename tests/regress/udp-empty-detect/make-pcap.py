#!/usr/bin/python3
"""Writes input.pcap for the udp-empty-detect regression case, as a UDP
port scan looks: from 10.0.0.1 to 10.0.0.2,

- an empty datagram to port 30000, answered by an ICMP port unreachable
  (RFC 792) that quotes it;
- a datagram "hello" to port 7000, no answer;
- a DNS query for example.com (RFC 1035 section 4.1) to port 53 and its
  answer.

Checksums are left zero (the case runs with -k none). Deterministic: same
bytes on every run."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapgen import CLIENT as A, SERVER as B, ipv4, udp, write_pcap  # noqa: E402


def unreachable(quoted):
    """ICMP port unreachable (RFC 792) quoting a frame's IP header and 8 bytes."""
    return ipv4(B, A, 1, struct.pack("!BBHI", 3, 3, 0, 0) + quoted[14:14 + 28])


QUERY = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
ANSWER = (struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 1, 0, 0) + b"\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
          + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 1]))


def main():
    empty = udp(A, B, 40000, 30000)
    pkts = [empty, unreachable(empty),
            udp(A, B, 40001, 7000, b"hello"),
            udp(A, B, 40002, 53, QUERY), udp(B, A, 53, 40002, ANSWER)]
    write_pcap("input.pcap", pkts)


if __name__ == "__main__":
    main()
