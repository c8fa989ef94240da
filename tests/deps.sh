#!/bin/sh
# The Debian package selection (.ci/select-deps over .ci/deps) against the
# real package indexes of systems mote supports; no KVM, no root, nothing
# installed. By default Debian 12 (bookworm) and 13 (trixie), amd64 and
# arm64, main, from the Debian mirror this machine's apt uses (its first
# enabled 'deb' entry for a release with the main component, with its
# Signed-By; MOTE_APT_ETC=DIR reads DIR instead of /etc/apt). Each index
# is fetched once by apt-get update on a private apt state in
# build/deps-index/SYSTEM/ (10 MB to fetch, 60 MB kept with apt's cache;
# signatures checked as apt checks them); MOTE_DEPS_REFETCH=1 fetches
# again. A system whose index cannot be fetched is a loud SKIP.
#
# For each system, the selection for a machine with nothing installed:
#  - picks every build package (what make demo needs);
#  - picks only packages in that index, at its version (read from the
#    Packages files themselves, not through apt-cache);
#  - picks the compiler-rt of the index's clang: libclang-rt-N-dev for the
#    clang-N that the clang package depends on, of clang-N's version;
#  - keeps test-only packages out of the build set, and out of everything
#    apt would install for it (apt-get -s);
#  - can be installed whole (apt-get -s install of every set at once).
#
# Usage: tests/deps.sh [NAME=ARCH,URI,SUITE,COMPONENTS[,KEYRING]]...
# checks those systems instead (COMPONENTS joined with +), for instance
#   ubuntu-24.04-amd64=amd64,http://archive.ubuntu.com/ubuntu,noble,main+universe,KEYRING
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=tests/apt.inc
. tests/apt.inc
pass=0 fail=0
log=$(mktemp) || exit 2
trap 'rm -f "$log" "$log".*' EXIT

# (counted at the end, from the lines)
ok() { echo "PASS $1"; }
bad() {
    echo "FAIL $1"
    [ -z "${2:-}" ] || echo "$2" | sed 's/^/    | /'
}

# index: "PACKAGE VERSION DEPENDS..." of every package in $st's indexes,
# read from the Packages files themselves (apt-helper decompresses)
index() {
    helper=/usr/lib/apt/apt-helper
    indexes | while read -r f; do "$helper" cat-file "$f"; done | awk '
        /^Package: / { p = $2 }
        /^Version: / { v = $2 }
        /^Depends: / { d = substr($0, 10) }
        /^$/ { if (p != "") print p, v, d; p = v = d = "" }
        END { if (p != "") print p, v, d }'
}

# upstream VERSION: without epoch and Debian revision
upstream() {
    echo "$1" | sed 's/^[0-9]*://; s/-[^-]*$//'
}

# check NAME: every check on system NAME, whose state is $st
check() {
    n=$1
    sel=$log.sel
    if .ci/select-deps --fresh --apt-config "$st/apt.conf" build test bench \
        >"$sel" 2>"$log.err"; then
        ok "$n: .ci/select-deps ran on its index"
    else
        bad "$n: .ci/select-deps failed" "$(cat "$log.err")"
        return
    fi
    index >"$log.index"
    picks=$(awk 'NR > 1 && $3 != "-" { print $2 }' "$sel" | sort -u)
    build=$(awk 'NR > 1 && $1 == "build" && $3 != "-" { print $2 }' "$sel")
    testonly=$(awk 'NR > 1 && $1 != "build" && $3 != "-" { print $2 }' \
        "$sel" | sort -u)

    m=$(awk 'NR > 1 && $1 == "build" && $3 == "-" { print $2 }' "$sel")
    [ -z "$m" ] && ok "$n: every build package is there" ||
        bad "$n: build packages missing:" "$m"
    m=$(awk 'NR > 1 && $3 == "-" { print $2 }' "$sel")
    # shellcheck disable=SC2086 # one line
    [ -z "$m" ] || echo "note: $n: not in its index, SKIPs there:" $m

    wrong=$(awk 'FNR == NR { v[$1] = $2; next }
        FNR > 1 && $3 != "-" && v[$2] != $3 {
            print $2, $3, "(the index:", (v[$2] != "" ? v[$2] : "none") ")" }' \
        "$log.index" "$sel")
    k=$(echo "$picks" | wc -l)
    [ -z "$wrong" ] &&
        ok "$n: every package picked is in its index, at that version ($k)" ||
        bad "$n: packages picked that the index does not have" "$wrong"

    ic=$(awk '$1 == "clang" { for (i = 3; i <= NF; i++) { d = $i
        sub(/,$/, "", d); if (d ~ /^clang-[0-9]+$/) { print substr(d, 7)
        exit } } }' "$log.index")
    sc=$(awk 'NR == 1 { print $2 }' "$sel")
    rt=$(awk 'NR > 1 && $2 ~ /^libclang-rt-/ && $3 != "-" { print $2, $3 }' \
        "$sel")
    cv=$(awk -v p="clang-$ic" '$1 == p { print $2; exit }' "$log.index")
    if [ -n "$ic" ] && [ "$sc" = "$ic" ] &&
        [ "${rt%% *}" = "libclang-rt-$ic-dev" ] &&
        [ "$(upstream "${rt#* }")" = "$(upstream "$cv")" ]; then
        ok "$n: clang $ic: compiler-rt ${rt%% *} ${rt#* }, clang-$ic $cv"
    else
        bad "$n: the compiler-rt is not the index's clang's" "index: clang" \
            "depends on clang-${ic:-?} (${cv:-?}); picked: clang $sc," \
            "${rt:-no compiler-rt}"
    fi

    both=$(echo "$build" | grep -Fx -e "$testonly")
    [ -z "$both" ] && ok "$n: no test-only package in the build set" ||
        bad "$n: test-only packages in the build set" "$both"

    # shellcheck disable=SC2086 # package names
    papt apt-get -s install --no-install-recommends $build >"$log.sim" 2>&1
    pulled=$(sed -n 's/^Inst \([^ ]*\).*/\1/p' "$log.sim" | sed 's/:.*//' |
        grep -Fx -e "$testonly")
    k=$(grep -c '^Inst ' "$log.sim")
    if [ "$k" = 0 ]; then
        bad "$n: apt-get -s install of the build set" "$(tail -n 5 "$log.sim")"
    elif [ -n "$pulled" ]; then
        bad "$n: make demo's packages pull in test-only ones" "$pulled"
    else
        ok "$n: what make demo installs holds no test-only package ($k)"
    fi

    # shellcheck disable=SC2086
    if papt apt-get -s install --no-install-recommends $picks \
        >"$log.sim" 2>&1; then
        ok "$n: build, test and bench packages install together"
    else
        bad "$n: apt-get -s install of every set" "$(tail -n 8 "$log.sim")"
    fi
}

# system SPEC: fetch and check one system
system() {
    n=${1%%=*}
    old=$IFS; IFS=,
    # shellcheck disable=SC2086 # split at commas
    set -- ${1#*=}
    IFS=$old
    if [ $# -lt 4 ]; then
        bad "$n: not ARCH,URI,SUITE,COMPONENTS[,KEYRING]: $*"
        return
    fi
    state "$n" "$1" "$2" "$3" "$4" "${5:--}" ||
        { bad "$n: cannot write $cache/$n"; return; }
    if ! fetch; then
        echo "SKIP: $n NOT CHECKED: its index could not be fetched from $2" \
            "($3, $4, $1): $(grep -E '^(E|W):' "$st/update.log" | head -n 1)"
        return
    fi
    check "$n"
}

if [ $# -eq 0 ]; then
    # shellcheck disable=SC2046 # URI and KEYRING
    set -- $(mirror | head -n 1)
    if [ $# -lt 2 ]; then
        echo "SKIP: package selection NOT CHECKED: no Debian mirror in this" \
            "machine's apt sources"
        echo "package selection: 0 passed, 0 failed"
        exit 0
    fi
    uri=$1 key=$2
    set --
    for s in 12=bookworm 13=trixie; do
        for a in amd64 arm64; do
            set -- "$@" "debian-${s%%=*}-$a=$a,$uri,${s#*=},main,$key"
        done
    done
fi
# one I SPEC: system SPEC, with temporary files of its own, into $log.I.out
one() {
    log=$log.$1
    system "$2" >"$log.out" 2>&1
}

# The systems side by side; their lines in order, then counted.
i=0
for spec in "$@"; do
    i=$((i + 1))
    one $i "$spec" &
done
wait
j=0
while [ $j -lt $i ]; do
    j=$((j + 1))
    cat "$log.$j.out"
    pass=$((pass + $(grep -c '^PASS' "$log.$j.out")))
    fail=$((fail + $(grep -c '^FAIL' "$log.$j.out")))
done
echo "package selection: $pass passed, $fail failed"
[ "$fail" = 0 ]
