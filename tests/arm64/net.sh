#!/bin/sh
# Inside the ARM64 lab: the network tests of tests/net under real ARM64 KVM,
# without namespaces (the lab is a throwaway machine of its own), summed
# into one counted line, "network tests ($(uname -m)): N passed, N failed".
# Each test's own closing line is left out so nothing is counted twice;
# its SKIP: lines are kept.
#
#   sh net.sh MOTE ELFDIR NETDIR    NETDIR: the staged tests/net
mote=$1 dir=$2 net=$3
export MOTE_NET_NONS=1 UDPCHECK="${UDPCHECK:-./udpcheck}" \
    TCPCHECK="${TCPCHECK:-./tcpcheck}" HOSTILE="${HOSTILE:-./hostile}"
pass=0 fail=0 log=/tmp/lab-net.out
counts='s/^network: .*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p'

if [ ! -c /dev/net/tun ]; then
    echo "SKIP: network tests ($(uname -m)) NOT RUN: no /dev/net/tun in the lab" \
        "(tun.ko not staged or not loaded)"
fi
for t in udp-echo kvstore sensor dhcp tcp ipv6 console sockapi https mqtt hostile \
    migrate; do
    [ -c /dev/net/tun ] || break
    echo "--- network: $t"
    t0=$(cut -d' ' -f1 /proc/uptime)
    sh "$net/$t.sh" "$mote" "$dir" >"$log" 2>&1
    st=$?
    grep -v '^network: .*: [0-9]* passed, [0-9]* failed$' "$log"
    set -- $(sed -n "$counts" "$log") ""
    if [ -n "$1" ]; then
        pass=$((pass + $1)) fail=$((fail + $2))
    else
        echo "FAIL network: $t: no result line (status $st)"
        fail=$((fail + 1))
    fi
    echo "    ($t took $(awk -v t0="$t0" '{printf "%.1f", $1 - t0}' \
        /proc/uptime) s)"
done
echo "network tests ($(uname -m)): $pass passed, $fail failed"
[ "$fail" = 0 ]
