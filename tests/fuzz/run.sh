#!/bin/sh
# Fuzz the parsers that take hostile input: build the targets if needed,
# make the seeds from the build's outputs, run each target for SECONDS.
# Usage: tests/fuzz/run.sh [SECONDS]   (default 10)
#
# A campaign is set from the environment (make fuzz passes them on):
#   FUZZ_TARGETS  which targets, by name ("hc net"); default all of them:
#                 elf sym sig board devspec files snap batch net hc oci
#   FUZZ_JOBS     how many run at once; default the CPUs (nproc)
#   FUZZ_RUNS     an execution goal per target (libFuzzer's -runs): a
#                 target stops at FUZZ_RUNS executions or after SECONDS,
#                 whichever comes first; default none (SECONDS only)
# Each target's corpus is kept in build/fuzz/work/T from run to run, and
# the seeds (build/fuzz/corpus/T) are made afresh from the build.
#
# Prints "PASS fuzz_x (N runs, cov: C, E exec/s)" (N executions, C the
# coverage counters libFuzzer last reported, E the executions per second
# of the target's whole time, loading its corpus included) or "FAIL fuzz_x:
# ..., reproducer at PATH" per target, and "fuzz: N passed, N failed"; "SKIP:
# fuzzing NOT RUN" when clang cannot build libFuzzer targets. A reproducer
# is replayed with
#   build/fuzz/fuzz_x PATH
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-10}
dir=build/fuzz
all="elf sym sig board devspec files snap batch net hc oci"
targets=${FUZZ_TARGETS:-$all}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
runs=${FUZZ_RUNS:-}
pass=0 fail=0

# usage MSG: a bad setting stops the run before anything is built
usage() {
    echo "tests/fuzz/run.sh: $*" >&2
    exit 2
}

# positive N: is N a whole number above 0?
positive() {
    case $1 in '' | *[!0-9]* | 0*) return 1 ;; esac
}

positive "$secs" || usage "SECONDS must be a whole number above 0: '$secs'"
positive "$jobs" || usage "FUZZ_JOBS must be a whole number above 0: '$jobs'"
[ -z "$runs" ] || positive "$runs" ||
    usage "FUZZ_RUNS must be a whole number above 0: '$runs'"
for t in $targets; do
    case " $all " in
    *" $t "*) ;;
    *) usage "no fuzz target '$t' (of: $all)" ;;
    esac
done

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

# fuzz T: run target T for secs (or runs); its output goes to its log,
# its exit status and its time in milliseconds to files beside it
fuzz() {
    mkdir -p "$dir/work/$1" "$dir/corpus/$1"
    t0=$(date +%s%N)
    MOTE_FUZZ_TRUST=$trust UBSAN_OPTIONS=print_stacktrace=1 \
        "$dir/fuzz_$1" -max_total_time="$secs" ${runs:+-runs="$runs"} \
        -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$dir/crashes/fuzz_$1-" "$dir/work/$1" \
        "$dir/corpus/$1" >"$dir/logs/fuzz_$1.log" 2>&1
    echo $? >"$dir/logs/fuzz_$1.rc"
    echo $((($(date +%s%N) - t0) / 1000000)) >"$dir/logs/fuzz_$1.ms"
}

# report T: one line for target T from its log
report() {
    log=$dir/logs/fuzz_$1.log
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    ms=$(cat "$dir/logs/fuzz_$1.ms")
    rate=?
    [ -z "$n" ] || rate=$((n * 1000 / (ms > 0 ? ms : 1)))
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ "$(cat "$dir/logs/fuzz_$1.rc")" = 0 ]; then
        echo "PASS fuzz_$1 (${n:-?} runs, ${cov:-cov: ?}, $rate exec/s)"
        pass=$((pass + 1))
        return
    fi
    grep -E 'invariant failed|^SUMMARY|runtime error' "$log" | head -n 3
    repro=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
    echo "FAIL fuzz_$1: crash, reproducer at ${repro:-(none: see $log)}"
    fail=$((fail + 1))
}

set -- $targets # word splitting wanted: the names
while [ $# -gt 0 ]; do
    batch='' k=0
    while [ $# -gt 0 ] && [ $k -lt "$jobs" ]; do
        fuzz "$1" &
        batch="$batch $1" k=$((k + 1))
        shift
    done
    wait
    for t in $batch; do report "$t"; done
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
