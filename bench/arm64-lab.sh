#!/bin/sh
# make bench's scripts (bench/run.sh and its figures) in the ARM64 lab
# (tests/arm64/lab.sh), for machines that are not arm64: mote, the bench
# guests and the floors, all built for aarch64 as a Raspberry Pi would
# build them natively (kvmfloor's aarch64 part, verifyfloor with the arm64
# mbedtls the monitor links, the static host helpers,
# bench/both/'s native programs), run under the lab's real KVM. The lab is
# emulated: its times are no performance figures. This shows that the
# arm64 bench runs and gives the counts that do not depend on the machine.
# The table ends with "bench figures (aarch64, lab MODEL): N passed, N
# failed"; a figure that cannot run there says SKIP.
#
#   bench/arm64-lab.sh [-m MODEL] [FIGURES]   default: pi5 and every figure
#                                             but the network ones
#   e.g. bench/arm64-lab.sh fig_net fig_tcp
cd "$(dirname "$0")/.." || exit 2
model=pi5
if [ "${1:-}" = -m ]; then model=$2; shift 2; fi
ab=build/aarch64 stage=build/aarch64/bench-lab
figs=${*:-fig_boot fig_hypercall fig_disk fig_memory fig_guests fig_verify \
fig_restore fig_snapshot fig_migrate fig_alloc fig_memops fig_sha fig_clock}
cc=aarch64-linux-gnu-gcc
deps=$ab/deps/usr
tests/arm64/setup.sh >&2 ||
    { echo "SKIP: ARM64 bench lab NOT RUN: no cross toolchain or QEMU"; exit 0; }
tests/arm64/lab.sh fetch "$model" ||
    { echo "SKIP: ARM64 bench lab NOT RUN: no arm64 kernel"; exit 0; }
{ make -s all && make -s ARCH=aarch64 all bench-guests; } >&2 || exit 1
rm -rf "$stage" && mkdir -p "$stage/a/signed/bench" "$stage/b/both" \
    "$stage/bench" || exit 1
cp "$ab/mote" build/keys/test.key.pub "$stage/" &&
    cp "$ab/hello.elf" "$stage/a/" &&
    cp "$ab/signed/hello.elf" "$ab/signed/udp-echo.elf" "$stage/a/signed/" &&
    cp "$ab"/signed/bench/*.elf "$stage/a/signed/bench/" &&
    cp bench/run.sh bench/figures.sh bench/figures-libc.sh \
        bench/figures-net.sh bench/figures-life.sh bench/figures-oci.sh bench/report.sh \
        "$stage/bench/" || exit 1
# the floors and helpers, static (the lab has no C library)
for h in timeit stats udpbench hostwrite hostdisk hello-native; do
    $cc -static -O2 -std=gnu11 -D_GNU_SOURCE "bench/$h.c" -o "$stage/b/$h" ||
        exit 1
done
$cc -static -O2 bench/kvmfloor.c bench/kvmfloor-aarch64.c \
    -o "$stage/b/kvmfloor" || exit 1
$cc -static -O2 -I$deps/include bench/verifyfloor.c -o "$stage/b/verifyfloor" \
    -L$deps/lib/aarch64-linux-gnu -lmbedcrypto || exit 1
# bench/both/ as bench.mk builds it natively (tls: the arm64 mbedtls the
# cross-built monitor links, and unikernel/mbedtls/mote_compat.h)
for f in bench/both/*.c; do
    n=$(basename "$f" .c) libs=
    [ "$n" = tls ] && libs="-I$deps/include -idirafter unikernel
        -L$deps/lib/aarch64-linux-gnu -lmbedtls -lmbedx509 -lmbedcrypto"
    # shellcheck disable=SC2086 # libs is a list of options
    $cc -O2 -g -std=gnu11 -static -fno-pie -no-pie "$f" -o "$stage/b/both/$n" \
        $libs || exit 1
done
# ip (namespaces) and iperf3 for the network figures, as Debian builds
# them for arm64; the veth module from the lab's kernel package
tools=build/arm64-tools
if tests/arm64/setup.sh tools $tools >&2; then
    tests/lab-tools.sh --sysroot $tools/root "$stage/sys" ip iperf3 ab ||
        exit 1
fi
# (6.12's modules are xz-compressed; busybox's insmod wants them plain)
kdeb=$(tests/arm64/lab.sh kernel "$model")
un=cat
dpkg-deb -c "$kdeb" 2>/dev/null | grep -q '/veth\.ko\.xz$' && un="xz -dc"
if [ -z "$kdeb" ] || ! dpkg-deb --fsys-tarfile "$kdeb" | tar -x \
    --wildcards --no-anchored -O '*/drivers/net/veth.ko*' | $un \
    >"$stage/veth.ko" || [ ! -s "$stage/veth.ko" ]; then
    echo "bench: no veth module from the lab's kernel package ($kdeb):" \
        "the network figures will fail in the lab" >&2
    rm -f "$stage/veth.ko"
fi
cat >"$stage/lab.sh" <<EOF
echo "ARM64 lab ($model): emulated (QEMU TCG, KVM inside): its times are no performance figures"
[ -d /sys/module/veth ] || { [ -f /lab/veth.ko ] && insmod /lab/veth.ko; }
mkdir -p /run/netns /var/run
# memory cgroups for fig_guests (the lab's init mounts none)
[ -e /sys/fs/cgroup/cgroup.controllers ] || mount -t cgroup2 none /sys/fs/cgroup
export PATH=/lab/sys/bin:\$PATH BENCH_QUICK=1 BENCH_FIGS="$figs"
export BENCH_IP=/lab/sys/bin/ip BENCH_LABEL="aarch64, lab $model"
sh bench/run.sh ./mote ./a ./b ./test.key.pub
EOF
MOTE_LAB_TIMEOUT=${MOTE_LAB_TIMEOUT:-1200} tests/arm64/lab.sh boot "$model" \
    "$stage" "sh lab.sh"
