#!/bin/bash
# The ARM64 lab: boot an emulated ARM64 Linux that has a real /dev/kvm
# (qemu-system-aarch64, TCG, EL2 emulated) and run one command in it.
#
#   lab.sh fetch [MODEL...]         get the models' kernels (default: every
#                                   model's) and busybox (cached)
#   lab.sh models                   list the models, one a line with what
#                                   they are
#   lab.sh describe MODEL           what MODEL is, in one line
#   lab.sh kernel MODEL             the path of MODEL's cached kernel .deb
#   lab.sh boot MODEL DIR COMMAND   boot MODEL with DIR as /lab, run COMMAND
#                                   there with busybox sh, power off
#
# MODEL (the host the lab emulates; one table, model() below):
#   generic       -cpu max, GICv3, VHE KVM; Debian 12's 6.1 kernel, 4K pages
#   pi4           Raspberry Pi 4-like: Cortex-A72, GICv2, non-VHE KVM; 6.1, 4K
#   pi5           Raspberry Pi 5-like: Cortex-A76, GICv2, VHE KVM; 6.1, 4K
#   pi5-16k       Raspberry Pi 5-like with a 16 KiB-page kernel, as Raspberry
#                 Pi OS runs a Pi 5: Cortex-A76, GICv2, VHE KVM; 6.12 -16k
#   generic-6.12  -cpu max, GICv3, VHE KVM; 6.12, 4K pages
# Kernels are the arm64 packages apt names for a meta package
# (linux-image-arm64, linux-image-6.12-arm64[-16k]), each cached with its
# own tun.ko, decompressed (6.12 ships tun.ko.xz).
# boot prints COMMAND's output and exits with its status; 124 = timeout,
# 125 = the lab failed (message on stderr: no /dev/kvm, no boot...).
# The guest loads the kernel package's tun.ko at boot, so COMMAND can make
# TAP devices (/dev/net/tun); busybox has ip, tunctl, ping, nc and udhcpd.
# Cache: $MOTE_LAB_CACHE, default ~/.cache/mote-arm64-lab: debs/, busybox,
# and one directory per kernel meta package (Image, tun.ko, package).
# Time limit of one boot: $MOTE_LAB_TIMEOUT seconds (default 480; a full
# run takes about 130-215 s of emulated time).
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

CACHE=${MOTE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mote-arm64-lab}
LIMIT=${MOTE_LAB_TIMEOUT:-480}
MODELS="generic pi4 pi5 pi5-16k generic-6.12"

fail() { echo "lab: $*" >&2; exit 125; }
# shellcheck source=../lab.inc
. "$(dirname "$0")/../lab.inc"

# model MODEL: sets cpu, gic, meta (the kernel's meta package) and what
# (one line for people). Every CPU here has the granule its kernel uses
# (the Cortex-A72 has no 16K granule: no pi4-16k).
model() {
    case $1 in
    generic) cpu=max,pauth-impdef=on gic=3 meta=linux-image-arm64
        what="-cpu max, GICv3, VHE KVM, 6.1 kernel, 4K pages" ;;
    pi4) cpu=cortex-a72 gic=2 meta=linux-image-arm64
        what="Raspberry Pi 4-like: Cortex-A72, GICv2, non-VHE KVM, 6.1 kernel, 4K pages" ;;
    pi5) cpu=cortex-a76 gic=2 meta=linux-image-arm64
        what="Raspberry Pi 5-like: Cortex-A76, GICv2, VHE KVM, 6.1 kernel, 4K pages" ;;
    pi5-16k) cpu=cortex-a76 gic=2 meta=linux-image-6.12-arm64-16k
        what="Raspberry Pi 5-like: Cortex-A76, GICv2, VHE KVM, 6.12 kernel, 16K pages" ;;
    generic-6.12) cpu=max,pauth-impdef=on gic=3 meta=linux-image-6.12-arm64
        what="-cpu max, GICv3, VHE KVM, 6.12 kernel, 4K pages" ;;
    *) fail "unknown host model '$1' ($MODELS)" ;;
    esac
}

# The kernel package a meta package points to, e.g.
# linux-image-arm64 -> linux-image-6.1.0-28-arm64.
kernel_pkg() { # META
    apt-cache depends "$1:arm64" 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n1
}

# download PKG:arm64 into the cache unless a .deb of it is there already
# (into a directory of its own first: other labs may share the cache)
download() {
    local name=${1%%:*} d
    ls "$CACHE"/debs/"$name"_*_arm64.deb >/dev/null 2>&1 && return 0
    echo "lab: downloading $1" >&2
    d=$(mktemp -d "$CACHE/debs/.get.XXXXXX")
    # its warning that _apt cannot write to the cache is noise
    (cd "$d" && apt-get download -q "$1" 2>&1 >&2 |
        grep -v "unsandboxed as root" >&2; exit "${PIPESTATUS[0]}") &&
        mv "$d"/*.deb "$CACHE/debs/" && rmdir "$d" || { rm -rf "$d"; return 1; }
}

# unpack_tun DIR OUT: the tun.ko* under DIR as a plain tun.ko in OUT
# (busybox insmod loads plain modules only); 1 when DIR has none, 2 when
# it cannot be decompressed here.
unpack_tun() {
    local ko un
    ko=$(find "$1" -name 'tun.ko*' | head -n1)
    case $ko in
    "") return 1 ;;
    *.ko) un=cat ;;
    *.ko.xz) un=xz ;;
    *.ko.zst) un=zstd ;;
    *.ko.gz) un=gzip ;;
    *) echo "lab: $ko: a compression this lab does not know" >&2; return 2 ;;
    esac
    command -v $un >/dev/null || {
        echo "lab: $ko needs $un (run tests/arm64/setup.sh)" >&2; return 2; }
    case $un in
    cat) cp "$ko" "$2" ;;
    *) $un -dc "$ko" >"$2" ;;
    esac || return 2
}

fetch_busybox() {
    [ -x "$CACHE/busybox" ] && return 0
    download busybox-static:arm64 || fail "cannot download busybox-static:arm64"
    rm -rf "$CACHE/bx" && mkdir -p "$CACHE/bx"
    dpkg-deb -x "$(ls "$CACHE"/debs/busybox-static_*_arm64.deb | tail -n1)" \
        "$CACHE/bx"
    cp "$CACHE/bx/bin/busybox" "$CACHE/busybox.new"
    mv "$CACHE/busybox.new" "$CACHE/busybox"
    rm -rf "$CACHE/bx"
}

# fetch_kernel META: $CACHE/META/Image (plain: Debian ships it gzipped, QEMU
# wants it plain) and tun.ko, from the package META points to, once.
# Without tun.ko the lab has no TAP devices (the network suite says SKIP).
fetch_kernel() {
    local k=$CACHE/$1 kpkg kdeb img x st
    [ -f "$k/Image" ] && [ -f "$k/package" ] && return 0
    kpkg=$(kernel_pkg "$1")
    [ -n "$kpkg" ] || {
        apt-get update -q >&2 || true
        kpkg=$(kernel_pkg "$1"); }
    [ -n "$kpkg" ] || fail "no $1:arm64 in apt (run tests/arm64/setup.sh)"
    kpkg=${kpkg%:arm64}
    download "$kpkg:arm64" || fail "cannot download $kpkg:arm64"
    kdeb=$(ls "$CACHE"/debs/"$kpkg"_*_arm64.deb | tail -n1)
    x=$(mktemp -d "$CACHE/.x.XXXXXX")
    mkdir -p "$k"
    # one pass over the package; tar says so when tun.ko* is missing
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$x" --wildcards \
        './boot/vmlinuz-*' '*/kernel/drivers/net/tun.ko*' 2>/dev/null || true
    img=$(ls "$x"/boot/vmlinuz-* 2>/dev/null | head -n1)
    [ -n "$img" ] || { rm -rf "$x"; fail "no kernel image in $kdeb"; }
    if gzip -t "$img" 2>/dev/null; then gzip -dc "$img" >"$x/Image"
    else cp "$img" "$x/Image"; fi
    rm -f "$k/tun.ko"
    st=0
    unpack_tun "$x" "$x/tun.ko" || st=$?
    [ $st = 0 ] && mv "$x/tun.ko" "$k/tun.ko"
    [ $st = 1 ] && echo "lab: no tun.ko in $kdeb: no TAP devices in the lab" >&2
    mv "$x/Image" "$k/Image"
    # no package file when tun.ko could not be had here: the next fetch
    # tries again
    [ $st = 2 ] || echo "$kpkg" >"$k/package"
    rm -rf "$x"
}

fetch() { # MODEL...
    local m metas=""
    mkdir -p "$CACHE/debs"
    fetch_busybox
    for m in "$@"; do
        model "$m"
        case " $metas " in *" $meta "*) ;; *) metas="$metas $meta" ;; esac
    done
    for meta in $metas; do
        fetch_kernel "$meta"
    done
}

# The guest's /init: mount, check /dev/kvm, run the command between markers.
write_init() { # FILE TAG COMMAND
    cat >"$1" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
exec </dev/null >/dev/console 2>&1
[ -f /lib/tun.ko ] && { insmod /lib/tun.ko || echo "$2 info tun.ko did not load"; }
ip link set lo up
echo "$2 booted \$(cut -d' ' -f1 /proc/uptime)"
echo "$2 info kernel \$(uname -r), \$(sed -n 's/^KernelPageSize: *//p' /proc/self/smaps | head -n1) pages"
if [ -c /dev/kvm ]; then
    cd /lab
    echo "$2 begin"
    sh -c '$3'
    echo "$2 end \$? \$(cut -d' ' -f1 /proc/uptime)"
else
    echo "$2 nokvm"
    dmesg | grep -i kvm
fi
poweroff -f
INIT
    chmod 755 "$1"
}

qemu_args() { # MODEL
    model "$1"
    # two CPUs: the Pi profiles keep CPU 0 for the host (cpus 1-3)
    echo "-M virt,virtualization=on,gic-version=$gic -cpu $cpu -smp 2" \
        "-m 1024 -accel tcg,thread=multi -nodefaults -no-user-config" \
        "-display none -no-reboot -serial stdio"
}

boot() { # MODEL DIR COMMAND
    local tag k
    model "$1"
    fetch "$1"
    k=$CACHE/$meta
    command -v qemu-system-aarch64 >/dev/null ||
        fail "qemu-system-aarch64 missing (run tests/arm64/setup.sh)"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    tag=$(lab_tag)
    lab_initrd "$work/initrd" "$2" "$tag" "$3" "$k/tun.ko"
    # shellcheck disable=SC2046
    lab_boot "$1" "$tag" "$work/console" qemu-system-aarch64 \
        $(qemu_args "$1") -kernel "$k/Image" -initrd "$work/initrd" \
        -append "console=ttyAMA0 rdinit=/init panic=-1 quiet" || return
    grep -q "^$tag nokvm" "$work/console.txt" &&
        fail "$1: the lab kernel has no /dev/kvm"
    lab_result "$1" "$tag" "$work/console"
}

models() {
    for m in $MODELS; do
        model "$m"
        printf '%-13s %s\n' "$m" "$what"
    done
}

case ${1:-} in
fetch) shift
    [ $# -gt 0 ] || set -- $MODELS
    fetch "$@" ;;
models) models ;;
kernel) [ $# = 2 ] || fail "usage: lab.sh kernel MODEL"
    model "$2"; fetch_kernel "$meta"
    ls "$CACHE"/debs/"$(cat "$CACHE/$meta/package")"_*_arm64.deb | tail -n1 ;;
describe) [ $# = 2 ] || fail "usage: lab.sh describe MODEL"
    model "$2"; echo "$what" ;;
boot) [ $# = 4 ] || fail "usage: lab.sh boot MODEL DIR COMMAND"
    boot "$2" "$3" "$4" ;;
*) fail "usage: lab.sh fetch [MODEL...] | models | describe MODEL |" \
    "kernel MODEL |" \
    "boot MODEL DIR COMMAND" ;;
esac
