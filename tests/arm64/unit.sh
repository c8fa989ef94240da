#!/bin/sh
# The unit tests cross-built for aarch64 (make ARCH=aarch64 unit), run on
# an x86_64 host under QEMU's user-mode emulation (qemu-aarch64-static,
# Debian's qemu-user-static) with the cross toolchain's libc and the arm64
# cmocka unpacked beside the arm64 libraries (tests/arm64/setup.sh libs).
# The same tests as on the host, compiled for aarch64: the aarch64
# seccomp allowlist, struct layouts and the rest of libmonitor.a as a Pi
# runs it. An aarch64 host runs them natively in make test.
#
#   tests/arm64/unit.sh        (after make ARCH=aarch64 all)
#
# Prints each test's cmocka lines (tests/run-all.sh counts them); SKIP
# loudly where there is no qemu-aarch64-static or no cross libc.
cd "$(dirname "$0")/../.." || exit 2
ab=build/aarch64
sysroot=/usr/aarch64-linux-gnu
skip() {
    echo "SKIP: aarch64 unit tests NOT RUN: $*"
    exit 0
}
command -v qemu-aarch64-static >/dev/null ||
    skip "no qemu-aarch64-static (Debian's qemu-user-static)"
[ -e $sysroot/lib/ld-linux-aarch64.so.1 ] ||
    skip "no aarch64 C library in $sysroot (libc6-arm64-cross)"
if ! out=$(make -s ARCH=aarch64 unit 2>&1); then
    echo "$out" | tail -n 20
    echo "FAIL make ARCH=aarch64 unit"
    echo "aarch64 unit build: 0 passed, 1 failed"
    exit 1
fi
rc=0 n=0
for t in "$ab"/tests/unit/test_*; do
    [ -x "$t" ] || continue
    n=$((n + 1))
    echo "--- ${t##*/} (aarch64, qemu-user)"
    MOTE_UNIT_EMULATED=1 QEMU_LD_PREFIX=$sysroot \
        LD_LIBRARY_PATH=$PWD/$ab/deps/usr/lib/aarch64-linux-gnu \
        timeout 300 qemu-aarch64-static "$t" 2>&1 || rc=1
done
[ $n -gt 0 ] || { echo "FAIL no aarch64 unit test was built"
    echo "aarch64 unit tests: 0 passed, 1 failed"; exit 1; }
exit $rc
