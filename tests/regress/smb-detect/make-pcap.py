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
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapgen import ACK, CLIENT, FIN, PSH, SERVER, handshake, tcp, write_pcap  # noqa: E402



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
    pkts = handshake(sport, dport, c, s) + [
        tcp(CLIENT, SERVER, sport, dport, c + 1, s + 1, ACK | PSH, request),
        tcp(SERVER, CLIENT, dport, sport, s + 1, c + 1 + len(request), ACK | PSH, response)]
    c2, s2 = c + 1 + len(request), s + 1 + len(response)
    pkts += [tcp(CLIENT, SERVER, sport, dport, c2, s2, FIN | ACK),
             tcp(SERVER, CLIENT, dport, sport, s2, c2 + 1, FIN | ACK),
             tcp(CLIENT, SERVER, sport, dport, c2 + 1, s2 + 1, ACK)]
    return pkts


def main():
    pkts = session(40001, 445, REQUEST, RESPONSE)
    pkts += session(40002, 8445, REQUEST, RESPONSE)
    pkts += session(40003, 7777, b"HELLO NOTSMB \xfeSMB there\n", b"OK\n")
    write_pcap("input.pcap", pkts)


if __name__ == "__main__":
    main()
