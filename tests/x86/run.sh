#!/bin/sh
# x86_64 tests in the x86 lab (tests/x86/lab.sh), for machines with no
# /dev/kvm: build mote and its guests, sign them with the test key as make
# test does, boot the lab once per CPU model and run, under its nested KVM
# with that key trusted, the suites make test runs with real KVM: guest
# cases, signed images, the network appliances, the C conformance suite
# against glibc's recorded output, the Lua example. Prints the PASS/FAIL
# lines and one counted line a suite and model:
#   guest tests (x86_64, lab): N passed, N failed, N skipped   (model max)
#   guest tests (x86_64, lab MODEL): ...                       (others)
# A lab that cannot run at all says SKIP loudly; it never passes silently.
#
#   tests/x86/run.sh [MODEL...]    models: max epyc shadow (default max)
#
# MOTE_X86_NOBUILD=1 skips the build (the caller made it). MOTE_X86_MOTE=
# FILE runs FILE as the monitor instead of build/mote (for instance one
# linked with another mbedtls: build/mbedtls3/build/mote, tests/mbedtls3.sh).
cd "$(dirname "$0")/../.." || exit 2
models=${*:-max}
ab=build/x86_64
stage=$ab/lab
key=build/keys/test.key.pub
lab_cmd='export MOTE_RUN_FLAGS="--trust ./test.key.pub" MOTE_NET_NONS=1 PATH=$PWD/sys/bin:$PATH HTTPS_DATA=$PWD/https-server; sh ./run.sh ./mote ./elf ./cases.txt x86_64; a=$?; sh ./sign.sh ./mote ./raw ./data x86_64; b=$?; sh ./net.sh ./mote ./elf ./net; c=$?; CONFORM_EXPECTED=1 CONFORM_LABEL=x86_64 sh ./conform.sh ./expected ./mote run --trust ./test.key.pub ./elf/conform/{}.elf --; d=$?; LUA_LABEL=x86_64 sh ./lua.sh ./lua-expected.out ./mote --trust ./test.key.pub ./elf/lua.elf; e=$?; sh ./ctl.sh ./mote ./elf ./ctlcheck x86_64; f=$?; sh ./snap.sh ./mote ./elf x86_64 100; g=$?; sh ./mig.sh ./mote ./elf x86_64; h=$?; MOTE_CLI_APP=./cli/app.elf sh ./cli.sh ./cli ./mote x86_64; i=$?; MOTE_POLICY_LAB=1 sh ./policy.sh ./mote ./elf ./raw ./runas x86_64; j=$?; sh ./oci.sh ./mote-oci ./elf ./reaper ./test.key.pub x86_64 ./raw/hello.elf; k=$?; [ $a = 0 ] && [ $b = 0 ] && [ $c = 0 ] && [ $d = 0 ] && [ $e = 0 ] && [ $f = 0 ] && [ $g = 0 ] && [ $h = 0 ] && [ $i = 0 ] && [ $j = 0 ] && [ $k = 0 ]'
suites="guest tests|signature tests|network tests|conform tests|lua tests|control tests|snapshot tests|migration tests|cli tests|policy tests|oci tests"

skip() {
    echo "SKIP: x86_64 lab NOT RUN: $*"
    exit 0
}

broken() { # WHAT: a failure of ours, counted
    echo "FAIL $1"
    echo "guest tests (x86_64, lab): 0 passed, 1 failed"
    exit 1
}

label() { # MODEL: the counted line's tag
    if [ "$1" = max ]; then echo "x86_64, lab"; else echo "x86_64, lab $1"; fi
}

# The monitor, every signed guest image, the key that signed them, the
# runners and their cases and recorded outputs, into the lab's /lab.
stage() {
    rm -rf "$stage" && mkdir -p "$stage/elf" "$stage/raw/tests" \
        "$stage/data" "$stage/net" "$stage/expected" || return 1
    cp "${MOTE_X86_MOTE:-build/mote}" "$stage/mote" &&
        cp tests/guest/run.sh tests/guest/cases.txt "$key" \
        tests/sign.sh tests/arm64/net.sh "$ab/udpcheck" "$ab/tcpcheck" \
        "$ab/hostile" "$ab/ctlcheck" tests/ctl/ctl.sh tests/ctl/snap.sh tests/ctl/mig.sh tests/policy/policy.sh "$ab/runas" "$ab/reaper" "$stage/" &&
        cp tests/oci/runtime.sh "$stage/oci.sh" && ln -s mote "$stage/mote-oci" &&
        cp tests/net/*.sh tests/net/netns.inc "$stage/net/" &&
        cp "$ab/hello.elf" "$stage/raw/" &&
        cp "$ab/tests/disk.elf" "$stage/raw/tests/" &&
        cp tests/data/p384.key tests/data/p384.key.pub "$stage/data/" &&
        cp tests/conform/run.sh "$stage/conform.sh" &&
        cp build/conform/expected/*.out "$stage/expected/" &&
        cp tests/lua/run.sh "$stage/lua.sh" || return 1
    [ ! -f build/lua-expected.out ] || cp build/lua-expected.out "$stage/"
    stage_https && tests/cli-stage.sh "$ab" "$stage" || return 1
    (cd "$ab/signed" && find . -name '*.elf' -print |
        cpio -pdm --quiet "../../../$stage/elf")
}

# For tests/net/https.sh, mqtt.sh and sockapi.sh: curl, ab, mosquitto,
# its clients, openssl and dnsmasq (in /usr/sbin) from the host with their
# libraries (the lab has busybox only; lab_cmd puts sys/bin first in
# PATH), and the test CA and checksum the https test checks against (not
# the keys or 10M.bin). A tool missing here is missing there: its test
# says SKIP (sockapi.sh: its DNS checks).
stage_https() {
    h=build/https-server
    PATH=$PATH:/usr/sbin
    for t in curl ab mosquitto mosquitto_sub openssl dnsmasq; do
        command -v $t >/dev/null || continue
        tests/lab-tools.sh "$stage/sys" $t || return 1
    done
    [ -f $h/10M.sha256 ] || return 0
    mkdir -p "$stage/https-server/ca" "$stage/https-server/root/www" &&
        cp $h/ca/ca.crt $h/ca/other-ca.crt "$stage/https-server/ca/" &&
        cp $h/10M.sha256 "$stage/https-server/" &&
        cp $h/root/www/index.html "$stage/https-server/root/www/"
}

one_model() { # MODEL: boot it, print its results; 0 when all passed
    m=$1 out=$stage.$1.out
    echo "=== x86_64 lab, $m CPU (qemu-system-x86_64, TCG, nested SVM)"
    t0=$(date +%s.%N)
    tests/x86/lab.sh boot "$m" "$stage" "$lab_cmd" >"$out"
    st=$?
    t1=$(date +%s.%N)
    sed -E "s/^($suites) \(x86_64\):/\1 ($(label "$m")):/" "$out"
    echo "lab: $m: wall time $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s for one boot"
    # 125: the lab failed; 124: the emulated machine stalled as a whole,
    # twice (each test inside has its own time limit): the lab, not a test.
    { [ "$st" = 125 ] || [ "$st" = 124 ]; } && {
        echo "SKIP: x86_64 lab on the $m CPU NOT RUN (the lab failed or" \
            "stalled twice, see above)"
        return 0; }
    for suite in "guest tests" "signature tests" "network tests" \
        "conform tests" "lua tests" "control tests" \
        "snapshot tests" "migration tests" "cli tests" "policy tests" \
        "oci tests"; do
        grep -q "^$suite (x86_64):" "$out" && continue
        echo "FAIL $m: no $suite result line (lab status $st)"
        echo "$suite ($(label "$m")): 0 passed, 1 failed"
        st=1
    done
    [ "$st" = 0 ]
}

tests/x86/setup.sh >&2 || skip "cannot install QEMU (tests/x86/setup.sh)"
tests/x86/lab.sh fetch || skip "cannot get the amd64 kernel and busybox"
if [ "${MOTE_X86_NOBUILD:-}" != 1 ]; then
    make -s all signed-guests test-tools conform-expected lua-expected >&2 ||
        broken "make all signed-guests test-tools conform-expected lua-expected"
fi
[ -f tests/guest/run.sh ] && [ -f tests/guest/cases.txt ] ||
    broken "tests/guest/run.sh or cases.txt missing"
stage || broken "cannot stage the lab files in $stage"
rc=0
for m in $models; do
    one_model "$m" || rc=1
done
exit $rc
