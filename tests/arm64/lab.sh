#!/bin/bash
# The ARM64 lab: boot an emulated ARM64 Linux that has a real /dev/kvm
# (qemu-system-aarch64, TCG, EL2 emulated) and run one command in it.
#
#   lab.sh fetch                    get the arm64 kernel and busybox (cached)
#   lab.sh boot MODEL DIR COMMAND   boot MODEL with DIR as /lab, run COMMAND
#                                   there with busybox sh, power off
#
# MODEL: generic (-cpu max, GICv3, VHE KVM), pi4 (Cortex-A72, GICv2,
# non-VHE KVM), pi5 (Cortex-A76, GICv2, VHE KVM).
# boot prints COMMAND's output and exits with its status; 124 = timeout,
# 125 = the lab failed (message on stderr: no /dev/kvm, no boot...).
# The guest loads the kernel package's tun.ko at boot, so COMMAND can make
# TAP devices (/dev/net/tun); busybox has ip, tunctl, ping, nc and udhcpd.
# Cache: $MOTE_LAB_CACHE, default ~/.cache/mote-arm64-lab. Time limit of
# one boot: $MOTE_LAB_TIMEOUT seconds (default 480; a full run takes about
# 130-215 s of emulated time).
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

CACHE=${MOTE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mote-arm64-lab}
LIMIT=${MOTE_LAB_TIMEOUT:-480}

fail() { echo "lab: $*" >&2; exit 125; }
# shellcheck source=../lab.inc
. "$(dirname "$0")/../lab.inc"

# The kernel package the arm64 meta package points to, e.g.
# linux-image-6.1.0-28-arm64.
kernel_pkg() {
    apt-cache depends linux-image-arm64:arm64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n1
}

# download PKG:arm64 into the cache unless a .deb of it is there already
download() {
    local name=${1%%:*}
    ls "$CACHE"/debs/"$name"_*_arm64.deb >/dev/null 2>&1 && return 0
    echo "lab: downloading $1" >&2
    (cd "$CACHE/debs" && apt-get download -q "$1" >&2)
}

# tun.ko from the cached kernel package, once (caches older than it have
# the Image already). Without it the lab has no TAP devices.
fetch_tun() {
    local kdeb
    [ -f "$CACHE/tun.ko" ] && return 0
    kdeb=$(ls "$CACHE"/debs/linux-image-*_arm64.deb 2>/dev/null | tail -n1)
    [ -n "$kdeb" ] || return 0
    rm -rf "$CACHE/t" && mkdir -p "$CACHE/t"
    dpkg-deb --fsys-tarfile "$kdeb" |
        tar -x -C "$CACHE/t" --wildcards '*/kernel/drivers/net/tun.ko' &&
        find "$CACHE/t" -name tun.ko -exec cp {} "$CACHE/tun.ko" \; ||
        echo "lab: no tun.ko in $kdeb: no TAP devices in the lab" >&2
    rm -rf "$CACHE/t"
}

fetch() {
    local kpkg kdeb img
    [ -f "$CACHE/Image" ] && [ -x "$CACHE/busybox" ] && { fetch_tun; return 0; }
    mkdir -p "$CACHE/debs"
    kpkg=$(kernel_pkg)
    [ -n "$kpkg" ] || fail "no linux-image-arm64:arm64 in apt (run tests/arm64/setup.sh)"
    download "${kpkg%:arm64}:arm64" || fail "cannot download $kpkg:arm64"
    download busybox-static:arm64 || fail "cannot download busybox-static:arm64"
    kdeb=$(ls "$CACHE"/debs/"${kpkg%:arm64}"_*_arm64.deb | tail -n1)
    rm -rf "$CACHE/x" && mkdir -p "$CACHE/x"
    dpkg-deb --fsys-tarfile "$kdeb" |
        tar -x -C "$CACHE/x" --wildcards './boot/vmlinuz-*'
    img=$(ls "$CACHE"/x/boot/vmlinuz-* | head -n1)
    # Debian ships the arm64 Image gzip-compressed; QEMU wants it plain.
    if gzip -t "$img" 2>/dev/null; then gzip -dc "$img" >"$CACHE/Image.new"
    else cp "$img" "$CACHE/Image.new"; fi
    dpkg-deb -x "$(ls "$CACHE"/debs/busybox-static_*_arm64.deb | tail -n1)" \
        "$CACHE/x"
    cp "$CACHE/x/bin/busybox" "$CACHE/busybox"
    mv "$CACHE/Image.new" "$CACHE/Image"
    rm -rf "$CACHE/x"
    fetch_tun
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
[ -f /lib/tun.ko ] && insmod /lib/tun.ko
ip link set lo up
echo "$2 booted \$(cut -d' ' -f1 /proc/uptime)"
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
    local cpu gic
    case $1 in
    generic) cpu=max,pauth-impdef=on gic=3 ;;
    pi4) cpu=cortex-a72 gic=2 ;;
    pi5) cpu=cortex-a76 gic=2 ;;
    *) fail "unknown host model '$1' (generic, pi4 or pi5)" ;;
    esac
    # two CPUs: the Pi profiles keep CPU 0 for the host (cpus 1-3)
    echo "-M virt,virtualization=on,gic-version=$gic -cpu $cpu -smp 2" \
        "-m 1024 -accel tcg,thread=multi -nodefaults -no-user-config" \
        "-display none -no-reboot -serial stdio"
}

boot() { # MODEL DIR COMMAND
    local tag
    fetch
    command -v qemu-system-aarch64 >/dev/null ||
        fail "qemu-system-aarch64 missing (run tests/arm64/setup.sh)"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    tag=$(lab_tag)
    lab_initrd "$work/initrd" "$2" "$tag" "$3" "$CACHE/tun.ko"
    # shellcheck disable=SC2046
    lab_boot "$1" "$tag" "$work/console" qemu-system-aarch64 \
        $(qemu_args "$1") -kernel "$CACHE/Image" -initrd "$work/initrd" \
        -append "console=ttyAMA0 rdinit=/init panic=-1 quiet" || return
    grep -q "^$tag nokvm" "$work/console.txt" &&
        fail "$1: the lab kernel has no /dev/kvm"
    lab_result "$1" "$tag" "$work/console"
}

case ${1:-} in
fetch) fetch ;;
boot) [ $# = 4 ] || fail "usage: lab.sh boot MODEL DIR COMMAND"
    boot "$2" "$3" "$4" ;;
*) fail "usage: lab.sh fetch | lab.sh boot MODEL DIR COMMAND" ;;
esac
