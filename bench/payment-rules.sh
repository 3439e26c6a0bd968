#!/usr/bin/env bash
# The cost of rules/payment-data.rules (sd_pattern) on top of ET Open: the
# 1 GB corpus read single-threaded with ET Open alone, then with ET Open plus
# the payment-data rules, best of $RUNS wall-clock runs each; prints both
# times, the slowdown in percent and the payment alerts raised (the corpus
# is real traffic: any alert is listed for review). The budget is 10%.
# Both wall-clock and CPU (user + system) seconds are reported: on a shared,
# loaded machine the CPU figure is the one to trust.
#
#   bench/payment-rules.sh            (BUILD=build-x, RUNS=n, ETOPEN=dir)
#
# Uses the corpus bench/run.sh builds (bench/corpus/corpus-1024mb.pcap).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-bench/corpus/corpus-1024mb.pcap}
build=${BUILD:-build}
runs=${RUNS:-3}
etopen=${ETOPEN:-../shared/rules/et-open}
[ -s "$corpus" ] || { echo "payment-rules: $corpus missing (run bench/run.sh once)" >&2; exit 1; }
compgen -G "$etopen/*.rules" > /dev/null || { echo "payment-rules: no ET Open in $etopen" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat "$etopen"/*.rules > "$out/etopen.rules"
cat "$out/etopen.rules" rules/payment-data.rules > "$out/etopen-payment.rules"
common=(-r "$corpus" -l "$out" --runmode single --set vars.address-groups.HOME_NET=any
    --set vars.address-groups.EXTERNAL_NET=any --set outputs.0.fast.enabled=no)
[ -f "$etopen/classification.config" ] && common+=(--set "classification-file=$etopen/classification.config")

best() { # rules file -> "wall cpu" seconds, best of $runs (each minimum on its own)
    local best_w="" best_c="" w u sy c
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S" -o "$out/time" "$build/odlar" "${common[@]}" -S "$1" > /dev/null 2> "$out/err" || {
            cat "$out/err" >&2; return 1; }
        read -r w u sy < "$out/time"
        c=$(awk -v u="$u" -v s="$sy" 'BEGIN{print u + s}')
        if [ -z "$best_w" ] || awk "BEGIN{exit !($w < $best_w)}"; then best_w=$w; fi
        if [ -z "$best_c" ] || awk "BEGIN{exit !($c < $best_c)}"; then best_c=$c; fi
    done
    echo "$best_w $best_c"
}

read -r base_w base_c < <(best "$out/etopen.rules")
read -r with_w with_c < <(best "$out/etopen-payment.rules")
awk -v bw="$base_w" -v bc="$base_c" -v ww="$with_w" -v wc="$with_c" -v r="$runs" 'BEGIN {
    printf "payment-rules: ET Open %.2f s wall %.2f s cpu; ET Open + payment-data.rules %.2f s wall %.2f s cpu (best of %d)\n", bw, bc, ww, wc, r
    printf "payment-rules: slowdown %+.1f%% cpu, %+.1f%% wall (budget +10%%)\n", (wc - bc) / bc * 100, (ww - bw) / bw * 100 }'
python3 - "$out/eve.json" <<'PY'
import collections, json, sys
hits = collections.Counter()
with open(sys.argv[1], 'rb') as f:
    for line in f:
        if b'"sd_pattern"' in line and b'"event_type":"alert"' in line:
            a = json.loads(line)['alert']
            hits[(a['signature_id'], a['signature'], tuple(a['sd_pattern']['matches'][:3]))] += 1
print(f'payment-rules: payment-data alerts on the corpus: {sum(hits.values())}')
for (sid, msg, shown), c in hits.most_common(20):
    print(f'  {c:6d}  {sid}  {msg}  {", ".join(shown)}')
PY
