#!/bin/sh
# poll() over the console and a socket at once (tests/guest/pollcons.c):
# console input that comes while the guest waits wakes it, and so does a
# datagram; between them the guest sleeps (no CPU). Usage: console.sh MOTE
# ELFDIR
mote=$1 dir=$2 name="network: console and socket poll"
here=$(dirname "$0")
. "$here/netns.inc"
need
[ -f "$dir/tests/pollcons.elf" ] || skip "no $dir/tests/pollcons.elf"
netns_up

fifo=$out.fifo
mkfifo "$fifo" || skip "cannot make a FIFO"
# the FIFO stays open for writing on fd 7 while the guest runs
$nsexec "$mote" run $MOTE_RUN_FLAGS --net n0="$tap" \
    "$dir/tests/pollcons.elf" -- ip=$guest_ip/24 <"$fifo" >"$out.guest" 2>&1 &
pid=$!
exec 7>"$fifo"
for _ in $(seq 100); do
    grep -q "waiting" "$out.guest" 2>/dev/null && break
    sleep 0.1
done
idle_check "waiting on both, the guest sleeps"
echo "hello console" >&7
check "console input wakes it" sh -c \
    "for i in \$(seq 50); do grep -q 'console woke it: hello console' \
    '$out.guest' && exit 0; sleep 0.1; done; exit 1"
check "a datagram wakes it" inns "$udpcheck" echo $guest_ip 7 3
check "console input again, after the datagrams" sh -c "echo again >&7;
    for i in \$(seq 50); do grep -q 'console woke it: again' '$out.guest' \
    && exit 0; sleep 0.1; done; exit 1"
exec 7>&-
check "the console's end ends it" sh -c "for i in \$(seq 50); do
    grep -q 'console ended' '$out.guest' && exit 0; sleep 0.1; done; exit 1"
wait "$pid"
pid=
finish
