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
