#!/usr/bin/python3
"""Writes input.pcap for the eve-stream-payload-cap regression case: one
TCP session (10.0.0.1:40000 -> 10.0.0.2:7777, a port no application-layer
parser claims) where the client sends twelve 500-byte segments, segment i
being "SEG" + two digits + "|" then letters up to 500 bytes, "SEG11" in
the last one. The server acknowledges all 6000 bytes at once, then both
sides close. Checksums are left zero (the case runs with -k none).
Deterministic: same bytes on every run."""
import struct

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SPORT, DPORT = 40000, 7777
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
SEGMENTS, SEGMENT_LEN = 12, 500


def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
    eth = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + tcp


def segment(i):
    head = b"SEG%02d|" % i
    letters = bytes(ord("a") + (k % 26) for k in range(SEGMENT_LEN - len(head)))
    return head + letters


def main():
    c, s = 1000, 5000  # initial sequence numbers
    pkts = [frame(CLIENT, SERVER, SPORT, DPORT, c, 0, SYN),
            frame(SERVER, CLIENT, DPORT, SPORT, s, c + 1, SYN | ACK),
            frame(CLIENT, SERVER, SPORT, DPORT, c + 1, s + 1, ACK)]
    seq = c + 1
    for i in range(SEGMENTS):
        pkts.append(frame(CLIENT, SERVER, SPORT, DPORT, seq, s + 1, ACK | PSH, segment(i)))
        seq += SEGMENT_LEN
    pkts += [frame(SERVER, CLIENT, DPORT, SPORT, s + 1, seq, ACK),
             frame(CLIENT, SERVER, SPORT, DPORT, seq, s + 1, FIN | ACK),
             frame(SERVER, CLIENT, DPORT, SPORT, s + 1, seq + 1, FIN | ACK),
             frame(CLIENT, SERVER, SPORT, DPORT, seq + 1, s + 2, ACK)]
    with open("input.pcap", "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            out.write(struct.pack("<IIII", 1700000000 + i, 0, len(p), len(p)))
            out.write(p)


if __name__ == "__main__":
    main()
