#!/bin/sh
# Host packages for the ARM64 cross build and lab, installed only when
# missing: the aarch64 cross compiler, QEMU, cmocka and libfdt (native);
# xz and zstd for the lab kernels' compressed modules (6.12's tun.ko.xz).
#
#   setup.sh              install what is missing
#   setup.sh cross        install the aarch64 cross compiler if missing
#   setup.sh libs DIR     unpack libfdt-dev:arm64, libmbedtls-dev:arm64,
#                         libjansson-dev:arm64 into DIR, for the static
#                         cross-built monitor, and cmocka for its unit tests
#   setup.sh tools DIR    unpack the arm64 test clients (curl, ab,
#                         mosquitto, mosquitto_sub, openssl, dnsmasq; ip and
#                         iperf3 for make bench in the lab) and the
#                         libraries they depend on into DIR/root, for the
#                         lab (tests/lab-tools.sh --sysroot); cached: a
#                         second run needs no network
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
# libcmocka-dev and libcmocka0: the aarch64 unit tests (tests/arm64/unit.sh)
ARM64_LIBS="libfdt-dev libmbedtls-dev libjansson-dev libcmocka-dev libcmocka0"
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

# The arm64 packages of the lab's test clients, and what they depend on.
ARM64_TOOLS="curl apache2-utils mosquitto mosquitto-clients openssl dnsmasq-base iproute2 iperf3"

# closure PKG...: PKG and the arm64 packages it depends on, recursively,
# one a line. Only arch-qualified (Multi-Arch: same, i.e. library)
# dependencies are followed: never adduser, debconf and the like, which
# the recursion of apt-cache itself walks into. At most 200 packages.
closure() {
    # shellcheck disable=SC2046
    apt-cache depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances \
        $(for p in "$@"; do echo "$p:arm64"; done) 2>/dev/null |
        awk -v roots="$*" '
        /^[^ ]/ { pkg = $1; sub(/:arm64$/, "", pkg); next }
        /^  \|?(Pre)?Depends: [^<]*:arm64$/ { d = $2; sub(/:arm64$/, "", d)
            dep[pkg] = dep[pkg] " " d }
        END { n = split(roots, todo, " ")
            for (i = 1; i <= n; i++) seen[todo[i]] = 1
            for (i = 1; i <= n && n <= 200; i++) {
                print todo[i]
                m = split(dep[todo[i]], ds, " ")
                for (j = 1; j <= m; j++)
                    if (!seen[ds[j]]++) todo[++n] = ds[j]
            }
            if (n > 200) { print "too many packages" > "/dev/stderr"
                exit 1 } }'
}

# tools DIR: download the closure of ARM64_TOOLS into DIR/debs (once) and
# unpack it into DIR/root; DIR/made says it is complete.
tools() {
    [ -f "$1/made" ] && [ "$(cat "$1/made")" = "$ARM64_TOOLS" ] && return 0
    arm64_apt
    pkgs=$(closure $ARM64_TOOLS) && [ -n "$pkgs" ] ||
        { $SUDO apt-get update -q >&2 && pkgs=$(closure $ARM64_TOOLS); } &&
        [ -n "$pkgs" ] || {
            echo "mote: no arm64 packages for $ARM64_TOOLS in apt" >&2
            return 1; }
    echo "mote: the lab's test clients: $(echo $pkgs | wc -w) arm64 packages" \
        "into $1" >&2
    rm -rf "$1/root" "$1/made" && mkdir -p "$1/debs" "$1/root" || return 1
    get=$(for p in $pkgs; do
        ls "$1/debs/${p}"_*_arm64.deb >/dev/null 2>&1 || echo "$p:arm64"
    done)
    # one apt-get for all; its warning that _apt cannot write to DIR is noise
    if [ -n "$get" ]; then
        (cd "$1/debs" && apt-get download -q $get) 2>"$1/apt.err" >&2 || {
            cat "$1/apt.err" >&2
            echo "mote: cannot download the arm64 packages" \
                "(apt-get download)" >&2
            return 1; }
        grep -v "unsandboxed as root" "$1/apt.err" >&2 || true
    fi
    for p in $pkgs; do
        dpkg-deb -x "$(ls "$1/debs/${p}"_*_arm64.deb | tail -n1)" \
            "$1/root" || return 1
    done
    echo "$ARM64_TOOLS" >"$1/made"
}

# apt_install WHAT PKG...: those of PKG not installed yet, after apt-get update
apt_install() {
    what=$1 pkgs=""
    shift
    for p in "$@"; do
        have "$p" || pkgs="$pkgs $p"
    done
    [ -z "$pkgs" ] && return 0
    echo "mote: installing $what:$pkgs" >&2
    $SUDO apt-get update -q >&2
    # shellcheck disable=SC2086 # package names
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
        --no-install-recommends $pkgs >&2
}

# The aarch64 cross compiler: all that make ARCH=aarch64 needs installed.
CROSS_PKGS="gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross"

case ${1:-} in
cross) apt_install "the aarch64 cross compiler" $CROSS_PKGS; exit ;;
libs) libs "$2"; exit ;;
tools) tools "$2"; exit ;;
esac
arm64_apt
native=$(dpkg --print-architecture)
# shellcheck disable=SC2086 # package names
apt_install "ARM64 build/lab dependencies" $CROSS_PKGS libfdt-dev:$native \
    libmbedtls-dev:$native libjansson-dev:$native libcmocka-dev:$native \
    qemu-system-arm cpio file xz-utils zstd
