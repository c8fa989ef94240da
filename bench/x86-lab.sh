#!/bin/sh
# The C runtime's figures of make bench (bench/figures-libc.sh) in the x86
# lab (tests/x86/lab.sh), for machines with no /dev/kvm: the guests and the
# native builds both run inside the lab, under the same emulation. Lab
# times are emulated and no performance figure; this shows that the bench
# programs run, that both builds agree, and gives counts (KVM_RUN calls
# per time read) that do not depend on the machine. strace is not in the
# lab's busybox: the host's, with its libraries, is copied in if installed.
# For the network figures (fig_tcp, fig_http; fig_net too) the host's ip
# (iproute2: namespaces), ab, iperf3, iputils ping (ping -f) and the
# native https-server are copied in with their libraries
# (tests/lab-tools.sh), with the
# https-server's pages and test certificate, and the kernel's veth module
# from the lab's cached kernel package. The lifecycle figures (fig_restore,
# fig_snapshot) need kvmfloor and hostwrite, built static like the others;
# fig_boot and fig_verify verifyfloor (static, the host's libmbedcrypto);
# fig_guests a memory cgroup (cgroup2 is mounted in the lab).
#
#   bench/x86-lab.sh [FIGURES]   default: fig_lua fig_alloc fig_memops
#                                fig_sha fig_clock (quick sizes)
#   e.g. bench/x86-lab.sh fig_tcp fig_http fig_tls
#        bench/x86-lab.sh fig_restore fig_snapshot
cd "$(dirname "$0")/.." || exit 2
ab=build/x86_64 stage=build/x86_64/bench-lab
figs=${*:-fig_lua fig_alloc fig_memops fig_sha fig_clock}
tests/x86/setup.sh >&2 || { echo "SKIP: x86 bench lab NOT RUN: no QEMU"; exit 0; }
tests/x86/lab.sh fetch || { echo "SKIP: x86 bench lab NOT RUN: no kernel"; exit 0; }
make -s bench-build >&2 || exit 1
rm -rf "$stage" && mkdir -p "$stage/a/signed/bench" "$stage/b/both" \
    "$stage/bench" "$stage/bin" || exit 1
cp build/mote build/keys/test.key.pub "$stage/" &&
    cp "$ab/hello.elf" "$stage/a/" &&
    cp "$ab/signed/hello.elf" "$ab/signed/lua.elf" \
        "$ab/signed/udp-echo.elf" "$ab/signed/https-server.elf" \
        "$stage/a/signed/" &&
    cp "$ab"/signed/bench/*.elf "$stage/a/signed/bench/" &&
    cp build/bench/both/* "$stage/b/both/" &&
    cp bench/run.sh bench/figures.sh bench/figures-libc.sh \
        bench/figures-net.sh bench/figures-life.sh bench/figures-oci.sh bench/report.sh \
        "$stage/bench/" || exit 1
# the lab has no C library: its helpers are static
for h in timeit stats udpbench hostwrite hostdisk hello-native; do
    ${CC:-cc} -static -O2 "bench/$h.c" -o "$stage/b/$h" || exit 1
done
${CC:-cc} -static -O2 bench/kvmfloor.c bench/kvmfloor-x86_64.c \
    -o "$stage/b/kvmfloor" || exit 1
${CC:-cc} -static -O2 bench/verifyfloor.c -o "$stage/b/verifyfloor" \
    -lmbedcrypto || exit 1
if s=$(command -v strace); then
    mkdir -p "$stage/sl" && cp "$s" "$stage/sl/" || exit 1
    ldd "$s" | awk '/=> \// { print $3 } /^\t\// { print $1 }' |
        xargs -I{} cp -L {} "$stage/sl/" || exit 1
    printf '#!/bin/sh\nexec /lab/sl/ld-linux-x86-64.so.2 --library-path /lab/sl /lab/sl/strace "$@"\n' \
        >"$stage/bin/strace" && chmod +x "$stage/bin/strace"
fi
# network figures: host tools, the https-server's tree (not its keys'
# CA or 10M.bin), the veth module
h=build/https-server
for t in ip ab iperf3 ping; do
    command -v $t >/dev/null || continue
    tests/lab-tools.sh "$stage/sys" $t || exit 1
done
PATH=$PWD/$ab/native:$PATH tests/lab-tools.sh "$stage/sys" https-server &&
    mkdir -p "$stage/https-server/root/www" &&
    cp -R $h/root/tls "$stage/https-server/root/" &&
    find $h/root/www -maxdepth 1 -type f -exec cp {} \
        "$stage/https-server/root/www/" \; || exit 1
cache=${MOTE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mote-x86-lab}
kdeb=$(ls "$cache"/debs/linux-image-*_amd64.deb 2>/dev/null | tail -n1)
if [ -z "$kdeb" ] || ! dpkg-deb --fsys-tarfile "$kdeb" | tar -x \
    --wildcards --no-anchored -O '*/drivers/net/veth.ko' >"$stage/veth.ko"; then
    echo "bench: no veth module from the lab's kernel package ($cache/debs):" \
        "the network figures will fail in the lab" >&2
    rm -f "$stage/veth.ko"
fi
cat >"$stage/lab.sh" <<EOF
echo "x86 lab: emulated (QEMU TCG, nested KVM): its times are no performance figures"
echo "lab clock source: \$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
[ -d /sys/module/veth ] || { [ -f /lab/veth.ko ] && insmod /lab/veth.ko; }
mkdir -p /run/netns /var/run
# memory cgroups for fig_guests (the lab's init mounts none)
[ -e /sys/fs/cgroup/cgroup.controllers ] || mount -t cgroup2 none /sys/fs/cgroup
export PATH=/lab/bin:/lab/sys/bin:\$PATH BENCH_QUICK=1 BENCH_FIGS="$figs"
export BENCH_HTTPS_DATA=/lab/https-server BENCH_IP=/lab/sys/bin/ip
export BENCH_HTTPS_NATIVE=/lab/sys/bin/https-server
sh bench/run.sh ./mote ./a ./b ./test.key.pub
EOF
MOTE_LAB_TIMEOUT=${MOTE_LAB_TIMEOUT:-1200} tests/x86/lab.sh boot max \
    "$stage" "sh lab.sh"
