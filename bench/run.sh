#!/usr/bin/env bash
# Odlar's benchmark. Builds (or reuses) the 1 GB corpus of real traffic,
# measures the libpcap floor on it, then Odlar's no-rules path (decode, flows,
# TCP reassembly, EVE flow + stats) single-threaded, and prints each time as
# a multiple of the floor -- the figure to track across machines.
#
#   bench/run.sh [CORPUS_MB]        (make bench)
#   BASELINE=/path/to/suricata bench/run.sh   also runs that binary the same way
#
# Nothing here runs in `make test`; timings vary with the machine's load.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-${CORPUS_MB:-1024}}
corpus=bench/corpus/corpus-${mb}mb.pcap
build=${BUILD:-build}
runs=${RUNS:-3}

if [ ! -s "$corpus" ]; then
    maker=../shared/bench/make-corpus
    [ -x "$maker" ] || { echo "bench: $maker not found; cannot build the corpus" >&2; exit 1; }
    echo "bench: building ${mb} MB corpus (once; cached in $corpus)"
    mkdir -p bench/corpus
    "$maker" "$corpus.tmp" "$mb" && mv "$corpus.tmp" "$corpus"
fi
cc -O2 -o "$build/pcap-floor" bench/pcap-floor.c -lpcap

# best of $runs wall-clock seconds for a command; also records peak RSS (KiB)
best() {
    local best_s="" rss=0 s r
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$build/bench.time" "$@" > /dev/null 2> "$build/bench.err" || {
            cat "$build/bench.err" >&2; return 1; }
        read -r s r < "$build/bench.time"
        if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; fi
        [ "$r" -gt "$rss" ] && rss=$r
    done
    echo "$best_s $rss"
}

read -r packets bytes _ < <("$build/pcap-floor" "$corpus")
read -r floor_s floor_rss < <(best "$build/pcap-floor" "$corpus")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
report() { # name seconds rss
    python3 -c "
import sys
name, s, rss, floor, pk, by = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
print(f'{name:<34} {s:8.2f} s {pk/s/1e6:8.2f} Mpkt/s {by*8/s/1e6:9.0f} Mbit/s {s/floor:7.1f}x floor {rss/1024:8.0f} MiB peak')
" "$1" "$2" "$3" "$floor_s" "$packets" "$bytes"
}

echo "bench: corpus $corpus: $packets packets, $bytes bytes; best of $runs runs"
report "libpcap read (floor)" "$floor_s" "$floor_rss"
read -r s rss < <(best "$build/odlar" -r "$corpus" -l "$out" --disable-detection --runmode single \
    --set outputs.0.fast.enabled=no)
report "odlar no rules, single thread" "$s" "$rss"
if [ -n "${BASELINE:-}" ]; then
    read -r s rss < <(best "$BASELINE" -r "$corpus" -l "$out" --disable-detection --runmode single -k none)
    report "baseline no rules, single" "$s" "$rss"
fi

# --- rules (pf): ET Open load time and throughput with ET Open -------------
# ET Open (the *.rules of $ETOPEN, concatenated into a temp file) with
# HOME_NET/EXTERNAL_NET = any. Load time is the whole rule load and engine
# build (Hyperscan databases included) on an empty capture: the first run
# ("cold": fresh process, page cache as it is) and the best of $runs. Then
# the corpus single-threaded with those rules; the alert count and the
# top-10 signatures by alerts come from the EVE log of the last run.
etopen=${ETOPEN:-../shared/rules/et-open}
if compgen -G "$etopen/*.rules" > /dev/null; then
    cat "$etopen"/*.rules > "$out/etopen.rules"
    head -c 24 "$corpus" > "$out/empty.pcap" # the pcap file header alone: no packets
    rule_args=(-S "$out/etopen.rules" --set vars.address-groups.HOME_NET=any
        --set vars.address-groups.EXTERNAL_NET=any --set outputs.0.fast.enabled=no)
    [ -f "$etopen/classification.config" ] && rule_args+=(--set "classification-file=$etopen/classification.config")
    /usr/bin/time -f "%e %M" -o "$build/bench.time" "$build/odlar" -r "$out/empty.pcap" -l "$out" \
        --runmode single "${rule_args[@]}" > /dev/null 2> "$build/bench.err" || true
    read -r cold_s cold_rss < "$build/bench.time"
    summary=$(grep -o '[0-9]* rules successfully loaded, [0-9]* rules failed' "$build/bench.err" | tail -1)
    read -r load_s load_rss < <(best "$build/odlar" -r "$out/empty.pcap" -l "$out" --runmode single "${rule_args[@]}")
    echo "bench: ET Open: ${summary:-no load summary}"
    printf '%-34s %8.2f s (cold) %8.2f s (best of %s) %8.0f MiB peak\n' "odlar ET Open load + build" \
        "$cold_s" "$load_s" "$runs" "$(awk "BEGIN{print $load_rss/1024}")"
    read -r s rss < <(best "$build/odlar" -r "$corpus" -l "$out" --runmode single "${rule_args[@]}")
    report "odlar ET Open, single thread" "$s" "$rss"
    python3 - "$out/eve.json" <<'PY'
import collections, json, sys
n, sids, msg = 0, collections.Counter(), {}
with open(sys.argv[1], 'rb') as f:
    for line in f:
        if b'"event_type":"alert"' not in line:
            continue
        a = json.loads(line).get('alert', {})
        n += 1
        key = (a.get('gid', 1), a.get('signature_id'))
        sids[key] += 1
        msg[key] = a.get('signature', '')
print(f'bench: ET Open alerts on the corpus: {n}')
for (gid, sid), c in sids.most_common(10):
    print(f'  {c:10d}  {gid}:{sid}  {msg[(gid, sid)]}')
PY
else
    echo "bench: $etopen/*.rules not found; skipping the rules section"
fi
