#!/bin/bash
# The x86_64 lab, for machines without /dev/kvm: boot Debian's amd64 kernel
# in qemu-system-x86_64 under TCG with a CPU that has AMD SVM (QEMU's TCG
# emulates SVM, not VMX), load kvm-amd from the kernel package, and run one
# command in that guest, where /dev/kvm is real (nested, emulated) KVM.
#
#   lab.sh fetch                    get the amd64 kernel, its KVM and TUN
#                                   modules, and busybox (cached)
#   lab.sh probe [MODEL]            boot and run kvmprobe (tests/x86/
#                                   kvmprobe.c): a VM, a vCPU, out and hlt
#   lab.sh boot MODEL DIR COMMAND   boot MODEL with DIR as /lab, run COMMAND
#                                   there with busybox sh, power off
#
# MODEL is the CPU QEMU shows the lab kernel:
#   max     -cpu max: SVM with nested paging (NPT), vGIF, and the most
#           features TCG has
#   epyc    -cpu EPYC: an AMD server CPU model, SVM with NPT
#   shadow  -cpu qemu64,+svm,-npt: a bare CPU without nested paging, so
#           KVM runs its guests on shadow page tables
# boot prints COMMAND's output and exits with its status; 124 = timeout,
# 125 = the lab failed (message on stderr: kvm-amd did not load, no boot...).
# Cache: $MOTE_LAB_CACHE, default ~/.cache/mote-x86-lab. Time limit of one
# boot: $MOTE_LAB_TIMEOUT seconds (default 600: the whole suite takes
# 150-250 s, twice that on a loaded machine; each test has its own limit).
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

CACHE=${MOTE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mote-x86-lab}
LIMIT=${MOTE_LAB_TIMEOUT:-600}
HERE=$(cd "$(dirname "$0")" && pwd)
# modules the lab's /init loads, in order (kvm needs irqbypass); veth and
# the tc ones for the OCI runtime's network (tests/oci/runtime.sh)
MODULES="virt/lib/irqbypass.ko arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-amd.ko
    drivers/net/tun.ko drivers/net/veth.ko net/sched/sch_ingress.ko
    net/sched/cls_matchall.ko net/sched/act_mirred.ko"

fail() { echo "lab: $*" >&2; exit 125; }
# shellcheck source=../lab.inc
. "$(dirname "$0")/../lab.inc"

# The kernel: the cloud meta package's (e.g.
# linux-image-6.1.0-28-cloud-amd64), a third of the generic one's size, and
# it has everything the lab needs (serial console, kvm-amd, tun).
kernel_pkg() { lab_kernel_pkg linux-image-cloud-amd64 amd64; }

have_modules() {
    local m
    for m in $MODULES; do
        [ -f "$CACHE/modules/$(basename "$m")" ] || return 1
    done
}

fetch() {
    local kpkg kdeb m
    [ -f "$CACHE/vmlinuz" ] && [ -x "$CACHE/busybox" ] && have_modules &&
        return 0
    mkdir -p "$CACHE/debs"
    kpkg=$(kernel_pkg)
    [ -n "$kpkg" ] || {
        apt-get update -q >&2 || true
        kpkg=$(kernel_pkg); }
    [ -n "$kpkg" ] || fail "no linux-image-cloud-amd64 in apt"
    kpkg=${kpkg%:amd64}
    lab_download "$kpkg:amd64" || fail "cannot download $kpkg:amd64"
    lab_download busybox-static:amd64 || fail "cannot download busybox-static"
    kdeb=$(ls "$CACHE"/debs/"$kpkg"_*_amd64.deb | tail -n1)
    rm -rf "$CACHE/x" "$CACHE/modules.new" && mkdir -p "$CACHE/x" \
        "$CACHE/modules.new"
    dpkg-deb -x "$kdeb" "$CACHE/x"
    for m in $MODULES; do
        cp "$CACHE"/x/lib/modules/*/kernel/"$m" "$CACHE/modules.new/" ||
            fail "no $m in $kdeb"
    done
    dpkg-deb -x "$(ls "$CACHE"/debs/busybox-static_*_amd64.deb | tail -n1)" \
        "$CACHE/x"
    cp "$CACHE/x/bin/busybox" "$CACHE/busybox"
    cp "$CACHE"/x/boot/vmlinuz-* "$CACHE/vmlinuz.new"
    rm -rf "$CACHE/modules" && mv "$CACHE/modules.new" "$CACHE/modules"
    mv "$CACHE/vmlinuz.new" "$CACHE/vmlinuz"
    rm -rf "$CACHE/x"
}

# The guest's /init: mount, load KVM, run the command between markers.
write_init() { # FILE TAG COMMAND
    cat >"$1" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
chmod 755 / # as a real host's: a sandboxed mote is nobody
exec </dev/null >/dev/console 2>&1
for m in $(for m in $MODULES; do basename "$m"; done | tr '\n' ' '); do
    insmod /lib/\$m || echo "$2 insmod \$m failed"
done
ip link set lo up
echo "$2 booted \$(cut -d' ' -f1 /proc/uptime)"
if [ -c /dev/kvm ]; then
    cd /lab
    echo "$2 begin"
    sh -c '$3'
    echo "$2 end \$? \$(cut -d' ' -f1 /proc/uptime)"
else
    echo "$2 nokvm"
    grep -o -w -E 'svm|npt' /proc/cpuinfo | sort | uniq -c
    dmesg | grep -i -E 'kvm|svm'
fi
poweroff -f
INIT
    chmod 755 "$1"
}

qemu_args() { # MODEL
    local cpu
    case $1 in
    max) cpu=max ;;
    epyc) cpu=EPYC ;;
    shadow) cpu=qemu64,+svm,-npt ;;
    *) fail "unknown CPU model '$1' (max, epyc or shadow)" ;;
    esac
    # One TCG thread: with thread=multi the emulated machine sometimes
    # stalled as a whole under nested SVM (three runs in a row, once);
    # single-threaded it ran every suite in the same ~36 s.
    echo "-M q35 -cpu $cpu -smp 2 -m 1024 -accel tcg,thread=single" \
        "-nodefaults -no-user-config -display none -no-reboot -serial stdio"
}

boot() { # MODEL DIR COMMAND
    local tag log
    fetch
    command -v qemu-system-x86_64 >/dev/null ||
        fail "qemu-system-x86_64 missing (run tests/x86/setup.sh)"
    command -v cpio >/dev/null || fail "cpio missing (run tests/x86/setup.sh)"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    tag=$(lab_tag) log=$work/console
    lab_initrd "$work/initrd" "$2" "$tag" "$3" "$CACHE"/modules/*.ko
    # shellcheck disable=SC2046
    lab_boot "$1" "$tag" "$log" qemu-system-x86_64 $(qemu_args "$1") \
        -kernel "$CACHE/vmlinuz" -initrd "$work/initrd" \
        -append "console=ttyS0 rdinit=/init panic=-1 quiet" || return
    grep "^$tag insmod" "$log.txt" | sed "s/^$tag/lab: $1:/" >&2 || true
    if grep -q "^$tag nokvm" "$log.txt"; then
        sed -n "/^$tag nokvm/,\$p" "$log.txt" | sed 1d >&2
        fail "$1: no /dev/kvm in the lab (kvm-amd did not load?)"
    fi
    lab_result "$1" "$tag" "$log"
}

# kvmprobe, built static once into the cache, run in a lab of its own
probe() { # MODEL
    local dir
    fetch
    mkdir -p "$CACHE/probe"
    if [ ! -x "$CACHE/probe/kvmprobe" ] ||
        [ "$HERE/kvmprobe.c" -nt "$CACHE/probe/kvmprobe" ]; then
        ${CC:-cc} -static -O2 -o "$CACHE/probe/kvmprobe" "$HERE/kvmprobe.c" ||
            fail "cannot build kvmprobe (run tests/x86/setup.sh)"
    fi
    boot "$1" "$CACHE/probe" ./kvmprobe
}

case ${1:-} in
fetch) fetch ;;
probe) probe "${2:-max}" ;;
boot) [ $# = 4 ] || fail "usage: lab.sh boot MODEL DIR COMMAND"
    boot "$2" "$3" "$4" ;;
*) fail "usage: lab.sh fetch | lab.sh probe [MODEL] | lab.sh boot MODEL DIR COMMAND" ;;
esac
