#!/bin/sh
# make bench: every figure beside its floor measured in the same run, as a
# ratio. Usage: run.sh MOTE ARCH_BUILD_DIR BENCH_BUILD_DIR TRUSTED_PUB_KEY
# (images are run signed, from ARCH_BUILD_DIR/signed, verified by that key)
#
# Each figure is one fig_* function; a figure that cannot run yet calls
# unavailable() with the reason. Runs of a figure and its floor are
# interleaved round-robin by timeit, warm-up rounds are discarded, and each
# figure is the median with min and max. Nothing here asserts on time: the
# script fails only when something cannot run at all.
# Environment: BENCH_QUICK=1 for few rounds (a smoke run);
# BENCH_MAX_GUESTS (default 4096, 16 quick) bounds the concurrent-guest
# count;
# BENCH_FIGS="fig_alloc fig_clock ..." runs only those figures.
set -u
MOTE=$1 A=$2 B=$3 TRUST=$4
AS=$A/signed
RUN="$MOTE run --trust $TRUST"
RAW=$B/raw
FIGS=$RAW/figures.tsv
BIN=$B
START=$(date +%s)
rm -rf "$RAW" && mkdir -p "$RAW" || exit 1
: >"$FIGS"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
    BOOT_R=5 HC_R=2 HC_N=2000 DISK_R=2 DISK_OPS=512 DISK_MB=16 WARM=1
    NET_R=2 NET_N=200 TCP_MB=4 HTTP_N=200 HTTP_C=4 TLS_N=10
    BOTH_R=2 ALLOC_OPS=400000 MEM_MB=16 MEM_PASSES=1 CLOCK_N=1000000
    LIFE_R=3 LIFE_MB="1 8 32" OCI_R=3
    MAX_GUESTS=${BENCH_MAX_GUESTS:-16}
else
    BOOT_R=60 HC_R=9 HC_N=20000 DISK_R=7 DISK_OPS=8192 DISK_MB=256 WARM=2
    NET_R=7 NET_N=2000 TCP_MB=128 HTTP_N=5000 HTTP_C=8 TLS_N=200
    BOTH_R=7 ALLOC_OPS=4000000 MEM_MB=64 MEM_PASSES=8 CLOCK_N=10000000
    LIFE_R=9 LIFE_MB="1 8 32" OCI_R=9
    MAX_GUESTS=${BENCH_MAX_GUESTS:-4096}
fi

say() { echo "bench: $*" >&2; }

# timeit ID [timeit options and LABEL 'CMD' pairs]: runs into $RAW/ID.runs
timeit() {
    id=$1; shift
    mkdir -p "$RAW/$id"
    "$BIN/timeit" -O "$RAW/$id" "$@" >"$RAW/$id.runs"
}

# field ID LABEL COL: column COL of the kept runs (round >= 0, status 0)
field() {
    awk -v l="$2" -v c="$3" '$1 == l && $2 >= 0 && $5 == 0 { print $c }' \
        "$RAW/$1.runs"
}

# failures ID LABEL: how many kept runs did not exit 0, and the last status
failures() {
    awk -v l="$2" '$1 == l && $2 >= 0 && $5 != 0 { n++; s = $5 }
        END { if (n) print n " runs failed (last status " s ")" }' \
        "$RAW/$1.runs"
}

# outval ID LABEL KEY: the value after KEY in the output of each kept run
outval() {
    awk -v k="$3" '/^#run / { r = $2; next } r >= 0 && $1 == k { print $2 }' \
        "$RAW/$1/$2.out"
}

# scale FACTOR: multiply each number on stdin (or invert with "inv:K":
# K / value), for unit changes and throughput
scale() {
    awk -v f="$1" '{ if (f ~ /^inv:/) print substr(f, 5) / $1;
                     else print $1 * f }'
}

stats() { "$BIN/stats"; }

# record ID NAME UNIT "MOTE_STATS" FLOOR_NAME "FLOOR_STATS" CMD FLOOR_CMD
# [STATUS]: one figure; stats are "median min max n" as printed by stats.
record() {
    set -- "$@" "${9:-ok}"
    ratio=$(echo "$4 $6" | awk '$1 != "-" && $5 != "-" && $5 > 0 {
        printf "%.3g", $1 / $5; exit } { print "-" }')
    printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" "$6" \
        "$ratio" "$7" "$8" "$9" >>"$FIGS"
}

# unavailable ID NAME WHY: a figure that cannot be measured yet
unavailable() {
    printf '%s|%s|-|- - - 0|-|- - - 0|-|-|-|not yet available: %s\n' \
        "$1" "$2" "$3" >>"$FIGS"
}

# failed ID NAME WHY: a figure whose runs failed
failed() {
    printf '%s|%s|-|- - - 0|-|- - - 0|-|-|-|failed: %s\n' "$1" "$2" "$3" \
        >>"$FIGS"
}

. "$(dirname "$0")/figures.sh"
. "$(dirname "$0")/figures-libc.sh"
. "$(dirname "$0")/figures-net.sh"
. "$(dirname "$0")/figures-life.sh"
. "$(dirname "$0")/figures-oci.sh"

for f in ${BENCH_FIGS:-fig_boot fig_hypercall fig_disk fig_memory fig_guests \
    fig_net fig_tcp fig_http fig_tls fig_verify fig_restore fig_snapshot fig_migrate \
    fig_lua fig_alloc fig_memops fig_sha fig_clock fig_oci}; do
    say "$f"
    $f
done
. "$(dirname "$0")/report.sh"
report "$(($(date +%s) - START))"
