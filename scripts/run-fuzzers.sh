#!/usr/bin/env bash
# Runs every libFuzzer harness built in BUILD_DIR for SECONDS each.
#   scripts/run-fuzzers.sh BUILD_DIR SECONDS
# Seeds come from fuzz/corpus/<name>/ and, when fuzz/make-seeds.py made
# them from the test captures, from $FUZZ_SEEDS/<name>/ (default
# build/fuzz-seeds); new inputs are kept in BUILD_DIR/corpus/<name>/. A crash fails the run and leaves the input in
# BUILD_DIR/crashes/.
set -euo pipefail
build=${1:?build dir}
seconds=${2:-15}
extra_seeds=${FUZZ_SEEDS:-build/fuzz-seeds}
mkdir -p "$build/crashes"
found=0
for bin in "$build"/fuzz/fuzz_*; do
    [ -f "$bin" ] && [ -x "$bin" ] || continue
    name=$(basename "$bin")
    found=1
    corpus="$build/corpus/$name"
    mkdir -p "$corpus"
    seeds=()
    [ -d "fuzz/corpus/${name#fuzz_}" ] && seeds+=("fuzz/corpus/${name#fuzz_}")
    [ -d "$extra_seeds/${name#fuzz_}" ] && seeds+=("$extra_seeds/${name#fuzz_}")
    echo "fuzz: $name for ${seconds}s"
    if ! "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -artifact_prefix="$build/crashes/$name-" \
            "$corpus" "${seeds[@]}" > "$build/$name.log" 2>&1; then
        tail -n 40 "$build/$name.log"
        echo "fuzz: $name FAILED (input saved under $build/crashes/)" >&2
        exit 1
    fi
    grep -E '^(#[0-9]+\s+DONE|Done)' "$build/$name.log" | tail -n 1 || true
done
[ "$found" = 1 ] || { echo "fuzz: no harnesses built in $build/fuzz" >&2; exit 1; }
echo "fuzz: all harnesses ran clean"
