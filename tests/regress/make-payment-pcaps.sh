#!/usr/bin/env bash
# make-payment-pcaps.sh — regenerates the captures of the payment-data
# regression cases (tests/regress/payment-http, payment-smtp, payment-ftp):
# real HTTP, SMTP and FTP sessions carrying the card industry's published
# test numbers, IBAN examples and decoys (Luhn-invalid numbers, order ids,
# phone numbers, timestamps, long digit runs). Everything runs on the
# loopback interface of a private network namespace made for the run: the
# servers are Python's http.server, smtpd and pyftpdlib, the clients curl,
# smtplib and ftplib, and tcpdump records the loopback. Nothing can leave
# the namespace; it is removed on exit, also after an error.
#
# Usage (as root, Debian 12):   tests/regress/make-payment-pcaps.sh
# Needs: iproute2 tcpdump curl python3 python3-pyftpdlib (installed with
# apt-get when missing; ODLAR_NO_APT=1 forbids that).

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
export PATH=$PATH:/usr/sbin:/sbin

if [[ $(id -u) -ne 0 ]]; then
    echo "make-payment-pcaps.sh: must run as root (network namespace, tcpdump)" >&2
    exit 1
fi
missing=()
command -v ip >/dev/null || missing+=(iproute2)
command -v tcpdump >/dev/null || missing+=(tcpdump)
command -v curl >/dev/null || missing+=(curl)
$PY -c 'import pyftpdlib' 2>/dev/null || missing+=(python3-pyftpdlib)
if ((${#missing[@]})); then
    if [[ ${ODLAR_NO_APT:-0} == 1 ]]; then
        echo "make-payment-pcaps.sh: missing packages: ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

NS=odlar-payment-$$
WORK=$(mktemp -d /tmp/odlar-payment.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
in_ns() { ip netns exec "$NS" "$@"; }

# Starts tcpdump for one capture; stop_capture writes it out.
CAP_PID=
start_capture() { # FILE FILTER
    ip netns exec "$NS" tcpdump -i lo -U -s 0 -w "$1" "$2" >/dev/null 2>&1 &
    CAP_PID=$!
    sleep 1
}
stop_capture() {
    sleep 1
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
}

# ---------------------------------------------------------------- data --
# Published test card numbers (Visa, Mastercard incl. 2-series, Amex,
# Discover, JCB, Diners, UnionPay): 14 distinct numbers for the bulk dumps.
cat > "$WORK/cards.py" <<'EOF'
CARDS = ["4111111111111111", "4012888888881881", "5555555555554444", "5105105105105100",
         "2223003122003222", "378282246310005", "371449635398431", "6011111111111117",
         "6011000990139424", "3530111333300000", "3566002020360505", "30569309025904",
         "6200000000000005", "4242424242424242"]
DECOYS = ("order=1234567812345670 phone=+1 555 123 4567 phone2=+44 20 7946 0958 "
          "ts=2024-01-15T12:34:56.123456 epoch_us=1705322096123456 bad_luhn=4111111111111112 "
          "run=41111111111111111111 tracking=9400111899223344556677 ratio=0.4111111111111111 "
          "ean=4006381333931 iban_bad=DE89370400440532013001\n")
def dump():
    lines = ["id,name,card,exp"]
    for i, c in enumerate(CARDS):
        lines.append("%d,customer%d,%s,12/2%d" % (i + 1, i + 1, c, i % 10))
    return ("\n".join(lines) + "\n").encode()
EOF

# ---------------------------------------------------------------- HTTP --
cat > "$WORK/http_server.py" <<'EOF'
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
sys.path.insert(0, sys.argv[1])
from cards import dump, DECOYS
class H(BaseHTTPRequestHandler):
    def reply(self, body, ctype="text/plain"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path == "/orders/export.csv":
            self.reply(dump(), "text/csv")
        elif self.path == "/catalog.txt":
            self.reply(DECOYS.encode())
        else:
            self.reply(b"ok\n")
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(b'{"status":"accepted"}\n', "application/json")
    def log_message(self, *a):
        pass
HTTPServer(("127.0.0.1", 80), H).serve_forever()
EOF
ip netns exec "$NS" $PY "$WORK/http_server.py" "$WORK" &
PIDS+=($!)
sleep 1
start_capture "$HERE/payment-http/input.pcap" "tcp port 80"
C="in_ns curl -s -o /dev/null --http1.1"
$C -H 'Content-Type: application/json' --data-binary \
    '{"name":"Jane Doe","card":"4111 1111 1111 1111","exp":"12/29"}' http://127.0.0.1/checkout
sleep 0.3
$C 'http://127.0.0.1/pay?cc=5555555555554444&exp=1229'
sleep 0.3
$C -H 'Content-Type: application/json' --data-binary \
    '{"iban":"DE89 3704 0044 0532 0130 00","amount":"100.00"}' http://127.0.0.1/transfer
sleep 0.3
$C -H 'Content-Type: text/plain' --data-binary "$(cd "$WORK" && $PY -c 'from cards import DECOYS; print(DECOYS)')" \
    http://127.0.0.1/orders
sleep 0.3
$C http://127.0.0.1/orders/export.csv
sleep 0.3
$C http://127.0.0.1/catalog.txt
stop_capture

# ---------------------------------------------------------------- SMTP --
cat > "$WORK/smtp_server.py" <<'EOF'
import asyncore, smtpd, warnings
warnings.filterwarnings("ignore")
class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        return None
Sink(("127.0.0.1", 25), None)
asyncore.loop()
EOF
cat > "$WORK/smtp_client.py" <<'EOF'
import smtplib, sys
from email.message import EmailMessage
sys.path.insert(0, sys.argv[1])
from cards import dump, DECOYS
def msg(subject, text):
    m = EmailMessage()
    m["From"] = "shop@example.com"
    m["To"] = "accounts@example.com"
    m["Subject"] = subject
    m.set_content(text)
    return m
s = smtplib.SMTP("127.0.0.1", 25)
s.ehlo("client.example.com")
s.send_message(msg("Order 1001", "Hello,\nplease charge card 3782 822463 10005 for order 1001.\nThanks\n"))
report = msg("Monthly report", "Hello,\nthe export is attached.\n")
report.add_attachment(dump(), maintype="text", subtype="csv", filename="export.csv")
s.send_message(report)
s.send_message(msg("Order status", "Your order ships soon.\n" + DECOYS))
s.quit()
EOF
ip netns exec "$NS" $PY -W ignore "$WORK/smtp_server.py" &
PIDS+=($!)
sleep 1
start_capture "$HERE/payment-smtp/input.pcap" "tcp port 25"
in_ns $PY "$WORK/smtp_client.py" "$WORK"
stop_capture

# ----------------------------------------------------------------- FTP --
mkdir -p "$WORK/ftproot"
chmod 777 "$WORK/ftproot"
cat > "$WORK/ftp_server.py" <<'EOF'
import logging, sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer
logging.disable(logging.CRITICAL)
a = DummyAuthorizer()
a.add_user("shop", "shop", sys.argv[1], perm="elradfmw")
FTPHandler.authorizer = a
FTPHandler.passive_ports = range(40000, 40010)
FTPServer(("127.0.0.1", 21), FTPHandler).serve_forever()
EOF
cat > "$WORK/ftp_client.py" <<'EOF'
import ftplib, io, sys, time
sys.path.insert(0, sys.argv[1])
from cards import dump, DECOYS, CARDS
f = ftplib.FTP()
f.connect("127.0.0.1", 21)
f.login("shop", "shop")
f.storbinary("STOR refund.txt", io.BytesIO(("refund to card %s\n" % CARDS[6]).encode()))
time.sleep(0.3)
f.storbinary("STOR notes.txt", io.BytesIO(DECOYS.encode()))
time.sleep(0.3)
f.storbinary("STOR export.csv", io.BytesIO(dump()))
f.quit()
EOF
ip netns exec "$NS" $PY "$WORK/ftp_server.py" "$WORK/ftproot" &
PIDS+=($!)
sleep 1
start_capture "$HERE/payment-ftp/input.pcap" "tcp port 21 or portrange 40000-40009"
in_ns $PY "$WORK/ftp_client.py" "$WORK"
stop_capture

chown --reference="$HERE" "$HERE"/payment-*/input.pcap
ls -l "$HERE"/payment-*/input.pcap
