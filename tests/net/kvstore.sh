#!/bin/sh
# kvstore under real KVM: 1,000 keys written (each acknowledged only once
# durable), the monitor killed with SIGKILL, the guest booted again on the
# same disk, every key read back. Then a kill in the middle of a stream of
# writes: every acknowledged key survives. Usage: kvstore.sh MOTE ELFDIR
mote=$1 dir=$2 name="network: kvstore"
here=$(dirname "$0")
. "$here/netns.inc"
need
[ -f "$dir/kvstore.elf" ] || skip "no $dir/kvstore.elf"
netns_up
disk=$out.img
"$mote" disk create "$disk" 16M >/dev/null || skip "mote disk create failed"
kv() {
    boot "serving on" --disk data="$disk" --net eth0="$tap" \
        "$dir/kvstore.elf" -- ip=$guest_ip/24 port=7000
}
client() {
    inns "$udpcheck" "$@"
}

if ! kv; then
    fail=$((fail + 1)); finish
fi
check "PING answered" client ping $guest_ip 7000
check "1,000 PUTs acknowledged" client put $guest_ip 7000 1000
stop
check "booted again after SIGKILL" kv
check "replayed 1,000 keys" grep -q "1000 keys" "$out.guest"
check "1,000 keys read back after SIGKILL" client get $guest_ip 7000 1000
stop

# A kill while writes stream in: what was acknowledged must be there.
kv >/dev/null
: >"$out.acked"
client put $guest_ip 7000 3000 "$out.acked" >/dev/null 2>&1 &
cpid=$!
for _ in $(seq 100); do # kill once writes flow, whatever the disk's speed
    [ "$(wc -l <"$out.acked")" -ge 20 ] && break
    sleep 0.1
done
stop
wait $cpid 2>/dev/null
acked=$(wc -l <"$out.acked")
check "writes were in flight at the kill ($acked acknowledged)" \
    test "$acked" -gt 0 -a "$acked" -lt 3000
check "booted again after the second SIGKILL" kv
check "every acknowledged key is there" client get $guest_ip 7000 "$acked"
stop
finish
