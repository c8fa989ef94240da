#!/bin/sh
# DHCP for real: udhcpd (busybox's, or Debian's udhcpd package) serves one
# address on the TAP's host side; udp-echo booted without ip= asks DHCP
# for it, and must answer ping and echo UDP there; a lease no host may take
# is refused; a server that NAKs everything (udpcheck dhcpnak) does not
# make the guest flood the link. Usage: dhcp.sh MOTE ELFDIR
mote=$1 dir=$2 name="network: dhcp"
here=$(dirname "$0")
. "$here/netns.inc"
offered=10.0.0.70
need
command -v udhcpd >/dev/null || skip "no udhcpd (Debian package udhcpd)"
[ -f "$dir/udp-echo.elf" ] || skip "no $dir/udp-echo.elf"
netns_up

# A pool of one address. -a: wait 100 ms, not 2 s, for an ARP answer
# before offering it (the check that nobody uses it already).
cat >"$out.conf" <<CONF
start $offered
end $offered
interface $tap
lease_file $out.leases
pidfile $out.pid
option subnet 255.255.255.0
option router $host_ip
option lease 600
max_leases 1
CONF
: >"$out.leases"
inns_bg udhcpd -f -a 100 "$out.conf" >"$out.dhcpd" 2>&1
dpid=$!
boot_wait=300
if ! boot "listening on" --net eth0="$tap" "$dir/udp-echo.elf" -- port=7; then
    sed 's/^/    dhcpd| /' "$out.dhcpd"
    fail=$((fail + 1)); finish
fi
check "guest got the offered address $offered by DHCP" \
    grep -q "listening on $offered port 7" "$out.guest"
check "ping at the offered address" inns ping -c 3 -i 0.2 -W 2 $offered
check "20 UDP datagrams echoed at the offered address" \
    inns "$udpcheck" echo $offered 7 20
check "udhcpd sent the OFFER and the ACK" sh -c "grep -q 'OFFER to $offered' \
    '$out.dhcpd' && grep -q 'ACK to $offered' '$out.dhcpd'"
stop
kill $dpid 2>/dev/null; wait $dpid 2>/dev/null

# A lease no host may take (here a netmask that is not contiguous): the
# guest refuses it with the reason, and its network stays down.
sed 's/^option subnet .*/option subnet 255.0.255.0/' "$out.conf" >"$out.bad"
: >"$out.leases"
inns_bg udhcpd -f -a 100 "$out.bad" >"$out.dhcpd" 2>&1
dpid=$!
if boot "DHCP lease is unusable" --net eth0="$tap" "$dir/udp-echo.elf" -- port=7; then
    check "an unusable lease is refused: $(grep -m1 'lease is unusable' "$out.guest")" \
        grep -q "10.0.0.70/255.0.255.0: not a contiguous netmask" "$out.guest"
    check "... and nothing listens" sh -c "! grep -q 'listening on' '$out.guest'"
else
    sed 's/^/    dhcpd| /' "$out.dhcpd"
    fail=$((fail + 1))
fi
stop
kill $dpid 2>/dev/null; wait $dpid 2>/dev/null

# A server that offers and then NAKs every request: the guest's client is
# paced (4 messages at once, then one each 4 s); lwIP alone starts over at
# each NAK, as fast as the server answers (335 broadcasts in 10 s).
: >"$out.guest"
inns_bg "$udpcheck" dhcpnak "$tap" $offered 12 >"$out.nak" 2>&1
nak=$!
$nsexec "$mote" run $MOTE_RUN_FLAGS --net eth0="$tap" "$dir/udp-echo.elf" \
    -- port=7 >>"$out.guest" 2>&1 &
pid=$!
wait $nak
stop
n=$(sed -n 's/.*dhcpnak: \([0-9]*\) client messages.*/\1/p' "$out.nak")
naks=$(sed -n 's/.* \([0-9]*\) naks.*/\1/p' "$out.nak")
sed 's/^/    /' "$out.nak"
check "a server that NAKs every request: ${n:-?} DHCP messages in 12 s (at most 4 + 12/4 + 1), ${naks:-?} NAKs" \
    sh -c "[ '${n:-999}' -le 8 ] && [ '${naks:-0}' -ge 1 ]"
finish
