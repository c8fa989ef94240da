#!/bin/sh
# Host packages for the ARM64 cross build and lab, installed only when
# missing: the aarch64 cross compiler, QEMU, cmocka and libfdt (native).
#
#   setup.sh              install what is missing
#   setup.sh libfdt DIR   unpack libfdt-dev:arm64 into DIR (for the static
#                         cross-built monitor) unless it is there already
#
# libfdt-dev is not co-installable across architectures on Debian 12, so
# the arm64 one is downloaded and unpacked, never installed.
set -e
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

arm64_apt() {
    dpkg --print-foreign-architectures | grep -qx arm64 && return 0
    echo "mote: enabling the arm64 package architecture" >&2
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update -q >&2
}

# Unpack libfdt-dev:arm64 into $1 (usr/include, usr/lib/aarch64-linux-gnu).
libfdt() {
    [ -f "$1/usr/lib/aarch64-linux-gnu/libfdt.a" ] && return 0
    arm64_apt
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -q libfdt-dev:arm64 >&2 2>/dev/null) ||
        { $SUDO apt-get update -q >&2 &&
          (cd "$tmp" && apt-get download -q libfdt-dev:arm64 >&2); }
    mkdir -p "$1"
    dpkg-deb -x "$tmp"/libfdt-dev_*_arm64.deb "$1"
    rm -rf "$tmp"
}

if [ "${1:-}" = libfdt ]; then
    libfdt "$2"
    exit 0
fi
arm64_apt
native=$(dpkg --print-architecture)
pkgs=""
for p in gcc-aarch64-linux-gnu libc6-dev-arm64-cross libfdt-dev:$native \
    libcmocka-dev:$native qemu-system-arm cpio file; do
    have "$p" || pkgs="$pkgs $p"
done
[ -z "$pkgs" ] && exit 0
echo "mote: installing ARM64 build/lab dependencies:$pkgs" >&2
$SUDO apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
    --no-install-recommends $pkgs >&2
