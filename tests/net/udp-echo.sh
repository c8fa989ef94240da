#!/bin/sh
# udp-echo under real KVM on a TAP device in a network namespace: ping,
# then 1,000 UDP datagrams one by one (no loss, contents checked) and a
# burst. Usage: udp-echo.sh MOTE ELFDIR (MOTE_RUN_FLAGS: e.g. --trust KEY)
mote=$1 dir=$2 name="network: udp-echo"
here=$(dirname "$0")
. "$here/netns.inc"
need
[ -f "$dir/udp-echo.elf" ] || skip "no $dir/udp-echo.elf"
netns_up

if ! boot "listening on" --net eth0="$tap" "$dir/udp-echo.elf" -- \
    ip=$guest_ip/24 port=7; then
    fail=$((fail + 1)); finish
fi
check "guest says where it listens" grep -q "listening on $guest_ip port 7" \
    "$out.guest"
check "ping (5 echo requests)" inns ping -c 5 -i 0.2 -W 2 $guest_ip
check "large ping (1472 bytes)" inns ping -c 2 -i 0.2 -W 2 -s 1472 $guest_ip
check "1,000 UDP datagrams echoed, no loss, same contents" \
    inns "$udpcheck" echo $guest_ip 7 1000
check "no answer on another port" sh -c "! $nsexec '$udpcheck' echo \
    $guest_ip 8 1"
check "the guest is still running" kill -0 "$pid"
idle_check
stop
finish
