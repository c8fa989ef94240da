#!/bin/sh
# Host packages for the ARM64 cross build and lab, installed only when
# missing: the aarch64 cross compiler, QEMU, cmocka and libfdt (native).
#
#   setup.sh              install what is missing
#   setup.sh libs DIR     unpack libfdt-dev:arm64 and libmbedtls-dev:arm64
#                         into DIR, for the static cross-built monitor
#
# libfdt-dev is not co-installable across architectures on Debian 12, so
# the arm64 packages are downloaded and unpacked, never installed.
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

# Unpack the arm64 -dev packages the static monitor links into $1.
ARM64_LIBS="libfdt-dev libmbedtls-dev"
libs() {
    arm64_apt
    tmp=$(mktemp -d)
    for p in $ARM64_LIBS; do
        (cd "$tmp" && apt-get download -q "$p:arm64" >&2 2>/dev/null) ||
            { $SUDO apt-get update -q >&2 &&
              (cd "$tmp" && apt-get download -q "$p:arm64" >&2); } ||
            { rm -rf "$tmp"; return 1; }
    done
    mkdir -p "$1"
    for d in "$tmp"/*_arm64.deb; do
        dpkg-deb -x "$d" "$1"
    done
    rm -rf "$tmp"
}

if [ "${1:-}" = libs ]; then
    libs "$2"
    exit
fi
arm64_apt
native=$(dpkg --print-architecture)
pkgs=""
for p in gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross libfdt-dev:$native \
    libmbedtls-dev:$native libcmocka-dev:$native qemu-system-arm cpio file; do
    have "$p" || pkgs="$pkgs $p"
done
[ -z "$pkgs" ] && exit 0
echo "mote: installing ARM64 build/lab dependencies:$pkgs" >&2
$SUDO apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
    --no-install-recommends $pkgs >&2
