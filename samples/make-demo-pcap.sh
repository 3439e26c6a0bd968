#!/usr/bin/env bash
# make-demo-pcap.sh — regenerates samples/demo.pcap, the small capture that
# `make run` analyses. It builds two private network namespaces (a client and a
# server) joined by one veth pair on the documentation range 192.0.2.0/24, starts
# real servers in the server namespace (Python http.server, dnsmasq, openssl
# s_server, netcat and a tiny Python responder), drives them from the client
# namespace with curl, dig, openssl s_client, nc and ping, and records everything
# with tcpdump on the server's veth. No packet can leave the two namespaces: they
# have no other interface and no default route, and every target address is one
# that this script assigns inside them. The namespaces, processes and temporary
# files are removed on exit, also after an error or Ctrl-C.
#
# Usage (as root, Debian 12):   samples/make-demo-pcap.sh [OUTPUT.pcap]
# Default output: demo.pcap next to this script. Missing Debian packages are
# installed with apt-get (set ODLAR_NO_APT=1 to forbid that).

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE/demo.pcap}

if [[ $(id -u) -ne 0 ]]; then
    echo "make-demo-pcap.sh: must run as root (network namespaces, tcpdump)" >&2
    exit 1
fi

# ---------------------------------------------------------------- packages --
# command -> Debian package. dnsmasq-base ships the binary without a system
# service, so installing it never starts a resolver or touches resolv.conf.
declare -A PKG_OF=(
    [ip]=iproute2 [ss]=iproute2 [dnsmasq]=dnsmasq-base [dig]=bind9-dnsutils
    [curl]=curl [openssl]=openssl [tcpdump]=tcpdump [python3]=python3
    [nc.openbsd]=netcat-openbsd [ping]=iputils-ping [ethtool]=ethtool
)
missing=()
for cmd in "${!PKG_OF[@]}"; do
    if ! PATH=$PATH:/usr/sbin:/sbin command -v "$cmd" >/dev/null 2>&1; then
        missing+=("${PKG_OF[$cmd]}")
    fi
done
if ((${#missing[@]})); then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    if [[ ${ODLAR_NO_APT:-0} == 1 ]]; then
        echo "make-demo-pcap.sh: missing packages: ${missing[*]}" >&2
        exit 1
    fi
    echo "== installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
export PATH=$PATH:/usr/sbin:/sbin
NC=$(command -v nc.openbsd)
# Prefer Debian's python3 (has http.server) over any pyenv shim.
PY=/usr/bin/python3
[[ -x $PY ]] || PY=$(command -v python3)

# ------------------------------------------------------------------ layout --
TAG=$$
NS_CLI=odlar-demo-cli-$TAG
NS_SRV=odlar-demo-srv-$TAG
CLI_IP=192.0.2.10
SRV_IP=192.0.2.20
# Locally administered MACs (02:xx would be shown as MS-NLB by Wireshark).
CLI_MAC=0e:0d:1a:00:00:10
SRV_MAC=0e:0d:1a:00:00:20
WORK=$(mktemp -d /tmp/odlar-demo.XXXXXX)
PIDS=()
CAP_PID=

log() { printf '== %s\n' "$*"; }
in_cli() { ip netns exec "$NS_CLI" "$@"; }
in_srv() { ip netns exec "$NS_SRV" "$@"; }
gap() { sleep "${1:-0.4}"; }   # keeps exchanges apart in the capture

# Stop one process we started: SIGTERM, then SIGKILL if it lingers.
stop_pid() {
    local pid=$1 _
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 0
}

cleanup() {
    local rc=$?
    set +e
    # The capture first (SIGTERM makes tcpdump flush and close the file).
    [[ -n $CAP_PID ]] && stop_pid "$CAP_PID"
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    # Anything else still inside our own namespaces was started by this script.
    for ns in "$NS_CLI" "$NS_SRV"; do
        if ip netns list | grep -qw "$ns"; then
            for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
            ip netns del "$ns"
        fi
    done
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Wait until a server in the server namespace listens (ss -l), max ~5 s.
wait_listen() {  # proto(t|u) port
    local _
    for _ in $(seq 50); do
        if [[ -n $(in_srv ss -Hln"$1" "sport = :$2") ]]; then return 0; fi
        sleep 0.1
    done
    echo "make-demo-pcap.sh: nothing listening on $1/$2" >&2
    return 1
}

# --------------------------------------------------------------- namespaces --
log "namespaces $NS_CLI <-> $NS_SRV"
ip netns add "$NS_CLI"
ip netns add "$NS_SRV"
for ns in "$NS_CLI" "$NS_SRV"; do
    # IPv4 only: no IPv6 link-local chatter (RS/ND/MLD) in the capture.
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
done
# The veth pair is created directly inside the two namespaces: nothing is
# added to the host's own network namespace.
ip -n "$NS_CLI" link add eth0 type veth peer name eth0 netns "$NS_SRV"
ip -n "$NS_CLI" link set eth0 address "$CLI_MAC"
ip -n "$NS_SRV" link set eth0 address "$SRV_MAC"
for ns in "$NS_CLI" "$NS_SRV"; do
    # Without this, veth leaves checksums to "hardware" and tcpdump records
    # packets with unfinished checksums (and GSO super-packets).
    ip netns exec "$ns" ethtool -K eth0 rx off tx off sg off tso off gso off gro off \
        >/dev/null 2>&1 || true
done
ip -n "$NS_CLI" addr add "$CLI_IP/24" dev eth0
ip -n "$NS_SRV" addr add "$SRV_IP/24" dev eth0
ip -n "$NS_CLI" link set eth0 up
ip -n "$NS_SRV" link set eth0 up

# ------------------------------------------------------------------ content --
mkdir -p "$WORK/www" "$WORK/tls"
cat >"$WORK/www/index.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>Odlar demo site</title><link rel="stylesheet" href="/style.css"></head>
<body><h1>Odlar demo site</h1><p>A tiny page served inside a private test namespace.</p></body></html>
EOF
cat >"$WORK/www/style.css" <<'EOF'
body { font-family: sans-serif; margin: 2em; color: #223; }
h1 { color: #0a5; }
EOF

cat >"$WORK/httpd.py" <<'EOF'
# Small HTTP/1.1 server: static files (http.server), /search and POST /login.
import functools, html, http.server, sys, urllib.parse

class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"          # keep-alive
    server_version = "OdlarDemoHTTP/1.0"

    def version_string(self):
        return self.server_version

    def _page(self, code, body):
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/search":
            q = urllib.parse.parse_qs(url.query).get("q", [""])[0]
            self._page(200, "<html><body><p>No results for <b>%s</b>.</p></body></html>\n"
                       % html.escape(q))
        else:
            super().do_GET()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        form = urllib.parse.parse_qs(body.decode("latin-1"))
        if urllib.parse.urlsplit(self.path).path == "/login":
            user = form.get("user", ["?"])[0]
            self._page(200, "<html><body><p>Welcome, %s.</p></body></html>\n"
                       % html.escape(user))
        else:
            self.send_error(404)

    def log_message(self, fmt, *args):
        sys.stderr.write("httpd: " + (fmt % args) + "\n")

root, addr = sys.argv[1], sys.argv[2]
http.server.ThreadingHTTPServer(
    (addr, 80), functools.partial(Handler, directory=root)).serve_forever()
EOF

cat >"$WORK/idsrv.py" <<'EOF'
# Answers one "id" command on TCP 4444 the way a root shell would, then closes.
import socket, sys
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], 4444))
srv.listen(1)
conn, _ = srv.accept()
line = conn.makefile("rb").readline()
if line.strip() == b"id":
    conn.sendall(b"uid=0(root) gid=0(root) groups=0(root)\n")
conn.close()
EOF

log "self-signed certificate CN=demo.odlar.test"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" -days 365 \
    -subj "/O=Odlar Demo/CN=demo.odlar.test" \
    -addext "subjectAltName=DNS:demo.odlar.test" 2>/dev/null

# ------------------------------------------------------------------ servers --
log "starting servers in $NS_SRV"
# Started with a direct `ip netns exec` (not the in_srv function) so that $!
# is the server process itself and cleanup can stop it by its id.
ip netns exec "$NS_SRV" "$PY" "$WORK/httpd.py" "$WORK/www" "$SRV_IP" 2>"$WORK/httpd.log" &
PIDS+=($!)

# dnsmasq as a plain foreground program: no config file, no /etc/hosts, no
# resolv.conf, no upstream servers; it answers only the records given here and
# NXDOMAIN for anything else under odlar.test.
ip netns exec "$NS_SRV" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
    --no-poll --pid-file= --user=root --group=root \
    --bind-interfaces --listen-address="$SRV_IP" --port=53 \
    --log-queries --log-facility="$WORK/dnsmasq.log" \
    --local=/odlar.test/ --domain-needed \
    --host-record=www.odlar.test,$SRV_IP,2001:db8::20 \
    --host-record=demo.odlar.test,$SRV_IP \
    --host-record=mail.odlar.test,192.0.2.25 \
    --mx-host=odlar.test,mail.odlar.test,10 \
    --txt-record=odlar.test,"v=spf1 ip4:192.0.2.0/24 -all" &
PIDS+=($!)

ip netns exec "$NS_SRV" openssl s_server -accept "$SRV_IP:443" -naccept 2 \
    -cert "$WORK/tls/cert.pem" -key "$WORK/tls/key.pem" -www -quiet \
    </dev/null >"$WORK/s_server.log" 2>&1 &
PIDS+=($!)

# SSH: only the identification banners are exchanged (RFC 4253 4.2).
printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' |
    ip netns exec "$NS_SRV" "$NC" -l "$SRV_IP" 22 >"$WORK/ssh-server.out" 2>&1 &
PIDS+=($!)

ip netns exec "$NS_SRV" "$PY" "$WORK/idsrv.py" "$SRV_IP" 2>"$WORK/idsrv.log" &
PIDS+=($!)

wait_listen t 80
wait_listen u 53
wait_listen t 53
wait_listen t 443
wait_listen t 22
wait_listen t 4444

# ------------------------------------------------------------------ capture --
log "capturing on $NS_SRV eth0"
ip netns exec "$NS_SRV" tcpdump -i eth0 -n -U -Z root -w "$WORK/demo.pcap" 2>"$WORK/tcpdump.log" &
CAP_PID=$!
for _ in $(seq 50); do
    grep -q 'listening on' "$WORK/tcpdump.log" 2>/dev/null && break
    sleep 0.1
done
gap 0.5

# ---------------------------------------------------------------- exchanges --
# The order below is the order in the capture (see samples/README.md).
CURL=(curl -sS -o /dev/null --max-time 5 --resolve "www.odlar.test:80:$SRV_IP")
DIG=(dig "@$SRV_IP" +tries=1 +time=2)

log "ICMP echo x2"
in_cli ping -n -q -c 2 -i 0.3 -W 1 "$SRV_IP" >/dev/null; gap

log "DNS over UDP: A, AAAA, MX, TXT, NXDOMAIN"
in_cli "${DIG[@]}" www.odlar.test A >/dev/null;    gap 0.2
in_cli "${DIG[@]}" www.odlar.test AAAA >/dev/null; gap 0.2
in_cli "${DIG[@]}" odlar.test MX >/dev/null;       gap 0.2
in_cli "${DIG[@]}" odlar.test TXT >/dev/null;      gap 0.2
in_cli "${DIG[@]}" c2.odlar.test A >/dev/null;     gap
log "DNS over TCP: A demo.odlar.test"
in_cli "${DIG[@]}" +tcp demo.odlar.test A >/dev/null; gap

log "HTTP"
in_cli "${CURL[@]}" 'http://www.odlar.test/search?q=odlar+ids&page=2'; gap
in_cli "${CURL[@]}" -d 'user=alice&password=hunter2' 'http://www.odlar.test/login'; gap
in_cli "${CURL[@]}" 'http://www.odlar.test/missing.html'; gap
in_cli "${CURL[@]}" 'http://www.odlar.test/index.html' \
    -o /dev/null 'http://www.odlar.test/style.css'; gap   # one connection, two requests
in_cli "${CURL[@]}" -A 'sqlmap/1.7#stable (https://sqlmap.org)' \
    'http://www.odlar.test/search?q=1%27%20AND%201%3D1--%20-'; gap
in_cli "${CURL[@]}" --path-as-is 'http://www.odlar.test/static/../../../etc/passwd'; gap
in_cli "${CURL[@]}" --path-as-is 'http://www.odlar.test/static/%2e%2e/%2e%2e/etc/passwd'; gap

log "TLS 1.3 (curl, SNI demo.odlar.test)"
in_cli curl -sS -k -o /dev/null --max-time 5 --tlsv1.3 \
    --resolve "demo.odlar.test:443:$SRV_IP" https://demo.odlar.test/; gap
log "TLS 1.2 (openssl s_client, SNI demo.odlar.test, certificate in clear)"
printf 'GET / HTTP/1.0\r\nHost: demo.odlar.test\r\n\r\n' |
    in_cli timeout 5 openssl s_client -quiet -ign_eof -tls1_2 \
        -connect "$SRV_IP:443" -servername demo.odlar.test >/dev/null 2>&1 || true
gap

log "SSH banner exchange"
{ printf 'SSH-2.0-OpenSSH_9.2\r\n'; sleep 0.5; } |
    in_cli "$NC" -q 0 -w 3 "$SRV_IP" 22 >/dev/null 2>&1 || true
gap

log "TCP 4444: id -> uid=0(root)"
{ printf 'id\n'; sleep 0.5; } | in_cli "$NC" -q 0 -w 3 "$SRV_IP" 4444 >/dev/null 2>&1 || true
gap

log "UDP to closed port 9999"
printf 'odlar-udp-probe\n' | in_cli "$NC" -u -w 1 "$SRV_IP" 9999 >/dev/null 2>&1 || true
gap

log "TCP to closed port 8081"
in_cli "$NC" -z -w 1 "$SRV_IP" 8081 >/dev/null 2>&1 || true
gap 0.8

# -------------------------------------------------------------------- done --
stop_pid "$CAP_PID"
CAP_PID=
tail -n 3 "$WORK/tcpdump.log" | sed 's/^/tcpdump: /'
mkdir -p "$(dirname "$OUT")"
cp "$WORK/demo.pcap" "$OUT"
chmod 0644 "$OUT"
log "wrote $OUT ($(stat -c %s "$OUT") bytes)"
