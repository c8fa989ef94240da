#!/bin/sh
# TCP on the guest's sockets (lwIP), under real KVM on a TAP device:
# tests/guest/tcpecho.c echoes one connection, then 32 at once, then
# 10 MiB on one; a closed port refuses; UDP on the same port still works;
# the idle guest does not spin; what a guest sends just before it exits
# arrives (tests/guest/tcpsend.c). Usage: tcp.sh MOTE ELFDIR
mote=$1 dir=$2 name="network: tcp"
here=$(dirname "$0")
. "$here/netns.inc"
need
[ -f "$dir/tests/tcpecho.elf" ] || skip "no $dir/tests/tcpecho.elf"
[ -x "$tcpcheck" ] || skip "no $tcpcheck (make test-tools)"
netns_up

if ! boot "listening on" --net n0="$tap" "$dir/tests/tcpecho.elf" -- \
    ip=$guest_ip/24 port=7; then
    fail=$((fail + 1)); finish
fi
echo_check() { # WHAT CONNS BYTES, and the client's figures
    check "$1" inns "$tcpcheck" echo $guest_ip 7 "$2" "$3"
    sed -n 's/^tcpcheck: /    /p' "$out.check"
}
echo_check "one connection, 1 MiB echoed intact" 1 1048576
echo_check "32 connections at once, 64 KiB each echoed intact" 32 65536
echo_check "10 MiB on one connection echoed intact" 1 10485760
check "a closed port refuses (RST)" inns "$tcpcheck" refused $guest_ip 8
check "UDP on the same port still echoed" \
    inns "$udpcheck" echo $guest_ip 7 50
check "the guest saw every connection close" sh -c \
    "test \$(grep -c 'connection closed' '$out.guest') -eq 34"
check "the guest is still running" kill -0 "$pid"
idle_check
stop

# A guest that writes 256 KiB and returns from main without close(): the
# host still gets every byte, then the FIN.
inns_bg "$tcpcheck" sink $host_ip 9000 262144 >"$out.sink" 2>&1
sinkpid=$!
i=0 # until it listens (30 s)
while ! grep -q "sink listening" "$out.sink" 2>/dev/null && [ $i -lt 300 ] &&
    kill -0 $sinkpid 2>/dev/null; do
    i=$((i + 1)); sleep 0.1
done
if boot "exiting without close" --net n0="$tap" "$dir/tests/tcpsend.elf" \
    -- ip=$guest_ip/24 to=$host_ip:9000 bytes=262144; then
    wait "$pid"
    pid=
    for _ in $(seq 100); do
        kill -0 "$sinkpid" 2>/dev/null || break
        sleep 0.1
    done
    check "data written just before exit() arrives, then EOF" \
        grep -q '262144 of 262144 bytes, then EOF' "$out.sink"
else
    fail=$((fail + 1))
fi
finish
