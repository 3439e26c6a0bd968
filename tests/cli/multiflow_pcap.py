"""Writes a synthetic multi-flow capture for the runmode determinism tests.

Hundreds of conversations between many address pairs (so that they spread
over several workers): TCP sessions (closed, left open, HTTP-like requests
some rules match), UDP exchanges, ICMP echoes and an ICMP error quoting a
UDP flow, IPv4 fragments, IPv6 and 802.1Q-tagged traffic. A quiet gap of
700 seconds in the middle makes every flow of the first part time out at
one packet, on every worker at once; flows of the second part are still
open at the end. Checksums are correct. Deterministic: no randomness."""
import struct

ETH_IPV4, ETH_IPV6, ETH_VLAN = 0x0800, 0x86DD, 0x8100


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ipv4(src, dst, proto, payload, ident=1, frag=0, total=None):
    total = total if total is not None else 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident, frag, 64, proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
    return hdr + payload


def _l4_csum(src, dst, proto, seg, v6=False):
    if v6:
        pseudo = bytes(src) + bytes(dst) + struct.pack("!IxxxB", len(seg), proto)
    else:
        pseudo = bytes(src) + bytes(dst) + struct.pack("!xBH", proto, len(seg))
    return _csum(pseudo + seg)


def _tcp(src, dst, sp, dp, seq, ack, flags, data=b""):
    seg = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    c = _l4_csum(src, dst, 6, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def _udp(src, dst, sp, dp, data, v6=False):
    seg = struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data
    c = _l4_csum(src, dst, 17, seg, v6) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def _icmp(typ, code, rest, data):
    msg = struct.pack("!BBH", typ, code, 0) + rest + data
    return msg[:2] + struct.pack("!H", _csum(msg)) + msg[4:]


def _eth(ethertype, payload, vlan=None):
    head = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01"
    if vlan is not None:
        head += struct.pack("!HH", ETH_VLAN, vlan)
    return head + struct.pack("!H", ethertype) + payload


class _Capture:
    def __init__(self):
        self.records = []
        self.t = 1_700_000_000.0

    def add(self, frame, gap=0.001):
        self.t += gap
        self.records.append((self.t, frame))

    def v4(self, src, dst, proto, payload, vlan=None, **kw):
        self.add(_eth(ETH_IPV4, _ipv4(src, dst, proto, payload, **kw), vlan))

    def bytes(self):
        out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
        for t, frame in self.records:
            sec = int(t)
            usec = int(round((t - sec) * 1e6))
            if usec >= 1_000_000:
                sec, usec = sec + 1, usec - 1_000_000
            out.append(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
        return b"".join(out)


def _tcp_session(cap, c, s, cport, request, close, vlan=None):
    cs, ss = 1000 + cport, 5000 + cport
    cap.v4(c, s, 6, _tcp(c, s, cport, 80, cs, 0, 0x02), vlan)
    cap.v4(s, c, 6, _tcp(s, c, 80, cport, ss, cs + 1, 0x12), vlan)
    cap.v4(c, s, 6, _tcp(c, s, cport, 80, cs + 1, ss + 1, 0x10), vlan)
    cap.v4(c, s, 6, _tcp(c, s, cport, 80, cs + 1, ss + 1, 0x18, request), vlan)
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    cap.v4(s, c, 6, _tcp(s, c, 80, cport, ss + 1, cs + 1 + len(request), 0x18, reply), vlan)
    cap.v4(c, s, 6, _tcp(c, s, cport, 80, cs + 1 + len(request), ss + 1 + len(reply), 0x10), vlan)
    if close:
        a, b = cs + 1 + len(request), ss + 1 + len(reply)
        cap.v4(c, s, 6, _tcp(c, s, cport, 80, a, b, 0x11), vlan)
        cap.v4(s, c, 6, _tcp(s, c, 80, cport, b, a + 1, 0x11), vlan)
        cap.v4(c, s, 6, _tcp(c, s, cport, 80, a + 1, b + 1, 0x10), vlan)


def _part(cap, base, n):
    for i in range(n):
        c = [10, base, i // 200, i % 200 + 1]
        s = [192, 0, 2, i % 7 + 1]
        path = b"/attack" if i % 5 == 0 else b"/index.html"
        req = b"GET " + path + b" HTTP/1.1\r\nHost: example.test\r\nUser-Agent: multiflow\r\n\r\n"
        _tcp_session(cap, c, s, 20000 + i, req, close=i % 3 != 0, vlan=5 if i % 11 == 0 else None)
        u = [10, base, 100 + i // 200, i % 200 + 1]
        q = b"query-" + str(i).encode()
        cap.v4(u, s, 17, _udp(u, s, 30000 + i, 53, q))
        cap.v4(s, u, 17, _udp(s, u, 53, 30000 + i, q + b"-answer"))
        if i % 4 == 0:
            cap.v4(c, s, 1, _icmp(8, 0, struct.pack("!HH", i, 1), b"ping"))
            cap.v4(s, c, 1, _icmp(0, 0, struct.pack("!HH", i, 1), b"ping"))
        if i % 10 == 0:
            # a UDP datagram in two IPv4 fragments (first fragment 8*3 bytes)
            data = b"fragmented-datagram-" + bytes(range(40))
            seg = _udp(u, s, 40000 + i, 9999, data)
            cap.v4(u, s, 17, seg[:24], ident=7000 + i, frag=0x2000, total=20 + 24)
            cap.v4(u, s, 17, seg[24:], ident=7000 + i, frag=3, total=20 + len(seg) - 24)
        if i % 13 == 0:
            # the server's router says the UDP port is unreachable, quoting it
            router = [172, 16, base, 1]
            quoted = _ipv4(u, s, 17, _udp(u, s, 30000 + i, 53, q))[:28]
            cap.v4(router, u, 1, _icmp(3, 3, b"\0\0\0\0", quoted))
        if i % 9 == 0:
            a6 = bytes([0x20, 0x01, 0x0D, 0xB8] + [0] * 10 + [base, i % 250 + 1])
            b6 = bytes([0x20, 0x01, 0x0D, 0xB8] + [0] * 11 + [0x80])
            seg = _udp(a6, b6, 31000 + i, 53, q, v6=True)
            ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(seg), 17, 64, a6, b6) + seg
            cap.add(_eth(ETH_IPV6, ip6))


def multiflow_pcap(n_per_part=150):
    cap = _Capture()
    _part(cap, 1, n_per_part)
    cap.t += 700  # every flow so far times out at the next packet
    _part(cap, 2, n_per_part)
    return cap.bytes()


MULTIFLOW_RULES = """\
alert http any any -> any any (msg:"multiflow attack uri"; flow:established,to_server; http.uri; content:"/attack"; sid:1; rev:1;)
alert tcp any any -> any 80 (msg:"multiflow tcp payload"; flow:established,to_server; content:"GET /attack"; sid:2; rev:1;)
alert udp any any -> any 53 (msg:"multiflow udp query"; content:"query-1"; sid:3; rev:1;)
alert icmp any any -> any any (msg:"multiflow echo"; itype:8; sid:4; rev:1;)
alert udp any any -> any 9999 (msg:"multiflow reassembled"; content:"fragmented-datagram"; sid:5; rev:1;)
alert icmp any any -> any any (msg:"multiflow unreachable"; itype:3; icode:3; sid:6; rev:1;)
"""
