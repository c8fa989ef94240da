#!/bin/sh
# Inside the ARM64 (and x86) lab: the network tests of tests/net under
# real KVM, summed into one counted line, "network tests ($(uname -m)): N
# passed, N failed". Each test's own closing line is left out so nothing
# is counted twice; its SKIP: lines are kept.
#
#   sh net.sh MOTE ELFDIR NETDIR          run them, NET_LANES (default 2)
#                                         at once, and print the results
#   sh net.sh MOTE ELFDIR NETDIR queue    only queue them, for lanes that
#   sh net.sh MOTE ELFDIR NETDIR lane     the caller runs (each runs queued
#                                         tests until none are left; they
#                                         may start at different times)
#   sh net.sh MOTE ELFDIR NETDIR report   print what the lanes ran
# NETDIR: the staged tests/net.
#
# Each test runs in a network namespace of its own (busybox unshare -n;
# inside it MOTE_NET_NONS=1: the tests make their TAP where they are), so
# several run at once without seeing each other's TAP: most of their time
# is spent waiting (time limits, idle checks, slow clients), not
# computing. The longest start first; each test's output is printed whole,
# in the order of the list below. Without unshare they run one at a time.
mote=$1 dir=$2 net=$3
export MOTE_NET_NONS=1 UDPCHECK="${UDPCHECK:-./udpcheck}" \
    TCPCHECK="${TCPCHECK:-./tcpcheck}" HOSTILE="${HOSTILE:-./hostile}"
log=/tmp/lab-net
counts='s/^network: .*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p'
# longest first (as measured in the lab), so that lanes end together
tests="hostile https mqtt ipv6 migrate sockapi tcp kvstore udp-echo sensor
    console dhcp"
ns=
unshare -n true 2>/dev/null && ns="unshare -n"

queue() {
    rm -rf "$log".*
    if [ ! -c /dev/net/tun ]; then
        : >"$log.notun"
        return
    fi
    for t in $tests; do echo "$t"; done >"$log.queue"
}

# take: the next test from the queue into $t (mkdir is the lock); 1 when
# the queue is empty
take() {
    until mkdir "$log.lock" 2>/dev/null; do sleep 0.05; done
    t=$(head -n 1 "$log.queue" 2>/dev/null)
    [ -z "$t" ] || sed -i 1d "$log.queue"
    rmdir "$log.lock"
    [ -n "$t" ]
}

lane() {
    while take; do
        t0=$(cut -d' ' -f1 /proc/uptime)
        $ns sh "$net/$t.sh" "$mote" "$dir" >"$log.$t" 2>&1
        echo $? >"$log.$t.st"
        awk -v t0="$t0" '{printf "%.1f\n", $1 - t0}' /proc/uptime \
            >"$log.$t.s"
    done
}

report() {
    pass=0 fail=0
    if [ -f "$log.notun" ]; then
        echo "SKIP: network tests ($(uname -m)) NOT RUN: no /dev/net/tun" \
            "in the lab (tun.ko not staged or not loaded)"
        echo "network tests ($(uname -m)): 0 passed, 0 failed"
        return 0
    fi
    for t in $tests; do
        echo "--- network: $t"
        if [ ! -f "$log.$t.st" ]; then
            echo "FAIL network: $t: never run"
            fail=$((fail + 1))
            continue
        fi
        grep -v '^network: .*: [0-9]* passed, [0-9]* failed$' "$log.$t"
        set -- $(sed -n "$counts" "$log.$t") ""
        if [ -n "$1" ]; then
            pass=$((pass + $1)) fail=$((fail + $2))
        else
            echo "FAIL network: $t: no result line (status $(cat "$log.$t.st"))"
            fail=$((fail + 1))
        fi
        echo "    ($t took $(cat "$log.$t.s") s)"
    done
    echo "network tests ($(uname -m)): $pass passed, $fail failed"
    [ "$fail" = 0 ]
}

case ${4:-} in
queue) queue ;;
lane) lane ;;
report) report ;;
"")
    queue
    lanes=${NET_LANES:-2}
    [ -n "$ns" ] || lanes=1
    i=0
    while [ $i -lt "$lanes" ]; do
        lane &
        i=$((i + 1))
    done
    wait
    report ;;
*) echo "usage: net.sh MOTE ELFDIR NETDIR [queue|lane|report]" >&2; exit 2 ;;
esac
