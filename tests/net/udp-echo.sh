#!/bin/sh
# udp-echo under real KVM on a TAP device in a network namespace: ping,
# then 1,000 UDP datagrams one by one (no loss, contents checked) and a
# burst, then 1,600 with 16 in flight; and the exits the guest made for
# them (mote ctl status before and after: an exit count, not a time), so
# that batching (MOTE_HC_NET_XFER: a reply rides on the next wait, many
# frames a call) stays. A monitor without net-xfer (an older one: its
# status lists no such hypercall) gets the old calls from the libOS, and
# no exit bound. Usage: udp-echo.sh MOTE ELFDIR (MOTE_RUN_FLAGS: e.g.
# --trust KEY)
mote=$1 dir=$2 name="network: udp-echo"
here=$(dirname "$0")
. "$here/netns.inc"
need
[ -f "$dir/udp-echo.elf" ] || skip "no $dir/udp-echo.elf"
netns_up

# exits: the guest's exit count so far; hc NAME: its calls of NAME
exits() {
    "$mote" ctl "$out.api" status | sed -n 's/.*"exits": *\([0-9]*\).*/\1/p'
}
hc() {
    "$mote" ctl "$out.api" status |
        sed -n "s/.*\"$1\": *\\([0-9]*\\).*/\\1/p"
}

# per_datagram E0 E1 N MAX: the exits from E0 to E1 over N datagrams are
# at most MAX a datagram (and some were counted)
per_datagram() {
    [ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt "$1" ] || {
        echo "no exit counts (before: '$1', after: '$2')"; return 1; }
    echo "$1 $2 $3 $4" | awk '{ p = ($2 - $1) / $3
        printf "%d exits for %d datagrams: %.3f a datagram (bound %s)\n",
            $2 - $1, $3, p, $4; exit !(p <= $4) }'
}

if ! boot "listening on" --api "$out.api" --net eth0="$tap" \
    "$dir/udp-echo.elf" -- \
    ip=$guest_ip/24 port=7; then
    fail=$((fail + 1)); finish
fi
check "guest says where it listens" grep -q "listening on $guest_ip port 7" \
    "$out.guest"
check "ping (5 echo requests)" inns ping -c 5 -i 0.2 -W 2 $guest_ip
check "large ping (1472 bytes)" inns ping -c 2 -i 0.2 -W 2 -s 1472 $guest_ip
e0=$(exits)
check "1,000 UDP datagrams echoed, no loss, same contents" \
    inns "$udpcheck" echo $guest_ip 7 1000
e1=$(exits)
check "1,600 UDP datagrams with 16 in flight, no loss, same contents" \
    inns "$udpcheck" window $guest_ip 7 1600 16
e2=$(exits)
# (1,000 one at a time and the burst of 24; lwIP's timers add a few)
one=1.5 many=0.5
if [ -z "$(hc net-xfer)" ]; then
    echo "(a monitor without net-xfer: exits counted, not bounded)"
    one=1000 many=1000
fi
echo "    one at a time: $(per_datagram "$e0" "$e1" 1024 $one)"
echo "    16 in flight: $(per_datagram "$e1" "$e2" 1600 $many)"
check "exits per datagram one at a time at most $one" \
    per_datagram "$e0" "$e1" 1024 $one
check "exits per datagram with 16 in flight at most $many" \
    per_datagram "$e1" "$e2" 1600 $many
[ $one = 1.5 ] && check "every frame went out through net-xfer (net-send: 0)" \
    test "$(hc net-send)" = 0
check "no answer on another port" sh -c "! $nsexec '$udpcheck' echo \
    $guest_ip 8 1"
check "the guest is still running" kill -0 "$pid"
idle_check
stop
finish
