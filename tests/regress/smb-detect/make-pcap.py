#!/usr/bin/python3
"""Writes input.pcap for the smb-detect regression case: three TCP sessions
from 10.0.0.1 to 10.0.0.2, each a client request and a server reply, then
both sides close.

- port 445: an SMB2 NEGOTIATE request and response (MS-SMB2 sections
  2.2.3 and 2.2.4) in NetBIOS session messages (RFC 1002 section 4.3.1);
- port 8445 (not an SMB port): the same exchange, found by the SMB magic
  after the NetBIOS header;
- port 7777: a line protocol whose request carries "NOTSMB" and "|fe|SMB"
  but not after a NetBIOS header: not SMB.

Checksums are left zero (the case runs with -k none). Deterministic: same
bytes on every run."""
import struct

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
    eth = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + tcp


def smb2(command, flags, message_id, body):
    """An SMB2 sync header (64 bytes) and body in a NetBIOS session message."""
    hdr = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 0, 0, command, 1, flags, 0, message_id, 0, 0, 0, b"")
    msg = hdr + body
    return struct.pack("!BBH", 0, 0, len(msg)) + msg


NEGOTIATE = 0
REQUEST = smb2(NEGOTIATE, 0, 0,
               struct.pack("<HHHHI16sQ", 36, 2, 1, 0, 0, b"odlar-client-guid"[:16], 0) + struct.pack("<HH", 0x0202, 0x0210))
RESPONSE = smb2(NEGOTIATE, 1, 0,
                struct.pack("<HHHH16sIIIIQQHHI", 65, 1, 0x0210, 0, b"odlar-server-guid"[:16], 0, 65536, 65536, 65536,
                            0, 0, 128, 0, 0))


def session(sport, dport, request, response):
    c, s = 1000, 5000  # initial sequence numbers
    pkts = [frame(CLIENT, SERVER, sport, dport, c, 0, SYN),
            frame(SERVER, CLIENT, dport, sport, s, c + 1, SYN | ACK),
            frame(CLIENT, SERVER, sport, dport, c + 1, s + 1, ACK),
            frame(CLIENT, SERVER, sport, dport, c + 1, s + 1, ACK | PSH, request),
            frame(SERVER, CLIENT, dport, sport, s + 1, c + 1 + len(request), ACK | PSH, response)]
    c2, s2 = c + 1 + len(request), s + 1 + len(response)
    pkts += [frame(CLIENT, SERVER, sport, dport, c2, s2, FIN | ACK),
             frame(SERVER, CLIENT, dport, sport, s2, c2 + 1, FIN | ACK),
             frame(CLIENT, SERVER, sport, dport, c2 + 1, s2 + 1, ACK)]
    return pkts


def main():
    pkts = session(40001, 445, REQUEST, RESPONSE)
    pkts += session(40002, 8445, REQUEST, RESPONSE)
    pkts += session(40003, 7777, b"HELLO NOTSMB \xfeSMB there\n", b"OK\n")
    with open("input.pcap", "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            out.write(struct.pack("<IIII", 1700000000 + i, 0, len(p), len(p)))
            out.write(p)


if __name__ == "__main__":
    main()
