#!/usr/bin/env bash
# Tabulates a callgrind run of sd-pass-bench (see bench/sd-pass-bench.c):
# one line per measurement dump (database:buffer set:variant) with its
# instruction count and, for the variants, the change against `lit` of the
# same database and set.
#
#   bench/sd-pass-callgrind.sh /tmp/sdp.<pid>
set -euo pipefail
base=${1:?usage: sd-pass-callgrind.sh CALLGRIND_OUT_BASE}
for f in "$base".*; do
    desc=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
    [ -n "$desc" ] || continue
    ir=$(sed -n 's/^totals: //p; s/^summary: //p' "$f" | head -1)
    echo "${f##*.} $desc ${ir:-0}"
done | sort -n | awk '{
    split($2, k, ":"); pair = k[1] ":" k[2]
    if (k[3] == "lit") lit[pair] = $3
    if (k[3] == "lit" || !(pair in lit) || lit[pair] == 0)
        printf "%-36s %14d\n", $2, $3
    else
        printf "%-36s %14d  %+7.1f%% vs lit\n", $2, $3, ($3 - lit[pair]) / lit[pair] * 100
}'
