#!/usr/bin/env bash
# make-http-body-pcap.sh — regenerates the capture of the regression case
# tests/regress/http-body-windows: one real HTTP/1.1 session on a private
# network namespace's loopback (MTU 1500, so the bodies arrive in many
# packets), recorded by tcpdump. The client (curl) uploads a 60000-byte
# body with POST and downloads a 90000-byte response; both carry marks at
# fixed offsets (http-body-windows/README.md) so the rules can tell which
# part of a growing body each inspection saw. Nothing leaves the namespace;
# it is removed on exit, also after an error.
#
# Usage (as root, Debian 12):   tests/regress/make-http-body-pcap.sh
# Needs: iproute2 tcpdump curl python3.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
export PATH=$PATH:/usr/sbin:/sbin

if [[ $(id -u) -ne 0 ]]; then
    echo "make-http-body-pcap.sh: must run as root (network namespace, tcpdump)" >&2
    exit 1
fi
for c in ip tcpdump curl; do
    command -v $c >/dev/null || { echo "make-http-body-pcap.sh: $c missing" >&2; exit 1; }
done

NS=odlar-body-$$
WORK=$(mktemp -d /tmp/odlar-body.XXXXXX)
PIDS=()
CAP_PID=
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
ip netns exec "$NS" ip link set lo mtu 1500
ip netns exec "$NS" ip link set lo up
in_ns() { ip netns exec "$NS" "$@"; }

# A body of n bytes of filler with marks at the given offsets.
cat > "$WORK/body.py" <<'EOF'
def body(n, marks):
    b = bytearray(b"." * n)
    for off, mark in marks:
        b[off:off + len(mark)] = mark
    return bytes(b)
RESPONSE = body(90000, [(0, b"START-MARK"), (1000, b"EARLY-MARK"), (85000, b"END-MARK")])
REQUEST = body(60000, [(0, b"REQ-START"), (500, b"REQ-EARLY"), (55000, b"REQ-END")])
EOF
cat > "$WORK/server.py" <<'EOF'
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
sys.path.insert(0, sys.argv[1])
from body import RESPONSE
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.reply(RESPONSE)
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(b"ok\n")
    def log_message(self, *a):
        pass
HTTPServer(("127.0.0.1", 80), H).serve_forever()
EOF
(cd "$WORK" && $PY -c 'from body import REQUEST; open("request.bin", "wb").write(REQUEST)')
ip netns exec "$NS" $PY "$WORK/server.py" "$WORK" &
PIDS+=($!)
sleep 1
ip netns exec "$NS" tcpdump -i lo -U -s 0 -w "$HERE/http-body-windows/input.pcap" "tcp port 80" >/dev/null 2>&1 &
CAP_PID=$!
sleep 1
in_ns curl -s -o /dev/null --http1.1 -H 'Expect:' --data-binary @"$WORK/request.bin" http://127.0.0.1/upload
sleep 0.3
in_ns curl -s -o /dev/null --http1.1 http://127.0.0.1/download.bin
sleep 1
kill -INT "$CAP_PID"
wait "$CAP_PID" || true
echo "wrote $HERE/http-body-windows/input.pcap"
