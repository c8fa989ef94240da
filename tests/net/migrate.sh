#!/bin/sh
# Live migration of network appliances on one host, under real KVM on one
# TAP device that the destination takes over from the source: udp-echo
# answers again within 5 s; a TCP connection to tcpecho stays up through
# the move and loses nothing; kvstore under a stream of writes, moved over
# TCP on loopback, loses no acknowledged write. Usage: migrate.sh MOTE ELFDIR
mote=$1 dir=$2 name="network: migrate"
here=$(dirname "$0")
. "$here/netns.inc"
need
for g in udp-echo tests/tcpecho kvstore; do
    [ -f "$dir/$g.elf" ] || skip "no $dir/$g.elf"
done
[ -x "$tcpcheck" ] || skip "no $tcpcheck (make test-tools)"
netns_up
"$mote" keygen "$out.k" >/dev/null || skip "mote keygen failed"
api=$out.api mig=$out.mig dpid=

# boot_src MARKER ARGS...: the source, with a control socket and the key
boot_src() {
    m=$1; shift
    boot "$m" --api "$api" --snapshot-key "$out.k" "$@"
}
# move ADDR DEVICES...: a destination waiting at ADDR (unix:$mig or
# tcp:127.0.0.1:PORT, the namespace's loopback), the migration; then $pid
# is the destination's monitor
move() {
    to=$1; shift
    rm -f "$mig"
    # shellcheck disable=SC2086
    : >"$out.dest"
    $nsexec "$mote" run -v $MOTE_RUN_FLAGS --trust "$out.k.pub" \
        --incoming "$to" "$@" >"$out.dest" 2>&1 &
    dpid=$!
    bgpids="$bgpids $dpid"
    # -v says when it listens (60 s: the labs are slow to start it)
    i=0
    while ! grep -q "waiting for a guest on" "$out.dest" && [ $i -lt 600 ] &&
        kill -0 "$dpid" 2>/dev/null; do
        i=$((i + 1)); sleep 0.1
    done
    t0=$(now_ms)
    "$mote" ctl "$api" migrate "$to" >"$out.ctl" 2>&1
    mst=$?
    if [ $mst = 0 ]; then
        wait "$pid" 2>/dev/null # the source exits once the guest moved
    else
        stop # it runs on: never let it answer for the destination
    fi
    pid=$dpid
}
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
ms_since() { echo $(($(now_ms) - $1)); }

# 1. udp-echo
if boot_src "listening on" --net eth0="$tap" "$dir/udp-echo.elf" -- \
    ip=$guest_ip/24 port=7; then
    check "udp-echo answers before the move" inns "$udpcheck" echo $guest_ip 7 10
    move "unix:$mig" --net eth0="$tap"
    check "udp-echo moved: $(sed -n 's/.*\("downtime_us":[0-9]*\).*/\1/p' "$out.ctl")" \
        test "$mst" = 0
    ok=
    for _ in $(seq 50); do
        if inns "$udpcheck" echo $guest_ip 7 1 >/dev/null 2>&1; then ok=1; break; fi
    done
    el=$(ms_since "$t0")
    check "udp-echo answers again within 5 s of the move ($el ms)" \
        sh -c "[ -n '$ok' ] && [ $el -le 5000 ]"
    check "udp-echo: 50 echoes intact after the move" \
        inns "$udpcheck" echo $guest_ip 7 50
    stop
else fail=$((fail + 1)); fi

# 2. a TCP connection held through the move
if boot_src "listening on" --net n0="$tap" "$dir/tests/tcpecho.elf" -- \
    ip=$guest_ip/24 port=7; then
    inns "$tcpcheck" hold $guest_ip 7 8 >"$out.hold" 2>&1 &
    hold=$!
    sleep 2
    move "unix:$mig" --net n0="$tap"
    wait $hold; hst=$?
    check "tcpecho moved" test "$mst" = 0
    check "a TCP connection stays up through the move, echoes intact" \
        sh -c "[ $hst = 0 ] && cat '$out.hold'"
    sed -n 's/^tcpcheck: /    /p' "$out.hold"
    stop
else fail=$((fail + 1)); fi

# 3. kvstore under writes: no acknowledged write lost
disk=$out.img
"$mote" disk create "$disk" 16M >/dev/null || skip "mote disk create failed"
if boot_src "serving on" --disk data="$disk" --net eth0="$tap" \
    "$dir/kvstore.elf" -- ip=$guest_ip/24 port=7000; then
    : >"$out.acked"
    inns "$udpcheck" put $guest_ip 7000 600 "$out.acked" >"$out.put" 2>&1 &
    put=$!
    sleep 1
    move "tcp:127.0.0.1:$((20000 + $$ % 20000))" --disk data="$disk" \
        --net eth0="$tap"
    wait $put
    n=$(wc -l <"$out.acked")
    check "kvstore moved over TCP on loopback while being written" \
        test "$mst" = 0
    check "kvstore: every write acknowledged through the move ($n of 600)" \
        test "$n" = 600
    check "kvstore: all 600 read back from the moved guest" \
        inns "$udpcheck" get $guest_ip 7000 600
    stop
else fail=$((fail + 1)); fi
finish
