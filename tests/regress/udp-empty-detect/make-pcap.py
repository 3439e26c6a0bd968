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
import struct

A, B = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
ETH = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"


def ip(src, dst, proto, payload):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, src, dst) + payload


def udp(src, dst, sport, dport, payload=b""):
    return ip(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def unreachable(quoted):
    return ip(B, A, 1, struct.pack("!BBHI", 3, 3, 0, 0) + quoted[:28])


QUERY = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
ANSWER = (struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 1, 0, 0) + b"\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
          + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 1]))


def main():
    empty = udp(A, B, 40000, 30000)
    pkts = [empty, unreachable(empty),
            udp(A, B, 40001, 7000, b"hello"),
            udp(A, B, 40002, 53, QUERY), udp(B, A, 53, 40002, ANSWER)]
    with open("input.pcap", "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            frame = ETH + p
            out.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)))
            out.write(frame)


if __name__ == "__main__":
    main()
