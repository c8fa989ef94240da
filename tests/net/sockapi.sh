#!/bin/sh
# The BSD socket API from inside a guest (tests/guest/sockapi.c) against
# host-side peers on a TAP device: tcpcheck serve (TCP commands, UDP echo)
# and dnsmasq as the name server (its DNS checks SKIP loudly where dnsmasq
# is missing). The guest's PASS and FAIL lines are counted here, its SKIP
# lines become SKIP: lines; this script adds that a guest blocked in recv
# and in poll does not spin, and that the guest's exit status agrees.
# Usage: sockapi.sh MOTE ELFDIR
mote=$1 dir=$2 name="network: sockapi"
here=$(dirname "$0")
no_udpcheck=1
. "$here/netns.inc"
port=7000 closed=9 dns=none
need
[ -f "$dir/tests/sockapi.elf" ] || skip "no $dir/tests/sockapi.elf"
[ -x "$tcpcheck" ] || skip "no $tcpcheck (make test-tools)"
PATH=$PATH:/usr/sbin:/sbin
netns_up

inns_bg "$tcpcheck" serve $host_ip $port 300 >"$out.peer" 2>&1
if command -v dnsmasq >/dev/null; then
    # -d: in the foreground; --user= --group=: stay root (a lab has no
    # users to look up)
    inns_bg dnsmasq -d --user= --group= --conf-file=/dev/null --no-resolv --no-hosts \
        --bind-interfaces --listen-address=$host_ip --pid-file= \
        --log-facility=- --log-queries --local=/test/ \
        --host-record=sockapi.test,10.0.0.77 >"$out.dns" 2>&1
    dns=sockapi.test
    i=0 # until it answers (30 s): it logs "started" once bound
    while ! grep -q "started" "$out.dns" 2>/dev/null && [ $i -lt 300 ]; do
        i=$((i + 1)); sleep 0.1
    done
else
    echo "note: no dnsmasq here: the guest's DNS checks are skipped"
fi
# The guest's stdin: a FIFO nobody writes (console input that never comes).
mkfifo "$out.in" && exec 3<>"$out.in"
# shellcheck disable=SC2086
$nsexec "$mote" run $MOTE_RUN_FLAGS --net n0="$tap" \
    --env MOTE_IP="$guest_ip/24" --env MOTE_GW="$host_ip" \
    --env MOTE_DNS="$host_ip" "$dir/tests/sockapi.elf" -- host=$host_ip \
    port=$port closed=$closed dns=$dns <&3 >"$out.guest" 2>&1 &
pid=$!

# CPU ticks of the monitor over 2 s of the guest's 3-s wait (a spinning
# guest takes about 200; one asleep a few, the emulated labs' exits, and
# 21 once in the ARM64 lab on a host busy with a fuzzer besides: the
# bound is a quarter of spinning).
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null; }
idle() { # WHAT
    for _ in $(seq 600); do
        grep -q "^sockapi: idle $1" "$out.guest" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if ! grep -q "^sockapi: idle $1" "$out.guest"; then
        fail=$((fail + 1)); echo "FAIL a guest blocked in $1 does not spin:" \
            "it never got there"
        return
    fi
    sleep 0.2
    t0=$(cpu); sleep 2; t1=$(cpu)
    check "a guest blocked in $1 does not spin ($((t1 - t0)) ticks of CPU in 2 s)" \
        test $((t1 - t0)) -lt 50
}
idle recv
idle poll
for _ in $(seq 1200); do # at most 2 minutes in all
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$pid" 2>/dev/null && { echo "the guest did not finish"
    kill -9 "$pid"; }
wait "$pid" 2>/dev/null
st=$? pid=
exec 3>&-

# The guest's lines, counted; details and notes indented as they came.
while IFS= read -r line; do
    case $line in
    "PASS "*) pass=$((pass + 1)); echo "$line" ;;
    "FAIL "*) fail=$((fail + 1)); echo "$line" ;;
    "SKIP "*) echo "SKIP: $name: ${line#SKIP }: NOT RUN" ;;
    "    "*) echo "$line" ;;
    esac
done <"$out.guest"
summary=$(sed -n 's/^sockapi: \([0-9]*\) passed, \([0-9]*\) failed, .*/\1 \2/p' \
    "$out.guest")
check "the guest finished with a closing line" test -n "$summary"
set -- $summary 0
check "the guest's exit status says whether a check failed (status $st)" \
    test "$st" = "$([ "${2:-1}" = 0 ] && echo 0 || echo 1)"
if [ "$fail" != 0 ] || [ -z "$summary" ]; then
    echo "    the guest's output:"; sed 's/^/    | /' "$out.guest"
    [ -s "$out.dns" ] && { echo "    dnsmasq:"; sed 's/^/    | /' "$out.dns"; }
    [ -s "$out.peer" ] && { echo "    tcpcheck serve:"; sed 's/^/    | /' "$out.peer"; }
fi
finish
