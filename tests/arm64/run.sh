#!/bin/sh
# ARM64 tests: cross-build mote and its guests for aarch64, sign them with
# the test key as the x86_64 guest tests do, then boot the lab once per
# host model and run every guest test case under its real KVM with that
# key trusted, then the network tests (tests/net, on a TAP inside the lab,
# with udpcheck cross-built static). Prints each model's PASS/FAIL lines
# and counted closing lines.
# A lab that cannot run at all says SKIP loudly; it never passes silently.
#
#   tests/arm64/run.sh [MODEL...]    models: generic pi4 pi5 (default all)
#
# MOTE_ARM64_NOBUILD=1 skips the build (the caller made it).
cd "$(dirname "$0")/../.." || exit 2
models=${*:-generic pi4 pi5}
ab=build/aarch64
stage=$ab/lab
key=build/keys/test.key.pub
lab_cmd='export MOTE_RUN_FLAGS="--trust ./test.key.pub" MOTE_NET_NONS=1 PATH=$PWD/sys/bin:$PATH HTTPS_DATA=$PWD/https-server; sh ./run.sh ./mote ./elf ./cases.txt aarch64; a=$?; sh ./sign.sh ./mote ./raw ./data aarch64; b=$?; sh ./net.sh ./mote ./elf ./net; c=$?; CONFORM_EXPECTED=1 CONFORM_LABEL=aarch64 sh ./conform.sh ./expected ./mote run --trust ./test.key.pub ./elf/conform/{}.elf --; d=$?; LUA_LABEL=aarch64 sh ./lua.sh ./lua-expected.out ./mote --trust ./test.key.pub ./elf/lua.elf; e=$?; sh ./ctl.sh ./mote ./elf ./ctlcheck aarch64; f=$?; sh ./snap.sh ./mote ./elf aarch64 20; g=$?; sh ./mig.sh ./mote ./elf aarch64; h=$?; MOTE_POLICY_LAB=1 sh ./policy.sh ./mote ./elf ./raw ./runas aarch64; i=$?; [ $a = 0 ] && [ $b = 0 ] && [ $c = 0 ] && [ $d = 0 ] && [ $e = 0 ] && [ $f = 0 ] && [ $g = 0 ] && [ $h = 0 ] && [ $i = 0 ]'
suites="guest tests|signature tests|network tests|conform tests|lua tests|control tests|snapshot tests|migration tests|policy tests"

describe() {
    case $1 in
    generic) echo "-cpu max, GICv3, VHE KVM" ;;
    pi4) echo "Raspberry Pi 4-like: Cortex-A72, GICv2, non-VHE KVM" ;;
    pi5) echo "Raspberry Pi 5-like: Cortex-A76, GICv2, VHE KVM" ;;
    esac
}

skip() {
    echo "SKIP: ARM64 lab NOT RUN: $*"
    exit 0
}

broken() { # WHAT: a failure of ours, counted
    echo "FAIL $1"
    echo "arm64 $2: 0 passed, 1 failed"
    exit 1
}

# Copy the monitor, every signed guest image, the key that signed them and
# the runner into the lab's /lab; for the signature tests, the unsigned
# images they sign and tamper with, and their test keys; for the network
# tests, tests/net's scripts, their runner, udpcheck and the https and
# mqtt tests' clients and CA.
stage() {
    rm -rf "$stage" && mkdir -p "$stage/elf" "$stage/raw/tests" \
        "$stage/data" "$stage/net" "$stage/expected" || return 1
    cp tests/conform/run.sh "$stage/conform.sh" &&
        cp build/conform/expected/*.out "$stage/expected/" &&
        cp tests/lua/run.sh "$stage/lua.sh" || return 1
    [ ! -f build/lua-expected.out ] || cp build/lua-expected.out "$stage/"
    cp "$ab/mote" tests/guest/run.sh tests/guest/cases.txt tests/sign.sh \
        tests/arm64/net.sh "$ab/udpcheck" "$ab/tcpcheck" "$ab/hostile" "$ab/ctlcheck" tests/ctl/ctl.sh tests/ctl/snap.sh tests/ctl/mig.sh tests/policy/policy.sh "$ab/runas" "$key" \
        "$stage/" &&
        cp tests/net/*.sh tests/net/netns.inc "$stage/net/" &&
        cp "$ab/hello.elf" "$stage/raw/" &&
        cp "$ab/tests/disk.elf" "$stage/raw/tests/" &&
        cp tests/data/p384.key tests/data/p384.key.pub "$stage/data/" &&
        stage_https &&
        (cd "$ab/signed" && find . -name '*.elf' -print |
            cpio -pdm --quiet "../../../$stage/elf")
}

# For tests/net/https.sh and mqtt.sh: curl, ab, mosquitto, mosquitto_sub
# and openssl as Debian builds them for arm64, with their libraries and
# loader (fetched once into build/arm64-tools by setup.sh tools, staged by
# lab-tools.sh --sysroot; lab_cmd puts sys/bin first in PATH), and the
# test CA and checksum the https test checks against (not the keys or
# 10M.bin). Packages that cannot be fetched are a loud SKIP here, and
# those tests say SKIP in the lab.
tools=build/arm64-tools
stage_https() {
    h=build/https-server
    if tests/arm64/setup.sh tools $tools >&2; then
        tests/lab-tools.sh --sysroot $tools/root "$stage/sys" \
            curl ab mosquitto mosquitto_sub openssl dnsmasq || return 1
    else
        echo "SKIP: no arm64 curl, ab, mosquitto, openssl (apt-get" \
            "download failed, see above): https and mqtt will SKIP in the lab"
    fi
    [ -f $h/10M.sha256 ] || return 0
    mkdir -p "$stage/https-server/ca" "$stage/https-server/root/www" &&
        cp $h/ca/ca.crt $h/ca/other-ca.crt "$stage/https-server/ca/" &&
        cp $h/10M.sha256 "$stage/https-server/" &&
        cp $h/root/www/index.html "$stage/https-server/root/www/"
}

one_model() { # MODEL: boot it, print its results; 0 when all passed
    m=$1 out=$stage.$1.out
    echo "=== ARM64 lab, $m host ($(describe "$m"))"
    t0=$(date +%s.%N)
    tests/arm64/lab.sh boot "$m" "$stage" "$lab_cmd" >"$out"
    st=$?
    t1=$(date +%s.%N)
    sed -E "s/^($suites) \(aarch64\):/\1 (aarch64, $m host):/" "$out"
    echo "lab: $m: wall time $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s for one boot"
    # 125: the lab failed; 124: the emulated machine stalled as a whole,
    # twice (each test inside has its own time limit): the lab, not a test.
    { [ "$st" = 125 ] || [ "$st" = 124 ]; } && {
        echo "SKIP: ARM64 lab on the $m host NOT RUN (the lab failed or" \
            "stalled twice, see above)"
        return 0; }
    for suite in "guest tests" "signature tests" "network tests" \
        "conform tests" "lua tests" "control tests" \
        "snapshot tests" "migration tests" "policy tests"; do
        grep -q "^$suite (aarch64):" "$out" && continue
        echo "FAIL $m host: no $suite result line (lab status $st)"
        echo "$suite (aarch64, $m host): 0 passed, 1 failed"
        st=1
    done
    [ "$st" = 0 ]
}

tests/arm64/setup.sh >&2 || skip "cannot install the cross toolchain and QEMU"
tests/arm64/lab.sh fetch || skip "cannot get the arm64 kernel and busybox"
if [ "${MOTE_ARM64_NOBUILD:-}" != 1 ]; then
    { make -s all conform-expected lua-expected &&
        make -s ARCH=aarch64 all signed-guests test-tools; } \
        >&2 || broken "make ARCH=aarch64 all signed-guests test-tools" build
fi
[ -f tests/guest/run.sh ] && [ -f tests/guest/cases.txt ] ||
    broken "tests/guest/run.sh or cases.txt missing" staging
stage || broken "cannot stage the lab files in $stage" staging
rc=0
for m in $models; do
    one_model "$m" || rc=1
done
exit $rc
