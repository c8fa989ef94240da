#!/bin/sh
# Hostile traffic (tests/net/hostile.c: raw frames on the TAP device and
# ordinary sockets) at tests/guest/tcpecho.c under real KVM: each class,
# bounded in count and time, then the guest must still answer ping, a TCP
# echo (tcpcheck) and a UDP echo. At the end: it did not crash or assert,
# the monitor's memory stayed bounded, the idle guest does not spin, a
# real client is accepted soon after a SYN flood; then https-server is
# booted, given a few classes, and must still serve HTTPS (curl).
#
#   hostile.sh MOTE ELFDIR     (MOTE_RUN_FLAGS: e.g. --trust KEY)
#
# HOSTILE: the hostile tool (default beside ELFDIR, as udpcheck is).
# HOSTILE_SECONDS: each class's time limit (default 5).
# HTTPS_DATA: as for https.sh (the test CA); no curl or CA: that part SKIPs.
mote=$1 dir=$2 name="network: hostile"
here=$(dirname "$0")
. "$here/netns.inc"
hostile=${HOSTILE:-$dir/../hostile}
secs=${HOSTILE_SECONDS:-5}
data=${HTTPS_DATA:-$dir/../../https-server}
need
[ -f "$dir/tests/tcpecho.elf" ] || skip "no $dir/tests/tcpecho.elf"
[ -x "$tcpcheck" ] || skip "no $tcpcheck (make test-tools)"
[ -x "$hostile" ] || skip "no $hostile (make test-tools)"
netns_up

if ! boot "listening on" --net n0="$tap" "$dir/tests/tcpecho.elf" -- \
    ip=$guest_ip/24 port=7; then
    fail=$((fail + 1)); finish
fi
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss0=$(rss)

alive() { # WHAT: the guest answers ping, TCP and UDP
    check "$1: ping answered" inns ping -c 2 -W 3 "$guest_ip"
    check "$1: TCP echo (4 connections, 64 KiB each)" \
        inns timeout 60 "$tcpcheck" echo "$guest_ip" 7 4 65536
    check "$1: UDP echo" inns timeout 60 "$udpcheck" echo "$guest_ip" 7 20
}

attack() { # CLASS COUNT [PORT]: send it, bounded, say what was sent
    check "$1: sent, bounded (at most $2 in $secs s)" inns timeout \
        $((secs + 30)) "$hostile" "$tap" "$guest_ip" "${3:-7}" "$1" "$2" \
        "$secs"
    sed -n 's/^hostile: /    /p' "$out.check"
}

alive "before"
attack headers 20000
alive "after truncated and lying headers"
attack checksums 20000
alive "after bad checksums"
attack fragments 5000
alive "after hostile fragments"
check "after fragments: a 3,000-byte ping (reassembled) answered" \
    inns ping -c 2 -W 3 -s 3000 "$guest_ip"
attack arp 20000
alive "after an ARP flood"
attack arpspoof 2000
alive "after ARP claiming this host's address from other MACs"
attack zerowin 8
alive "after zero-window clients"
attack rst 200
alive "after RSTs in every state"
attack exhaust 200
alive "after more connections than the guest has"

# A SYN flood fills the listener's backlog with half-open connections to
# addresses that never answer; a real client must still get in, soon.
attack synflood 2000
t0=$(cut -d' ' -f1 /proc/uptime)
check "after a SYN flood: a real client accepted within 10 s" \
    inns timeout 10 "$tcpcheck" echo "$guest_ip" 7 1 1024
echo "    (accepted after $(awk -v t0="$t0" '{printf "%.1f", $1 - t0}' \
    /proc/uptime) s)"
alive "after a SYN flood"

check "the guest is still running" kill -0 "$pid"
check "no lwIP assertion or crash in the guest's output" sh -c "! grep -i \
    -e 'assert' -e 'fault' -e 'abort' -e 'panic' '$out.guest'"
rss1=$(rss)
check "memory bounded: the monitor's RSS ${rss0:-?} -> ${rss1:-?} KiB" \
    test "${rss1:-999999}" -lt $((rss0 + 65536))
# Half-open connections from the flood and held zero windows keep lwIP's
# timers busy for up to 20 s (its SYN_RCVD time-out): the guest must come
# back to idle within that, each second measured.
idle=
for _ in $(seq 25); do
    t0=$(cpu); sleep 1; t1=$(cpu)
    [ $((t1 - t0)) -lt 5 ] && { idle=$((t1 - t0)); break; }
done
check "the guest is idle again within 25 s (${idle:-never under 5} ticks in 1 s)" \
    test -n "$idle"
stop

# TLS: https-server under a few classes, then a real HTTPS request.
if [ ! -f "$dir/https-server.elf" ] || ! command -v curl >/dev/null ||
    [ ! -f "$data/ca/ca.crt" ]; then
    echo "SKIP: hostile traffic at https-server (no image, curl or CA)"
    finish
fi
if ! boot "listening on" --net eth0="$tap" --env MOTE_IP="$guest_ip/24" \
    --env MOTE_GW="$host_ip" "$dir/https-server.elf" -- max=16 idle=3; then
    fail=$((fail + 1)); finish
fi
https() {
    inns curl -sS -o /dev/null --max-time 20 --cacert "$data/ca/ca.crt" \
        "https://$guest_ip/"
}
check "https-server: HTTPS before" https
attack headers 5000 443
attack synflood 500 443
attack rst 40 443
attack zerowin 8 443
attack exhaust 100 443
check "https-server: HTTPS after hostile traffic" https
check "https-server: still running" kill -0 "$pid"
check "https-server: no lwIP assertion or crash" sh -c "! grep -i \
    -e 'assert' -e 'fault' -e 'abort' -e 'panic' '$out.guest'"
stop
finish
