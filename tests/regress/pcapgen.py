"""Building blocks of the regression cases' generated captures (each case's
make-pcap.py): Ethernet/IPv4 frames carrying TCP, UDP or ICMP with zero
checksums (the cases run with -k none), and a classic pcap file writer
(microsecond timestamps, link type Ethernet). No real traffic: every byte
comes from the scripts, so the same script always writes the same file."""
import struct

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
_ETH = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"


def ipv4(src, dst, proto, payload):
    """An Ethernet frame with an IPv4 header (RFC 791, no options) around payload."""
    return _ETH + struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, src, dst) + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    """A TCP segment (RFC 9293, no options, window 65535) in a frame."""
    return ipv4(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload)


def udp(src, dst, sport, dport, payload=b""):
    """A UDP datagram (RFC 768) in a frame."""
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def handshake(sport, dport, c, s):
    """The three frames opening a TCP session from CLIENT:sport to
    SERVER:dport whose initial sequence numbers are c and s."""
    return [tcp(CLIENT, SERVER, sport, dport, c, 0, SYN),
            tcp(SERVER, CLIENT, dport, sport, s, c + 1, SYN | ACK),
            tcp(CLIENT, SERVER, sport, dport, c + 1, s + 1, ACK)]


def write_pcap(path, frames, times=None):
    """Writes frames to path; times(i) gives frame i's (seconds, microseconds),
    by default one second apart from 1700000000."""
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, f in enumerate(frames):
            sec, usec = times(i) if times else (1700000000 + i, 0)
            out.write(struct.pack("<IIII", sec, usec, len(f), len(f)))
            out.write(f)
