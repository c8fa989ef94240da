#!/bin/sh
# IPv6 in the guest (lwIP with ND, MLD and SLAAC; AF_INET6 sockets that
# take IPv4 too): tests/guest/tcpecho.c with family=6 answers ping and TCP
# at its link-local address, still serves IPv4 through the same sockets
# (::ffff:a.b.c.d), and takes a global address from a router
# advertisement (SLAAC), where it serves TCP too. Usage: ipv6.sh MOTE ELFDIR
mote=$1 dir=$2 name="network: ipv6"
here=$(dirname "$0")
. "$here/netns.inc"
need
[ -f "$dir/tests/tcpecho.elf" ] || skip "no $dir/tests/tcpecho.elf"
[ -x "$tcpcheck" ] || skip "no $tcpcheck (make test-tools)"
netns_up
inns sh -c "echo 0 >/proc/sys/net/ipv6/conf/$tap/accept_dad" 2>/dev/null
# (busybox's ip, in the labs, has neither -6 nor nodad)
inns ip -6 addr add 2001:db8:1::1/64 dev "$tap" nodad 2>/dev/null ||
    inns ip addr add 2001:db8:1::1/64 dev "$tap" ||
    skip "no IPv6 on the host side"

if ! boot "listening on" --net n0="$tap" "$dir/tests/tcpecho.elf" -- \
    ip=$guest_ip/24 port=7 family=6; then
    fail=$((fail + 1)); finish
fi
ll=$(sed -n 's/.*(IPv6 \(fe80:[0-9a-f:]*\), .*/\1/p' "$out.guest")
check "the guest has a link-local address (${ll:-none})" test -n "$ll"
ping6() { # ADDRESS: busybox's ping or iputils', whichever is here
    inns ping -6 -c 2 -W 3 "$1" >/dev/null 2>&1 ||
        inns ping6 -c 2 -W 3 "$1"
}
# duplicate address detection takes the guest a second or two
for _ in $(seq 20); do
    ping6 "$ll%$tap" >/dev/null 2>&1 && break
    sleep 0.5
done
check "ping at the link-local address" ping6 "$ll%$tap"
check "TCP echo at the link-local address (4 connections, 64 KiB each)" \
    inns "$tcpcheck" echo "$ll%$tap" 7 4 65536
check "IPv4 through the same AF_INET6 sockets (::ffff:$guest_ip)" \
    inns "$tcpcheck" echo $guest_ip 7 4 65536
check "UDP over IPv4 through an AF_INET6 socket" \
    inns "$udpcheck" echo $guest_ip 7 20
check "router advertisements of 2001:db8:1::/64 sent" \
    inns "$tcpcheck" ra "$tap" 2001:db8:1::
global=2001:db8:1::${ll#fe80::}
for _ in $(seq 20); do
    ping6 "$global" >/dev/null 2>&1 && break
    sleep 0.5
done
check "SLAAC: ping at $global" ping6 "$global"
check "SLAAC: TCP echo at the global address (1 MiB)" \
    inns "$tcpcheck" echo "$global" 7 1 1048576
check "a closed port at the global address refuses (RST)" \
    inns "$tcpcheck" refused "$global" 8
check "the guest is still running" kill -0 "$pid"
stop
finish
