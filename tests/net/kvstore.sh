#!/bin/sh
# kvstore under real KVM: 1,000 keys written (each acknowledged only once
# durable), the monitor killed with SIGKILL, the guest booted again on the
# same disk, every key read back. Then a kill in the middle of a stream of
# writes: every acknowledged key survives. Then a 64 KiB disk that fills:
# new keys answer ERR full, old ones are rewritten through compactions and
# read back after a kill; and a disk of random bytes is refused untouched.
# Usage: kvstore.sh MOTE ELFDIR
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
# 10,000 writes (under the store's key limit): more than a fast host
# finishes between two looks (3,000 could: the check below then failed)
client put $guest_ip 7000 10000 "$out.acked" >/dev/null 2>&1 &
cpid=$!
for _ in $(seq 400); do # kill once writes flow, whatever the disk's speed
    [ "$(wc -l <"$out.acked")" -ge 20 ] && break
    sleep 0.025
done
stop
wait $cpid 2>/dev/null
acked=$(wc -l <"$out.acked")
check "writes were in flight at the kill ($acked acknowledged)" \
    test "$acked" -gt 0 -a "$acked" -lt 10000
check "booted again after the second SIGKILL" kv
check "every acknowledged key is there" client get $guest_ip 7000 "$acked"
stop

# 64 KiB: halves of 63 sectors, room for 60 one-sector records and the
# largest record (3 sectors): key60 on answer ERR full.
small=$out.small.img
"$mote" disk create "$small" 64K >/dev/null
kvs() {
    boot "serving on" --disk data="$small" --net eth0="$tap" \
        "$dir/kvstore.elf" -- ip=$guest_ip/24 port=7000
}
check "booted on a 64 KiB disk" kvs
client put $guest_ip 7000 100 >"$out.full" 2>&1
check "60 of 100 new keys stored, 40 refused" \
    grep -q "put: 60 of 100 acknowledged, 40 failed" "$out.full"
check "every refusal is ERR full" \
    test "$(grep -c '^PUT key[0-9]*: ERR full' "$out.full")" = 40
check "the 60 keys rewritten 3 times (compactions)" \
    sh -c "for i in 1 2 3; do $nsexec $udpcheck put $guest_ip 7000 60 || exit; done"
stop
check "booted again on the full disk" kvs
# 240 PUTs through a 63-sector half: only a compacted log holds them
n=$(sed -n 's/.* 60 keys from \([0-9]*\) records (log v2).*/\1/p' "$out.guest")
check "replayed 60 keys from a compacted log (${n:-no} records, at most 63)" \
    test -n "$n" -a "${n:-99}" -le 63
check "60 keys read back after SIGKILL" client get $guest_ip 7000 60
stop

# Not a kvstore log and not blank: refused, not one byte changed.
junk=$out.junk.img
dd if=/dev/urandom of="$junk" bs=64k count=1 2>/dev/null
cp "$junk" "$junk.orig"
inns timeout 60 "$mote" run $MOTE_RUN_FLAGS --disk data="$junk" --net eth0="$tap" \
    "$dir/kvstore.elf" -- ip=$guest_ip/24 port=7000 >"$out.junk" 2>&1
check "a disk of random bytes is refused" grep -q \
    "kvstore: disk: not a kvstore log and not blank: refusing to overwrite it" \
    "$out.junk"
check "and left as it was" cmp "$junk" "$junk.orig"
finish
