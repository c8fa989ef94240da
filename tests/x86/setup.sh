#!/bin/sh
# Host packages for the x86_64 lab (tests/x86/lab.sh), installed only when
# missing: QEMU for x86 (it runs under TCG: the lab exists for machines
# without /dev/kvm), cpio for the initramfs, gcc for the lab's KVM probe.
set -e
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
pkgs=""
for p in qemu-system-x86 cpio gcc libc6-dev; do
    have "$p" || pkgs="$pkgs $p"
done
[ -z "$pkgs" ] && exit 0
echo "mote: installing x86_64 lab dependencies:$pkgs" >&2
$SUDO apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
    --no-install-recommends $pkgs >&2
