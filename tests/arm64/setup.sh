#!/bin/sh
# Install what the ARM64 cross build and lab need, only what is missing:
# the aarch64 cross compiler, libfdt for arm64 (static monitor), QEMU.
set -e
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "mote: enabling the arm64 package architecture"
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update -q
fi
pkgs=""
for p in gcc-aarch64-linux-gnu libc6-dev-arm64-cross libfdt-dev:arm64 \
    libfdt-dev libcmocka-dev qemu-system-arm cpio file; do
    have "$p" || pkgs="$pkgs $p"
done
[ -z "$pkgs" ] && exit 0
echo "mote: installing ARM64 build/lab dependencies:$pkgs"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
    --no-install-recommends $pkgs
