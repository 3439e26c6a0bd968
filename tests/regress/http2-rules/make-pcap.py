#!/usr/bin/python3
"""Writes input.pcap for the http2-rules regression case: one cleartext
HTTP/2 session with prior knowledge (RFC 9113 section 3.3) from 10.0.0.1
to 10.0.0.2 port 8080 -- the client's preface and SETTINGS, a GET of
/h2/admin.php on stream 1 (HPACK, RFC 7541: :method GET, :scheme http,
:path and :authority as literals without indexing, user-agent h2probe)
followed in the same segment by a WINDOW_UPDATE of 3 bytes instead of 4
(invalid_frame_length, raised on the newest transaction: stream 1's) and
a one-byte DATA frame ending the stream, then a WINDOW_UPDATE of 34634 on
the connection; the server's SETTINGS, its 404 response on stream 1 and
a GOAWAY with INTERNAL_ERROR. Checksums are
left zero (the case runs with -k none). Deterministic: same bytes on every
run."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapgen import ACK, CLIENT, FIN, PSH, SERVER, handshake, tcp, write_pcap  # noqa: E402

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def frame(ftype, flags, stream, payload=b""):
    """An HTTP/2 frame (RFC 9113 section 4.1)."""
    return struct.pack("!I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack("!I", stream) + payload


def literal(index, value):
    """A literal header field without indexing, indexed name (RFC 7541 6.2.2)."""
    return bytes([index]) + bytes([len(value)]) + value  # index < 15 and short values fit one byte


def literal_name(name, value):
    """A literal header field without indexing, new name (RFC 7541 6.2.2)."""
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


REQUEST = (b"\x82\x86" + literal(4, b"/h2/admin.php") + literal(1, b"example.test:8080") +
           literal_name(b"user-agent", b"h2probe"))
RESPONSE = b"\x8d" + literal_name(b"server", b"gen")  # :status 404 (static 13)
CLIENT_DATA = [PREFACE + frame(4, 0, 0, b"\x00\x03\x00\x00\x00\x64"),
               frame(1, 0x04, 1, REQUEST) +  # END_HEADERS
               frame(8, 0, 1, b"\x00\x00\x01") +  # WINDOW_UPDATE, one byte short
               frame(0, 0x01, 1, b"x"),  # DATA, END_STREAM
               frame(8, 0, 0, b"\x00\x00\x87\x4a")]  # WINDOW_UPDATE of 34634 on the connection
SERVER_DATA = [frame(4, 0, 0, b"\x00\x03\x00\x00\x00\x64") + frame(4, 1, 0),
               frame(1, 0x05, 1, RESPONSE),
               frame(7, 0, 0, b"\x00\x00\x00\x01\x00\x00\x00\x02")]  # GOAWAY: last stream 1, INTERNAL_ERROR


def main():
    sport, dport = 40001, 8080
    c, s = 1000, 5000  # initial sequence numbers
    pkts = handshake(sport, dport, c, s)
    c, s = c + 1, s + 1
    for i in range(max(len(CLIENT_DATA), len(SERVER_DATA))):
        if i < len(CLIENT_DATA):
            pkts.append(tcp(CLIENT, SERVER, sport, dport, c, s, ACK | PSH, CLIENT_DATA[i]))
            c += len(CLIENT_DATA[i])
        if i < len(SERVER_DATA):
            pkts.append(tcp(SERVER, CLIENT, dport, sport, s, c, ACK | PSH, SERVER_DATA[i]))
            s += len(SERVER_DATA[i])
    pkts += [tcp(CLIENT, SERVER, sport, dport, c, s, FIN | ACK),
             tcp(SERVER, CLIENT, dport, sport, s, c + 1, FIN | ACK),
             tcp(CLIENT, SERVER, sport, dport, c + 1, s + 1, ACK)]
    write_pcap("input.pcap", pkts)


if __name__ == "__main__":
    main()
