#!/bin/sh
# make bench ARCH=aarch64: the ARM64 lab is emulated, so its times mean
# nothing; this runs every bench guest once under real ARM64 KVM in the
# lab (generic host) to show the suite works there, and prints no figures.
cd "$(dirname "$0")/.." || exit 2
ab=build/aarch64 stage=build/aarch64/bench-lab
tests/arm64/setup.sh >&2 || { echo "SKIP: bench smoke NOT RUN: no cross toolchain or QEMU"; exit 0; }
tests/arm64/lab.sh fetch generic || { echo "SKIP: bench smoke NOT RUN: no arm64 kernel"; exit 0; }
{ make -s all && make -s ARCH=aarch64 all bench-guests; } >&2 || exit 1
rm -rf "$stage" && mkdir -p "$stage" || exit 1
cp "$ab/mote" build/keys/test.key.pub "$ab/signed/hello.elf" \
    "$ab"/signed/bench/*.elf "$stage/" || exit 1
cat >"$stage/smoke.sh" <<'SH'
k="--trust ./test.key.pub" pass=0 fail=0
check() { # WHAT CMD...: run, show its last line
    what=$1; shift
    if out=$("$@" 2>&1); then
        pass=$((pass + 1)); echo "PASS $what: $(echo "$out" | tail -n1)"
    else
        fail=$((fail + 1)); echo "FAIL $what"; echo "$out" | sed 's/^/    | /'
    fi
}
check "boot signed hello" ./mote run $k ./hello.elf
check "phase timestamps" sh -c "MOTE_TIMING=1 ./mote run $k ./hello.elf 2>&1 | grep -c mote-timing:"
check "hypercall loop" ./mote run $k ./hcloop.elf -- 1000
dd if=/dev/zero of=disk.img bs=1024 count=4096 2>/dev/null
for m in seqwrite seqread randwrite randread; do
    check "disk $m" ./mote run $k --disk d0=disk.img ./disk.elf -- $m 256
done
check "verify the 1 MiB image" ./mote verify $k ./big1m.elf
pids=
for i in 1 2 3 4; do
    ./mote run $k ./sleeper.elf -- 600000 >/dev/null 2>&1 &
    pids="$pids $!"
done
sleep 1
check "four sleeping guests at once" sh -c "for p in $pids; do kill -0 \$p || exit 1; done"
kill $pids 2>/dev/null
echo "bench smoke (aarch64, generic host): $pass passed, $fail failed"
[ "$fail" = 0 ]
SH
echo "=== bench smoke in the ARM64 lab (emulated: runs, no figures)"
tests/arm64/lab.sh boot generic "$stage" "sh ./smoke.sh"
