#!/bin/sh
# sensor under real KVM: 50 samples at 25 a second reach a collector in the
# namespace, well formed, in order, at the rate (the guest sleeps between
# them) and the guest exits 0. Usage: sensor.sh MOTE ELFDIR
mote=$1 dir=$2 name="network: sensor"
here=$(dirname "$0")
. "$here/netns.inc"
need
[ -f "$dir/sensor.elf" ] || skip "no $dir/sensor.elf"
netns_up

$nsexec "$udpcheck" collect 9000 50 25 >"$out.coll" 2>&1 &
cpid=$!
for _ in $(seq 50); do # until the collector listens
    grep -q ready "$out.coll" 2>/dev/null && break
    sleep 0.1
done
if ! boot "sending to" --net eth0="$tap" "$dir/sensor.elf" -- \
    ip=$guest_ip/24 collector=$host_ip:9000 rate=25 count=50 seed=7; then
    fail=$((fail + 1)); finish
fi
check "collector got 50 samples, in order, at 25/s" wait $cpid
sed 's/^/    /' "$out.coll"
check "sensor exits 0 after count=50" wait $pid
pid=
check "bad arguments are refused" sh -c "$nsexec '$mote' run \
    $MOTE_RUN_FLAGS --net eth0=$tap '$dir/sensor.elf' -- ip=$guest_ip/24 \
    collector=nowhere 2>&1 | grep -q 'bad argument: collector=nowhere'"
finish
