#!/bin/sh
# mote against Debian 13's mbedtls 3.6 on a host with 2.28 (Debian 12,
# Ubuntu 24.04; a 3.x host needs none of it): no KVM, no root, nothing
# installed. From the Debian mirror this machine's apt
# uses (tests/apt.inc; the index is tests/deps.sh's), fetched once into
# build/mbedtls3/ and build/src/mbedtls-trixie/:
#  - trixie's libmbedtls-dev: it ships the static libraries; the monitor
#    and its unit tests built against it (make B=build/mbedtls3/build with
#    -I and -L to the unpacked package, static as always) link 3.6, and
#    the unit tests pass, signatures, keys and snapshots among them; with
#    an aarch64 cross compiler, the arm64 monitor against trixie's arm64
#    package too;
#  - it and the host's own build (build/mote, 2.28) sign alike: one key,
#    one image, the same bytes (RFC 6979), each verifies the other's, and
#    they refuse a P-384 key alike;
#  - trixie's mbedtls source (make MBEDTLS_SUITE=trixie fetches the same):
#    its headers with unikernel/mbedtls/mote_config.h pass mbedtls's own
#    configuration checks (TLS 1.2 on, 1.3 off), and the guests' mbedtls
#    code compiles against them with mote-cc (mote_entropy.c, https-server,
#    mqtt-sensor, the TLS test and benchmark);
#  - natively against trixie's libmbedtls-dev (Debian's configuration,
#    TLS 1.3 built in): the TLS benchmark runs its handshakes (TLS 1.2,
#    chain verified), https-server and mqtt-sensor link.
# An archive that cannot be reached is a loud SKIP. Prints PASS/FAIL lines
# and one counted line.
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=tests/apt.inc
. tests/apt.inc
out=build/mbedtls3
pass=0 fail=0
log=$(mktemp) || exit 2
trap 'rm -rf "$log" "$log".*' EXIT

ok() {
    echo "PASS $*"
    pass=$((pass + 1))
}
bad() {
    echo "FAIL $1"
    [ -z "${2:-}" ] || echo "$2" | sed 's/^/    | /'
    fail=$((fail + 1))
}
summary() {
    echo "mbedtls 3.6 build (Debian 13): $pass passed, $fail failed"
    [ "$fail" = 0 ]
    exit
}
skip() {
    echo "SKIP: mbedtls 3.6 build (Debian 13) NOT CHECKED: $*"
}

# On a host whose own libmbedtls-dev is 3.x (Debian 13) the rest of make
# test builds and runs everything against it.
hv=$(echo '#include <mbedtls/version.h>
MBEDTLS_VERSION_STRING' | ${CC:-gcc} -E -P - 2>/dev/null | tail -n 1 |
    tr -d '"')
case $hv in
3.*)
    echo "note: this host's libmbedtls-dev is $hv: make test itself" \
        "builds mote against it"
    summary
    ;;
esac
arch=$(.ci/host-arch)
case $arch in
x86_64) deb=amd64 ;;
aarch64) deb=arm64 ;;
*)
    skip "no Debian 13 package arch for $arch"
    summary
    ;;
esac

# dev ARCH: trixie's libmbedtls-dev for Debian arch ARCH, unpacked once in
# $out/ARCH (its version in $out/ARCH/.unpacked); sets root and version
dev() {
    root=$out/$1
    if [ ! -f "$root/.unpacked" ]; then
        # shellcheck disable=SC2046 # URI and KEYRING
        set -- "$1" $(mirror | head -n 1)
        [ $# -ge 3 ] || { skip "no Debian mirror in $etc"; return 1; }
        state "debian-13-$1" "$1" "$2" trixie main "$3" &&
            fetch || {
            skip "trixie's $1 index could not be fetched from $2:" \
                "$(grep -E '^(E|W):' "$st/update.log" | head -n 1)"
            return 1
        }
        rm -rf "$root" "$out/debs-$1" && mkdir -p "$out/debs-$1" || return 1
        (cd "$out/debs-$1" && papt apt-get download libmbedtls-dev) \
            >"$log" 2>&1 || {
            skip "trixie's libmbedtls-dev ($1) could not be downloaded:" \
                "$(grep '^E:' "$log" | head -n 1)"
            return 1
        }
        d=$(echo "$out/debs-$1"/libmbedtls-dev_*.deb)
        rm -rf "$root.part" && dpkg-deb -x "$d" "$root.part" &&
            mv "$root.part" "$root" &&
            dpkg-deb -f "$d" Version >"$root/.unpacked" || return 1
    fi
    version=$(cat "$root/.unpacked")
    a=$(ls "$root"/usr/lib/*/libmbedcrypto.a "$root"/usr/lib/*/libmbedx509.a \
        "$root"/usr/lib/*/libmbedtls.a 2>/dev/null | wc -l)
    if [ "$a" = 3 ]; then
        ok "trixie's libmbedtls-dev $version ($1) ships the static libraries"
    else
        bad "trixie's libmbedtls-dev $version ($1): $a of 3 static libraries"
        return 1
    fi
}

# monitor ARCH TRIPLET [MAKE ARGS...]: build/mbedtls3/build's monitor (and
# what the make arguments add) against $root
monitor() {
    a=$1 t=$2
    shift 2
    if make -s B="$out/build" ARCH="$a" \
        CFLAGS="-O2 -g -I$CURDIR/$root/usr/include" \
        LDFLAGS="-L$CURDIR/$root/usr/lib/$t" "$@" >"$log" 2>&1; then
        :
    else
        bad "make against libmbedtls-dev $version ($a)" "$(tail -n 15 "$log")"
        return 1
    fi
}

# linked BINARY WHAT: BINARY holds 3.6-only code (an accessor new in 3.6)
linked() {
    if nm "$1" 2>/dev/null | grep -q ' T mbedtls_ecp_keypair_get_group_id$'; then
        ok "$2 links libmbedtls-dev $version (static)"
    else
        bad "$2 does not hold mbedtls 3.6's code"
    fi
}

CURDIR=$(pwd)
m3=$out/build/mote
# mote_v 2|3: the monitor linked with 2.28 (the host's build) or 3.6
mote_v() {
    if [ "$1" = 2 ]; then echo "$m2"; else echo "$m3"; fi
}
if dev $deb && monitor "$arch" "$arch-linux-gnu" "$m3" unit; then
    linked "$m3" "the $arch monitor ($m3)"
    n=0
    for t in "$out/build/$arch"/tests/unit/test_*; do
        [ -x "$t" ] || continue
        n=$((n + 1))
        if "$t" >"$log" 2>&1; then
            ok "unit test ${t##*/} against 3.6 ($(sed -n \
                's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log") tests)"
        else
            bad "unit test ${t##*/} against 3.6" "$(grep -E 'FAIL|ERROR' \
                "$log" | head -n 10)"
        fi
    done
    [ $n -gt 0 ] || skip "unit tests: none built (libcmocka-dev missing?)"

    # the same key, image and bytes signed by 2.28 and 3.6; h-SK.elf:
    # signed by mote S (2: the host's own build, 3: $m3) with the key K made
    m2=build/mote hello=build/$arch/hello.elf
    if [ -x $m2 ] && [ -f "$hello" ]; then
        w=$log.sign && mkdir -p "$w" && cp "$hello" "$w/h.elf"
        for v in 2 3; do
            "$(mote_v $v)" keygen "$w/k$v.key" >/dev/null
        done
        for s in 2 3; do
            for k in 2 3; do
                "$(mote_v $s)" sign --key "$w/k$k.key" "$w/h.elf" \
                    -o "$w/h-$s$k.elf" >/dev/null
            done
        done
        if cmp -s "$w/h-22.elf" "$w/h-32.elf" &&
            cmp -s "$w/h-23.elf" "$w/h-33.elf"; then
            ok "2.28 and 3.6 sign alike: the same signed image, byte for byte"
        else
            bad "2.28 and 3.6 signed one image with one key differently"
        fi
        good=0
        for s in 2 3; do
            for k in 2 3; do
                for v in 2 3; do
                    "$(mote_v $v)" verify --trust "$w/k$k.key.pub" \
                        "$w/h-$s$k.elf" >/dev/null 2>&1 && good=$((good + 1))
                done
            done
        done
        if [ $good = 8 ]; then
            ok "keys of either, signed by either, verified by either (8)"
        else
            bad "cross-verification: $good of 8 verified"
        fi
        e2=$($m2 sign --key tests/data/p384.key "$w/h.elf" -o "$w/x" 2>&1)
        e3=$($m3 sign --key tests/data/p384.key "$w/h.elf" -o "$w/x" 2>&1)
        if [ -n "$e3" ] && [ "$e2" = "$e3" ]; then
            ok "a P-384 key refused alike: $e3"
        else
            bad "a P-384 key: 2.28 says '$e2', 3.6 '$e3'"
        fi
    else
        skip "2.28 against 3.6 signing: no $m2 or $hello (make first)"
    fi

    # natively, with Debian 13's own configuration (TLS 1.3 built in)
    n3=$out/native
    mkdir -p "$n3"
    nat="-O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE
        -I$root/usr/include -idirafter unikernel -static"
    libs="-L$root/usr/lib/$arch-linux-gnu -lmbedtls -lmbedx509 -lmbedcrypto"
    # shellcheck disable=SC2086 # lists of options
    if ${CC:-gcc} $nat -fno-pie -no-pie bench/both/tls.c -o "$n3/tls" $libs \
        >"$log" 2>&1 && "$n3/tls" 3 >"$log" 2>&1 &&
        grep -q '^suite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256$' "$log"; then
        ok "native TLS benchmark on 3.6 (Debian's configuration): 3" \
            "handshakes, $(sed -n 's/^suite //p' "$log"), chain verified"
    else
        bad "native TLS benchmark against 3.6" "$(tail -n 8 "$log")"
    fi
    for p in https-server mqtt-sensor; do
        # shellcheck disable=SC2086
        if ${CC:-gcc} $nat examples/$p/*.c -o "$n3/$p" $libs >"$log" 2>&1; then
            ok "native $p links against 3.6"
        else
            bad "native $p against 3.6" "$(tail -n 8 "$log")"
        fi
    done
fi

# the arm64 monitor, cross-built, against trixie's arm64 package
if [ "$arch" = x86_64 ] && command -v aarch64-linux-gnu-gcc >/dev/null &&
    [ -f build/aarch64/deps/.unpacked ]; then
    if dev arm64 && monitor aarch64 aarch64-linux-gnu \
        ARM64_DEPS="$CURDIR/build/aarch64/deps" "$out/build/aarch64/mote"; then
        linked "$out/build/aarch64/mote" "the arm64 monitor (cross-built)"
    fi
elif [ "$arch" = x86_64 ]; then
    echo "note: no aarch64 cross build here (make ARCH=aarch64 first):" \
        "the arm64 monitor is not built against 3.6"
fi

# the guests' side: trixie's source, mote's configuration, mote-cc
src=build/src/mbedtls-trixie
if ! MOTE_SRC_SUITE=trixie unikernel/fetch-src.sh mbedtls $src \
    >"$log" 2>&1; then
    skip "trixie's mbedtls source could not be fetched: $(tail -n 1 "$log")"
    summary
fi
inc=$out/guest-include
rm -rf "$inc" && cp -R $src/include "$inc" &&
    cp unikernel/mbedtls/mote_config.h unikernel/mbedtls/mote_compat.h \
        "$inc/mbedtls/" && c=$inc/mbedtls/mbedtls_config.h &&
    { echo '#define MBEDTLS_USER_CONFIG_FILE "mbedtls/mote_config.h"' &&
        cat "$c"; } >"$c.new" && mv "$c.new" "$c" || {
    bad "cannot prepare $inc"
    summary
}
sv=$(cut -d' ' -f2 $src/.unpacked)
for a in x86_64 aarch64; do
    cc=build/$a/mote-cc
    [ -x "$cc" ] || {
        [ "$a" != "$arch" ] || bad "no $cc: make first"
        continue
    }
    printf '%s\n' '#include <mbedtls/ssl.h>' \
        '#if !defined(MBEDTLS_SSL_PROTO_TLS1_2) || defined(MBEDTLS_SSL_PROTO_TLS1_3)' \
        '#error "not TLS 1.2 only"' '#endif' \
        '#if MBEDTLS_VERSION_MAJOR != 3' '#error "not 3.x"' '#endif' \
        >"$log.c"
    if $cc -I"$inc" -c "$log.c" -o "$log.o" >"$log" 2>&1; then
        ok "$a: mbedtls $sv with mote_config.h: configuration checked," \
            "TLS 1.2 only"
    else
        bad "$a: mbedtls $sv with mote_config.h" "$(tail -n 8 "$log")"
    fi
    for f in unikernel/mbedtls/mote_entropy.c examples/https-server/*.c \
        examples/mqtt-sensor/*.c tests/guest/tls.c bench/both/tls.c; do
        if ! $cc -I"$inc" -O2 -Wall -Wextra -Werror -c "$f" -o "$log.o" \
            >"$log" 2>&1; then
            bad "$a: $f against mbedtls $sv" "$(tail -n 8 "$log")"
            continue 2
        fi
    done
    ok "$a: the guests' mbedtls code compiles against mbedtls $sv" \
        "(mote_entropy.c, https-server, mqtt-sensor, TLS test and benchmark)"
done
summary
