#!/usr/bin/env bash
# Live capture under load: the highest replay rate Odlar keeps up with.
#
# Makes a veth pair (odlsw-tx / odlsw-rx, both in a network namespace of
# its own), runs Odlar with AF_PACKET on odlsw-rx with all of ET Open
# (HOME_NET and EXTERNAL_NET any, EVE alert/http/dns/tls/flow/stats), and
# replays the benchmark corpus onto odlsw-tx with tcpreplay at rising rates,
# DURATION seconds per step. After each step Odlar is stopped with SIGTERM
# and its final stats record gives capture.kernel_packets and
# capture.kernel_drops; the drop share is drops / packets (the kernel counts
# dropped packets in kernel_packets too). For 1
# and for 2 capture threads (af-packet threads, fanout by flow hash) it
# prints every step and the highest rate with under 0.1% drops.
#
#   bench/replay-sweep.sh        (root; RATES="100 200 ...", DURATION=10,
#                                 THREADS="1 2", BUILD=build, CORPUS=...)
#
# Needs root, `ip netns` and tcpreplay (Debian package tcpreplay). The
# rates are megabits per second of replayed packets (tcpreplay --mbps);
# "top" replays as fast as tcpreplay can. Timing figures are only
# meaningful on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
corpus=${CORPUS:-bench/corpus/corpus-1024mb.pcap}
rates=${RATES:-"100 200 400 600 800 1000 1500 2000 top"}
duration=${DURATION:-10}
threads_list=${THREADS:-"1 2"}
etopen=${ETOPEN:-../shared/rules/et-open}
ns=odlsw

[ "$(id -u)" = 0 ] || { echo "replay-sweep: needs root (network namespaces)" >&2; exit 1; }
command -v tcpreplay > /dev/null || { echo "replay-sweep: tcpreplay missing (apt-get install tcpreplay)" >&2; exit 1; }
[ -s "$corpus" ] || { echo "replay-sweep: $corpus missing (run bench/run.sh once)" >&2; exit 1; }
[ -x "$build/odlar" ] || { echo "replay-sweep: $build/odlar missing (make)" >&2; exit 1; }
compgen -G "$etopen/*.rules" > /dev/null || { echo "replay-sweep: no ET Open in $etopen" >&2; exit 1; }

out=$(mktemp -d)
cleanup() {
    [ -n "${odlar_pid:-}" ] && kill "$odlar_pid" 2> /dev/null || true
    ip netns del "$ns" 2> /dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT
cat "$etopen"/*.rules > "$out/etopen.rules"

ip netns del "$ns" 2> /dev/null || true
ip netns add "$ns"
ip -n "$ns" link add odlsw-tx type veth peer name odlsw-rx
# corpus packets up to 64 KiB (offloaded captures) must fit
ip -n "$ns" link set odlsw-tx mtu 65535 up
ip -n "$ns" link set odlsw-rx mtu 65535 up
ip -n "$ns" link set lo up

# Runs one step: threads, rate -> prints "sent packets drops"
step() {
    local threads=$1 rate=$2 log="$out/step"
    rm -rf "$log"
    mkdir -p "$log"
    ip netns exec "$ns" "$build/odlar" -i odlsw-rx -l "$log" -S "$out/etopen.rules" \
        --set vars.address-groups.HOME_NET=any --set vars.address-groups.EXTERNAL_NET=any \
        --set "af-packet.0.threads=$threads" --set outputs.0.fast.enabled=no \
        > "$log/stdout" 2> "$log/stderr" &
    odlar_pid=$!
    for _ in $(seq 600); do # up to 60 s for the rules to load
        grep -q "capturing on" "$log/stdout" 2> /dev/null && break # a notice: stdout
        kill -0 "$odlar_pid" 2> /dev/null || { cat "$log/stderr" >&2; return 1; }
        sleep 0.1
    done
    local speed=(--mbps="$rate")
    [ "$rate" = top ] && speed=(--topspeed)
    ip netns exec "$ns" tcpreplay -q -i odlsw-tx "${speed[@]}" --duration="$duration" "$corpus" \
        > "$log/tcpreplay" 2>&1 || true
    sleep 2
    kill -TERM "$odlar_pid"
    wait "$odlar_pid" || true
    odlar_pid=
    local sent
    sent=$(grep -o "Actual: [0-9]* packets" "$log/tcpreplay" | grep -o "[0-9]*" || echo 0)
    local rate_seen
    rate_seen=$(grep -o "Rated: [0-9.]* Bps, [0-9.]* Mbps" "$log/tcpreplay" | grep -o "[0-9.]* Mbps" || echo "? Mbps")
    /usr/bin/python3 - "$log/eve.json" "$sent" "$rate_seen" << 'EOF'
import json, sys
stats = None
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        e = json.loads(line)
        if e.get("event_type") == "stats":
            stats = e["stats"]
cap = (stats or {}).get("capture", {})
pk, dr = cap.get("kernel_packets", 0), cap.get("kernel_drops", 0)
share = 100.0 * dr / pk if pk else 0.0  # the kernel counts dropped packets in tp_packets
print(f"{sys.argv[2]} {pk} {dr} {share:.3f} {sys.argv[3].replace(' ', '')}")
EOF
}

printf "%-8s %-6s %-10s %-12s %-12s %-10s %-8s %s\n" threads rate mbit_seen sent captured dropped drop% verdict
for threads in $threads_list; do
    best=none
    fails=0
    for rate in $rates; do
        [ "$fails" -ge 2 ] && break # two steps in a row with drops: higher rates will not do better
        read -r sent pk dr share seen < <(step "$threads" "$rate")
        verdict=ok
        awk "BEGIN{exit !($share >= 0.1)}" && verdict=drops
        printf "%-8s %-6s %-10s %-12s %-12s %-10s %-8s %s\n" "$threads" "$rate" "$seen" "$sent" "$pk" "$dr" "$share" "$verdict"
        if [ "$verdict" = ok ]; then
            best="$rate ($seen)"
            fails=0
        else
            fails=$((fails + 1))
        fi
    done
    echo "threads $threads: highest rate with under 0.1% kernel drops: $best"
done
