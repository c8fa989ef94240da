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
# own modules (MODULES below), decompressed (6.12 ships .ko.xz).
# boot prints COMMAND's output and exits with its status; 124 = timeout,
# 125 = the lab failed (message on stderr: no /dev/kvm, no boot...).
# The guest loads the kernel package's modules at boot: tun, so COMMAND can
# make TAP devices (/dev/net/tun); veth and the tc ones (ingress qdisc,
# matchall filter, mirred action) for the OCI runtime's network
# (tests/oci/runtime.sh). busybox has ip, tunctl, ping, nc and udhcpd.
# Cache: $MOTE_LAB_CACHE, default ~/.cache/mote-arm64-lab: debs/, busybox,
# and one directory per kernel meta package (Image, the modules' .ko files,
# package: the kernel package they came from, modules: the MODULES that
# fetch took from it).
# Time limit of one boot: $MOTE_LAB_TIMEOUT seconds (default 480; a full
# run takes about 130-215 s of emulated time).
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

CACHE=${MOTE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mote-arm64-lab}
LIMIT=${MOTE_LAB_TIMEOUT:-480}
MODELS="generic pi4 pi5 pi5-16k generic-6.12"
# The modules the guest's /init loads, in this order (a module after the
# ones it depends on; none of these depends on another in Debian's 6.1 and
# 6.12 arm64 kernels: modinfo -F depends), each PATH:CONFIG: its path under
# the package's kernel/ and its config symbol (=y: built in, no file).
MODULES="drivers/net/tun.ko:TUN drivers/net/veth.ko:VETH
    net/sched/sch_ingress.ko:NET_SCH_INGRESS
    net/sched/cls_matchall.ko:NET_CLS_MATCHALL
    net/sched/act_mirred.ko:NET_ACT_MIRRED"

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

# The .ko file names of MODULES, in their order, one a line.
module_files() {
    local m
    for m in $MODULES; do
        m=${m%%:*}
        echo "${m##*/}"
    done
}

# unpack_module DIR PATH OUT: the PATH* under DIR's kernel/ (PATH.xz, say)
# as a plain module in OUT (busybox insmod loads plain modules only); 1
# when DIR has none, 2 when it cannot be decompressed here.
unpack_module() {
    local ko un
    ko=$(find "$1" -path "*/kernel/$2*" | head -n1)
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
    cat) cp "$ko" "$3" ;;
    *) $un -dc "$ko" >"$3" ;;
    esac || return 2
}

fetch_busybox() {
    [ -x "$CACHE/busybox" ] && return 0
    lab_download busybox-static:arm64 || fail "cannot download busybox-static:arm64"
    rm -rf "$CACHE/bx" && mkdir -p "$CACHE/bx"
    dpkg-deb -x "$(ls "$CACHE"/debs/busybox-static_*_arm64.deb | tail -n1)" \
        "$CACHE/bx"
    cp "$CACHE/bx/bin/busybox" "$CACHE/busybox.new"
    mv "$CACHE/busybox.new" "$CACHE/busybox"
    rm -rf "$CACHE/bx"
}

# stage_module X K PATH:CONFIG KDEB: the module PATH from the package KDEB
# unpacked under X, as a plain .ko into K; 1 when it cannot be decompressed
# here. A module built into the kernel (CONFIG_...=y in X's boot/config-*)
# needs no file; one the kernel has not at all is only said (without tun
# the lab has no TAP devices, and the suites that need them say SKIP).
stage_module() {
    local path=${3%%:*} cfg=${3#*:} name st=0
    name=${path##*/}
    unpack_module "$1" "$path" "$1/$name" || st=$?
    case $st in
    # a rename: a lab booting meanwhile copies the old file or the new one
    0) mv "$1/$name" "$2/$name" ;;
    1) rm -f "$2/$name"
        grep -qs "^CONFIG_$cfg=y" "$1"/boot/config-* ||
            echo "lab: no $name in $4 and not built in: the lab has none" >&2 ;;
    *) return 1 ;;
    esac
}

# fetch_kernel META: $CACHE/META/Image (plain: Debian ships it gzipped, QEMU
# wants it plain) and the MODULES, from the package META points to, once.
# A cache made with fewer MODULES (its modules file says which) gets the
# rest from the package it has (its package file names it).
fetch_kernel() {
    local k=$CACHE/$1 kpkg="" kdeb img x st=0 m pats=()
    [ -f "$k/Image" ] && [ -f "$k/package" ] &&
        [ "$(cat "$k/modules" 2>/dev/null)" = "$(module_files)" ] && return 0
    [ -f "$k/package" ] && kpkg=$(cat "$k/package")
    if [ -z "$kpkg" ] ||
        ! ls "$CACHE"/debs/"$kpkg"_*_arm64.deb >/dev/null 2>&1; then
        kpkg=$(lab_kernel_pkg "$1" arm64)
        [ -n "$kpkg" ] || {
            apt-get update -q >&2 || true
            kpkg=$(lab_kernel_pkg "$1" arm64); }
        [ -n "$kpkg" ] || fail "no $1:arm64 in apt (run tests/arm64/setup.sh)"
        kpkg=${kpkg%:arm64}
        lab_download "$kpkg:arm64" || fail "cannot download $kpkg:arm64"
    fi
    kdeb=$(ls "$CACHE"/debs/"$kpkg"_*_arm64.deb | tail -n1)
    x=$(mktemp -d "$CACHE/.x.XXXXXX")
    mkdir -p "$k"
    for m in $MODULES; do
        pats+=("*/kernel/${m%%:*}*")
    done
    # one pass over the package; tar says so when a module is missing
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$x" --wildcards \
        './boot/vmlinuz-*' './boot/config-*' "${pats[@]}" 2>/dev/null || true
    img=$(ls "$x"/boot/vmlinuz-* 2>/dev/null | head -n1)
    [ -n "$img" ] || { rm -rf "$x"; fail "no kernel image in $kdeb"; }
    if gzip -t "$img" 2>/dev/null; then gzip -dc "$img" >"$x/Image"
    else cp "$img" "$x/Image"; fi
    for m in $MODULES; do
        stage_module "$x" "$k" "$m" "$kdeb" || st=1
    done
    mv "$x/Image" "$k/Image"
    echo "$kpkg" >"$k/package"
    # no modules file when one could not be had here: the next fetch tries
    # again
    if [ $st = 0 ]; then module_files >"$k/modules"
    else rm -f "$k/modules"; fi
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
chmod 755 / # as a real host's: a sandboxed mote is nobody
exec </dev/null >/dev/console 2>&1
for m in $(module_files | tr '\n' ' '); do
    [ -f /lib/\$m ] && { insmod /lib/\$m || echo "$2 info \$m did not load"; }
done
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
    local tag k m mods=()
    model "$1"
    fetch "$1"
    k=$CACHE/$meta
    command -v qemu-system-aarch64 >/dev/null ||
        fail "qemu-system-aarch64 missing (run tests/arm64/setup.sh)"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    tag=$(lab_tag)
    for m in $(module_files); do
        mods+=("$k/$m")
    done
    lab_initrd "$work/initrd" "$2" "$tag" "$3" "${mods[@]}"
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
