#!/bin/sh
# Fuzz the parsers that take hostile input: build the targets if needed,
# make the seeds from the build's outputs, run each target for SECONDS.
# Usage: tests/fuzz/run.sh [SECONDS]   (default 10; as many at once as CPUs)
#
# Prints "PASS fuzz_x (N runs, cov: C)" or "FAIL fuzz_x: ..., reproducer at
# PATH" per target, and "fuzz: N passed, N failed"; "SKIP: fuzzing NOT RUN"
# when clang cannot build libFuzzer targets. A reproducer is replayed with
#   build/fuzz/fuzz_x PATH
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-10}
dir=build/fuzz
targets="elf sym sig board devspec files snap batch net hc oci"
pass=0 fail=0

skip() {
    echo "SKIP: fuzzing NOT RUN: $*"
    echo "fuzz: 0 passed, 0 failed"
    exit 0
}

# can_fuzz: does clang link a libFuzzer target with ASan and UBSan?
can_fuzz() {
    t=$(mktemp -d) || return 1
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
        '{ return (int)(d && n) - (int)(d && n); }' >"$t/t.c"
    clang -fsanitize=fuzzer,address,undefined "$t/t.c" -o "$t/t" \
        >/dev/null 2>&1
    st=$?
    rm -rf "$t"
    return $st
}

command -v clang >/dev/null 2>&1 || skip "no clang"
cv=$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' |
    head -n 1)
can_fuzz || skip "clang ${cv:-?} cannot link libFuzzer with ASan and UBSan" \
    "(they are in its compiler-rt, Debian package libclang-rt-${cv:-N}-dev:" \
    "make deps-test installs it)"
mkdir -p "$dir"
if ! make -s --no-print-directory fuzz-build >"$dir/build.log" 2>&1; then
    cat "$dir/build.log"
    echo "FAIL fuzz build (log above)"
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi
rm -rf "$dir/corpus"
if command -v python3 >/dev/null 2>&1; then
    python3 tests/fuzz/seeds.py "$dir/corpus" build ||
        echo "note: seeds.py failed: fuzzing from empty corpora"
else
    echo "note: no python3: fuzzing from empty corpora"
fi
mkdir -p "$dir/logs" "$dir/crashes"
trust=build/keys/test.key.pub
[ -f "$trust" ] || trust=

# fuzz T: run target T for secs; its output goes to its log
fuzz() {
    mkdir -p "$dir/work/$1" "$dir/corpus/$1"
    MOTE_FUZZ_TRUST=$trust UBSAN_OPTIONS=print_stacktrace=1 \
        "$dir/fuzz_$1" -max_total_time="$secs" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$dir/crashes/fuzz_$1-" \
        "$dir/work/$1" "$dir/corpus/$1" >"$dir/logs/fuzz_$1.log" 2>&1
    echo $? >"$dir/logs/fuzz_$1.rc"
}

# report T: one line for target T from its log
report() {
    log=$dir/logs/fuzz_$1.log
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ "$(cat "$dir/logs/fuzz_$1.rc")" = 0 ]; then
        echo "PASS fuzz_$1 (${runs:-?} runs, ${cov:-cov: ?})"
        pass=$((pass + 1))
        return
    fi
    grep -E 'invariant failed|^SUMMARY|runtime error' "$log" | head -n 3
    repro=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
    echo "FAIL fuzz_$1: crash, reproducer at ${repro:-(none: see $log)}"
    fail=$((fail + 1))
}

n=$(nproc 2>/dev/null || echo 1)
set -- $targets # word splitting wanted: the names
while [ $# -gt 0 ]; do
    batch='' k=0
    while [ $# -gt 0 ] && [ $k -lt "$n" ]; do
        fuzz "$1" &
        batch="$batch $1" k=$((k + 1))
        shift
    done
    wait
    for t in $batch; do report "$t"; done
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
