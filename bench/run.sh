#!/usr/bin/env bash
# Odlar's benchmark. Builds (or reuses) the 1 GB corpus of real traffic,
# measures the libpcap floor on it, then Odlar's no-rules path (decode, flows,
# TCP reassembly, EVE flow + stats) single-threaded, and prints each time as
# a multiple of the floor -- the figure to track across machines.
#
#   bench/run.sh [CORPUS_MB]        (make bench)
#   BASELINE=/path/to/suricata [BASELINE_CONF=suricata.yaml] bench/run.sh
#                                   also runs that binary the same way (README)
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
cc -O2 -pthread -o "$build/cpu-scaling" bench/cpu-scaling.c

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
    read -r s rss < <(best "$BASELINE" -c "${BASELINE_CONF:-/etc/suricata/suricata.yaml}" -r "$corpus" -l "$out" \
        --disable-detection --runmode single)
    report "baseline no rules, single" "$s" "$rss"
fi

# --- rules: ET Open load time and throughput with ET Open ----------------
# ET Open (the *.rules of $ETOPEN, concatenated into a temp file) with
# HOME_NET/EXTERNAL_NET = any and EVE types alert, http, dns, tls, flow and
# stats (bench.yaml and outputs.yaml below: -c and --include over the
# built-in defaults). Load time
# is the whole rule load and engine build on an empty capture: "cold" with an
# empty compiled-database cache (detect.sgh-mpm-caching-path in a fresh
# folder), "warm" the best of $runs once the cache holds the databases. Then
# the corpus with those rules, one thread and 2 workers (in turns, best of
# $runs each); the alert count
# and the per-signature table come from the EVE log of the single-thread run
# (the whole table is kept in $build/bench-alerts.txt).
etopen=${ETOPEN:-../shared/rules/et-open}
if compgen -G "$etopen/*.rules" > /dev/null; then
    cat "$etopen"/*.rules > "$out/etopen.rules"
    head -c 24 "$corpus" > "$out/empty.pcap" # the pcap file header alone: no packets
    mkdir -p "$out/run"
    # the EVE types, given to Odlar and to a baseline alike with --include
    cat > "$out/outputs.yaml" <<YAML
%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filetype: regular
      filename: eve.json
      types:
        - alert
        - http
        - dns
        - tls
        - flow
        - stats
YAML
    cat > "$out/bench.yaml" <<YAML
%YAML 1.1
---
vars:
  address-groups:
    HOME_NET: any
    EXTERNAL_NET: any
detect:
  sgh-mpm-caching: yes
  sgh-mpm-caching-path: $out/sgh-cache
YAML
    rule_args=(-c "$out/bench.yaml" --include "$out/outputs.yaml" -S "$out/etopen.rules")
    [ -f "$etopen/classification.config" ] && rule_args+=(--set "classification-file=$etopen/classification.config")
    # two workers, pinned one to a CPU as Suricata pins its workers with
    # threading.set-cpu-affinity (README "Runmodes"): unpinned, the
    # scheduler moves them between the cores around the writer thread
    two_workers=(--runmode workers --set threading.set-cpu-affinity=yes
                 --set threading.cpu-affinity.worker-cpu-set.threads=2)
    # one single-thread run pinned the same way, its worker to CPU $1: the
    # rule load before it uses both CPUs, as the 2-worker run's does
    single_on_cpu() {
        echo --runmode single --set threading.set-cpu-affinity=yes \
            --set "threading.cpu-affinity.worker-cpu-set.cpu=$1"
    }
    /usr/bin/time -f "%e %M" -o "$build/bench.time" "$build/odlar" -r "$out/empty.pcap" -l "$out/run" \
        --runmode single "${rule_args[@]}" > "$build/bench.err" 2>&1 || true # the load notice is on stdout
    read -r cold_s cold_rss < "$build/bench.time"
    summary=$(grep -o '[0-9]* rules successfully loaded, [0-9]* rules failed' "$build/bench.err" | tail -1)
    read -r load_s load_rss < <(best "$build/odlar" -r "$out/empty.pcap" -l "$out/run" --runmode single "${rule_args[@]}")
    echo "bench: ET Open: ${summary:-no load summary}"
    printf '%-34s %8.2f s cold (empty cache) %8.2f s warm (cached, best of %s) %6.0f MiB peak\n' \
        "odlar ET Open load + build" "$cold_s" "$load_s" "$runs" "$(awk "BEGIN{print $load_rss/1024}")"
    # single thread and 2 workers in turns, best of $runs each: this VM's
    # speed drifts within minutes, and alternating exposes both runmodes to
    # the same drift (the EVE log kept is the first single-thread run's)
    # Each turn also measures what the machine itself gives two threads
    # (bench/cpu-scaling.c: pure arithmetic on one thread, then on two at
    # once): no program's 2-thread speed-up can beat it at that moment, and
    # on this VM it moves between about 1.5 and 2.0 within minutes.
    # and, once, the same for work that misses the caches: each thread walks
    # a random cycle through its own array, 8 MiB (the two share the
    # last-level cache) and 64 MiB (mostly memory)
    read -r _ _ mem8 < <("$build/cpu-scaling" --memory 8)
    read -r _ _ mem64 < <("$build/cpu-scaling" --memory 64)
    s1="" s2="" rss1=0 rss2=0 scal_lo="" scal_hi="" co0_best="" co1_best=""
    single_on=("" "")
    # two single-thread runs at once, pinned one to each CPU; prints each
    # one's wall time (CPU 0's, then CPU 1's)
    co_run() {
        mkdir -p "$out/co0" "$out/co1"
        /usr/bin/time -f "%e" -o "$out/co0.time" "$build/odlar" -r "$corpus" -l "$out/co0" \
            $(single_on_cpu 0) "${rule_args[@]}" > /dev/null 2>&1 &
        local first=$!
        /usr/bin/time -f "%e" -o "$out/co1.time" "$build/odlar" -r "$corpus" -l "$out/co1" \
            $(single_on_cpu 1) "${rule_args[@]}" > /dev/null 2>&1 || true
        wait "$first" || true
        rm -f "$out"/co0/eve.json "$out"/co1/eve.json
        echo "$(tail -1 "$out/co0.time") $(tail -1 "$out/co1.time")"
    }
    for i in $(seq "$runs"); do
        read -r _ _ scal < <("$build/cpu-scaling")
        rm -f "$out/run/eve.json"
        # the single-thread run alternates between the two CPUs (CPU 0 on
        # odd turns): a virtual machine's CPUs need not be equally fast, and
        # the best of them is the single-thread figure a user gets
        cpu=$(( (i - 1) % 2 ))
        read -r a r < <(RUNS=1 runs=1 best "$build/odlar" -r "$corpus" -l "$out/run" $(single_on_cpu "$cpu") "${rule_args[@]}")
        if [ -z "${single_on[$cpu]}" ] || awk "BEGIN{exit !($a < ${single_on[$cpu]})}"; then single_on[$cpu]=$a; fi
        if [ -z "$s1" ] || awk "BEGIN{exit !($a < $s1)}"; then s1=$a; fi
        [ "$r" -gt "$rss1" ] && rss1=$r
        [ "$i" = 1 ] && mv "$out/run/eve.json" "$out/odlar-eve.json"
        rm -f "$out/run/eve.json"
        read -r b r < <(RUNS=1 runs=1 best "$build/odlar" -r "$corpus" -l "$out/run" "${two_workers[@]}" "${rule_args[@]}")
        if [ -z "$s2" ] || awk "BEGIN{exit !($b < $s2)}"; then s2=$b; fi
        [ "$r" -gt "$rss2" ] && rss2=$r
        # the machine's two-thread figure for this very work: two
        # single-thread runs at once, one on each CPU, each with its own
        # engine and timed apart
        read -r co0 co1 < <(co_run)
        [ -z "$co0_best" ] || awk "BEGIN{exit !($co0 < $co0_best)}" && co0_best=$co0
        [ -z "$co1_best" ] || awk "BEGIN{exit !($co1 < $co1_best)}" && co1_best=$co1
        read -r _ _ scal2 < <("$build/cpu-scaling")
        scal=$(awk "BEGIN{print ($scal < $scal2) ? $scal : $scal2}")
        [ -z "$scal_lo" ] || awk "BEGIN{exit !($scal < $scal_lo)}" && scal_lo=$scal
        [ -z "$scal_hi" ] || awk "BEGIN{exit !($scal > $scal_hi)}" && scal_hi=$scal
        awk "BEGIN{printf \"  turn %d: single (CPU $cpu) %.2f s, 2 workers %.2f s: %.2fx; two singles at once %.2f s (CPU 0) and %.2f s (CPU 1): %.2fx; machine 2-thread scaling around it %.2fx\\n\", $i, $a, $b, $a/$b, $co0, $co1, $a/$co0 + $a/$co1, $scal}"
    done
    rm -f "$out/run/eve.json"
    report "odlar ET Open, single thread" "$s1" "$rss1"
    printf '%-34s %8.2f s on CPU 0, %.2f s on CPU 1 (best of its turns)\n' "odlar ET Open, single, by CPU" "${single_on[0]}" "${single_on[1]:-0}"
    report "odlar ET Open, 2 workers" "$s2" "$rss2"
    awk "BEGIN{printf \"%-34s %8.2fx the single-thread throughput\\n\", \"2 workers speed-up\", $s1/$s2}"
    # the ceiling for this work on this machine: what two single-thread
    # runs at once, one per CPU, get done together (the sum of their
    # speeds, each against the best single run alone; the two CPUs of a
    # virtual machine need not be equally fast)
    awk "BEGIN{printf \"%-34s %8.2fx (two single-thread runs at once, one per CPU: %.2f s on CPU 0, %.2f s on CPU 1, best of each); 2 workers reach %.0f%% of it\\n\", \"machine 2-thread scaling, this work\", $s1/$co0_best + $s1/$co1_best, $co0_best, $co1_best, 100*($s1/$s2)/($s1/$co0_best + $s1/$co1_best)}"
    printf '%-34s %8.2fx to %.2fx (bench/cpu-scaling: 2 threads of pure arithmetic against 1, lower of the probes before and after each turn)\n' \
        "machine 2-thread scaling" "$scal_lo" "$scal_hi"
    printf '%-34s %8.2fx (8 MiB each) %.2fx (64 MiB each) (bench/cpu-scaling --memory: 2 threads walking memory against 1)\n' \
        "machine 2-thread memory scaling" "$mem8" "$mem64"
    # the same without the rule load (the warm load time above), which
    # both runs spend on one thread before the first packet
    awk "BEGIN{printf \"%-34s %8.2fx (packet processing alone: run time less the %.2f s warm load)\\n\", \"2 workers speed-up, processing\", ($s1-$load_s)/($s2-$load_s), $load_s}"
    if [ -n "${BASELINE:-}" ]; then
        # The baseline reads its own suricata.yaml (BASELINE_CONF) with the
        # bench's outputs.yaml laid over it by --include, and the address
        # groups by --set: Suricata reads an --include as if it stood at the end of
        # the file, so a `vars:` there would replace all of the file's vars,
        # port groups included, and ET Open's $HTTP_PORTS rules would fail.
        base_conf=${BASELINE_CONF:-/etc/suricata/suricata.yaml}
        base_args=(-c "$base_conf" --include "$out/outputs.yaml" -S "$out/etopen.rules"
                   --set vars.address-groups.HOME_NET=any --set vars.address-groups.EXTERNAL_NET=any)
        /usr/bin/time -f "%e %M" -o "$build/bench.time" "$BASELINE" "${base_args[@]}" \
            -r "$out/empty.pcap" -l "$out/run" > "$build/bench.err" 2>&1 || true
        read -r bl_s bl_rss < "$build/bench.time"
        printf '%-34s %8.2f s (%.1fx odlar cold, %.1fx odlar warm) %6.0f MiB peak\n' "baseline ET Open load + build" \
            "$bl_s" "$(awk "BEGIN{print $bl_s/$cold_s}")" "$(awk "BEGIN{print $bl_s/$load_s}")" \
            "$(awk "BEGIN{print $bl_rss/1024}")"
        rm -f "$out/run/eve.json"
        read -r b1 brss1 < <(RUNS=1 runs=1 best "$BASELINE" "${base_args[@]}" -r "$corpus" -l "$out/run" \
            --runmode single)
        report "baseline ET Open, single thread" "$b1" "$brss1"
        mv "$out/run/eve.json" "$out/baseline-eve.json"
        # Suricata reads a capture file with `single` or `autofp` (one
        # reader thread, detection threads as threading.* sizes them: two
        # on two cores)
        read -r b2 brss2 < <(RUNS=1 runs=1 best "$BASELINE" "${base_args[@]}" -r "$corpus" -l "$out/run" \
            --runmode autofp)
        rm -f "$out/run/eve.json"
        report "baseline ET Open, autofp" "$b2" "$brss2"
        awk "BEGIN{printf \"%-34s %8.2fx single thread, %.2fx with 2 workers against its autofp (baseline time / odlar time); peak RSS %.2fx / %.2fx of the baseline's\\n\", \"odlar speed vs baseline\", $b1/$s1, $b2/$s2, $rss1/$brss1, $rss2/$brss2}"
    fi
    python3 - "$out/odlar-eve.json" "${BASELINE:+$out/baseline-eve.json}" "$build/bench-alerts.txt" <<'PY'
import collections, json, sys
def table(path):
    sids, msg = collections.Counter(), {}
    with open(path, 'rb') as f:
        for line in f:
            if b'"event_type":"alert"' not in line:
                continue
            a = json.loads(line).get('alert', {})
            key = (a.get('gid', 1), a.get('signature_id'))
            sids[key] += 1
            msg[key] = a.get('signature', '')
    return sids, msg
odlar, msg = table(sys.argv[1])
base, bmsg = table(sys.argv[2]) if sys.argv[2] else (None, {})
msg.update({k: v for k, v in bmsg.items() if k not in msg})
keys = sorted(set(odlar) | set(base or {}), key=lambda k: (-odlar[k], k))
with open(sys.argv[3], 'w') as out:
    out.write('odlar\tbaseline\tgid:sid\tsignature\n' if base is not None else 'odlar\tgid:sid\tsignature\n')
    for k in keys:
        b = f'{base[k]}\t' if base is not None else ''
        out.write(f'{odlar[k]}\t{b}{k[0]}:{k[1]}\t{msg.get(k, "")}\n')
print(f'bench: ET Open alerts on the corpus: {sum(odlar.values())} from {len(odlar)} signatures '
      f'(full table: {sys.argv[3]})')
for k in keys[:15]:
    b = f' baseline {base[k]:8d}' if base is not None else ''
    print(f'  {odlar[k]:10d}{b}  {k[0]}:{k[1]}  {msg.get(k, "")[:70]}')
if base is not None:
    diff = [k for k in keys if odlar[k] != base[k]]
    print(f'bench: {len(diff)} signatures alert a different number of times than the baseline:')
    for k in diff[:40]:
        print(f'  odlar {odlar[k]:8d}  baseline {base[k]:8d}  {k[0]}:{k[1]}  {msg.get(k, "")[:60]}')
PY
else
    echo "bench: $etopen/*.rules not found; skipping the rules section"
fi
