#!/usr/bin/python3
"""Writes input.pcap for the detect-bail-unbalanced regression case: one
TCP session (10.0.0.1:40000 -> 10.0.0.2:7777, windows of 65535 bytes, no
window scaling) in which the client sends nothing and the server sends
150 segments of 1000 bytes of one repeated line that no protocol claims,
the client acknowledging every second segment; then both sides close.
Checksums are left zero (the case runs with -k none). Deterministic: same
bytes on every run."""
import struct

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SPORT, DPORT = 40000, 7777
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
LINE = b"odlar unbalanced session test data. " * 40


def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
    eth = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + tcp


def main():
    c, s = 1000, 5000  # initial sequence numbers
    pkts = [frame(CLIENT, SERVER, SPORT, DPORT, c, 0, SYN),
            frame(SERVER, CLIENT, DPORT, SPORT, s, c + 1, SYN | ACK),
            frame(CLIENT, SERVER, SPORT, DPORT, c + 1, s + 1, ACK)]
    seq = s + 1
    for i in range(150):
        pkts.append(frame(SERVER, CLIENT, DPORT, SPORT, seq, c + 1, ACK | PSH, LINE[:1000]))
        seq += 1000
        if i % 2 == 1:
            pkts.append(frame(CLIENT, SERVER, SPORT, DPORT, c + 1, seq, ACK))
    pkts += [frame(SERVER, CLIENT, DPORT, SPORT, seq, c + 1, FIN | ACK),
             frame(CLIENT, SERVER, SPORT, DPORT, c + 1, seq + 1, FIN | ACK),
             frame(SERVER, CLIENT, DPORT, SPORT, seq + 1, c + 2, ACK)]
    with open("input.pcap", "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            out.write(struct.pack("<IIII", 1700000000, i, len(p), len(p)))
            out.write(p)


if __name__ == "__main__":
    main()
