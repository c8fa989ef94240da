#!/bin/sh
# Boot every guest test in CASES with MOTE and check status and output.
# Usage: run.sh MOTE ELFDIR CASES [ARCH]
# Each case is run under "timeout" (MOTE_TEST_TIMEOUT seconds, default 60)
# with MOTE_RUN_FLAGS added to every mote run (e.g. --trust KEY.pub).
# POSIX sh: it also runs under busybox inside the ARM64 lab.
mote=$1 dir=$2 cases=$3 arch=${4:-$(uname -m)}
[ -x "$mote" ] && [ -d "$dir" ] && [ -f "$cases" ] || {
    echo "usage: run.sh MOTE ELFDIR CASES [ARCH]" >&2; exit 2; }
pass=0 fail=0 skip=0 out=${TMPDIR:-/tmp}/mote-guest.$$
limit=${MOTE_TEST_TIMEOUT:-60}

# contains OUTPUT PATTERNS: true if any ^-separated pattern occurs
contains() {
    [ -z "$2" ] && return 0
    rest=$2
    while :; do
        p=${rest%%^*}
        case $1 in *"$p"*) return 0 ;; esac
        [ "$p" = "$rest" ] && return 1
        rest=${rest#*^}
    done
}

# status_ok GOT WANTED: true if GOT is one of the ^-separated WANTED
status_ok() {
    case "^$2^" in *"^$1^"*) return 0 ;; esac
    return 1
}

# @DISK@ in the options stands for a fresh 1 MiB disk image
disk=${TMPDIR:-/tmp}/mote-disk.$$.img

# @TAP@ stands for a TAP, mtapg, at 10.0.0.1/24 in a network namespace of
# its own (with MOTE_NET_NONS=1 in this one: the ARM64 lab is a throwaway
# machine). tap_up sets nsx, the prefix that runs a command beside it.
ns=mote-guest-$$ tap=mtapg nsx=
tap_up() {
    if [ "${MOTE_NET_NONS:-}" != 1 ]; then
        ip netns add "$ns" 2>/dev/null || return 1
        nsx="ip netns exec $ns"
    fi
    { $nsx ip tuntap add dev $tap mode tap 2>/dev/null ||
        $nsx tunctl -t $tap >/dev/null 2>&1; } &&
        $nsx ip addr add 10.0.0.1/24 dev $tap && $nsx ip link set $tap up
}
tap_down() {
    if [ -n "$nsx" ]; then ip netns del "$ns"; else ip link del $tap; fi
    nsx=
} 2>/dev/null

# A pattern "exits-per-request<=B": the case runs with MOTE_TIMING=1, the
# guest prints "requests R", and mote's "mote-timing: exits N" over R must
# be at most B (exits counted, not time).
per_request() { # OUTPUT-FILE BOUND: 0 if within, printing the ratio
    awk -v b="$2" '$1 == "requests" { r = $2 }
        $1 == "mote-timing:" && $2 == "exits" { e = $3 }
        END { if (r < 1 || e == "") { print "no counts"; exit 1 }
              printf "%d exits / %d requests = %.4f\n", e, r, e / r
              exit !(e / r <= b) }' "$1"
}

run_case() { # elf want pattern opts args [stdin]
    name="$1 $4 $5"
    opts=$4
    case $opts in
    *@DISK@*)
        dd if=/dev/zero of="$disk" bs=1024 count=1024 2>/dev/null
        opts=$(echo "$opts" | sed "s|@DISK@|$disk|g") ;;
    esac
    case $opts in
    *@TAP@*)
        if ! tap_up; then
            tap_down
            skip=$((skip + 1))
            echo "SKIP: $name: cannot make a TAP (needs root, ip, /dev/net/tun)"
            return
        fi
        opts=$(echo "$opts" | sed "s|@TAP@|$tap|g") ;;
    esac
    # shellcheck disable=SC2086
    printf '%s' "$6" | tr '^' '\n' >"$out.in"
    timing=
    case $3 in exits-per-request\<=*) timing=1 ;; esac
    $nsx env ${timing:+MOTE_TIMING=1} timeout "$limit" "$mote" run $MOTE_RUN_FLAGS $opts "$dir/$1.elf" ${5:+--} $5 <"$out.in" >"$out" 2>&1
    got=$?
    case $4 in *@TAP@*) tap_down ;; esac
    if ! status_ok "$got" "$2"; then
        why="exit status $got, want $2"
    elif [ -n "$timing" ]; then
        if ratio=$(per_request "$out" "${3#*<=}"); then
            pass=$((pass + 1)); echo "PASS $name: $ratio"; return
        fi
        why="exits per request over ${3#*<=}: $ratio"
    elif ! contains "$(cat "$out")" "$3"; then
        why="output lacks '$3'"
    else
        pass=$((pass + 1)); echo "PASS $name"; return
    fi
    fail=$((fail + 1)); echo "FAIL $name: $why"; sed 's/^/    | /' "$out"
}

while IFS='|' read -r elf want pattern opts args input; do
    case $elf in ''|'#'*) continue ;; esac
    case $elf in
    *:*) [ "${elf%%:*}" = "$arch" ] || continue; elf=${elf#*:} ;;
    esac
    run_case "$elf" "$want" "$pattern" "$opts" "$args" "$input"
done <"$cases"
rm -f "$out" "$out.in" "$disk"
echo "guest tests ($arch): $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
