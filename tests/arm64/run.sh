#!/bin/sh
# ARM64 tests: cross-build mote and its guests for aarch64, sign them with
# the test key as the x86_64 guest tests do, then boot the lab once per
# host model and run every guest test case under its real KVM with that
# key trusted, then the network tests (tests/net, on a TAP inside the lab,
# with udpcheck cross-built static). Prints each model's PASS/FAIL lines
# and counted closing lines, then one summary line (models and SKIPs; it
# counts nothing itself, tests/run-all.sh counts the lines above it).
# A lab that cannot run at all says SKIP loudly; it never passes silently,
# and neither does a suite inside it (no TAP device: the network suite).
#
# Time (make test's budget): within a boot two lanes run the suites, the
# network tests each in a network namespace of their own
# (tests/arm64/suites.sh, net.sh): about 120 s a model for every suite on
# this project's 2-core machine when it is quiet (165 s under other load)
# where one after the other took 223 s, most of it waiting (time limits,
# idle checks, slow clients).
#
#   tests/arm64/run.sh [all | MODEL[:SUITE,...]...]
#       models (tests/arm64/lab.sh models): generic, pi4, pi5 (6.1
#       kernels, 4K pages), pi5-16k (6.12, 16K pages), generic-6.12 (6.12,
#       4K pages); SUITEs (tests/arm64/suites.sh): guest signature network
#       conform lua control snapshot migration cli policy oci; none: all.
#
# The default is what make test runs, within its time budget: every suite
# on pi5 (VHE KVM on a Cortex-A76, the bench's model), and on the other
# models the suites that see what differs there: pi4 (non-VHE KVM on a
# Cortex-A72, GICv2): the guest, control, snapshot, migration and policy
# suites (CPU state, timers, board detection); pi5-16k (Linux 6.12 and
# 16 KiB pages): guest, control, snapshot, migration, oci and policy
# (guest memory, snapshot and migration files, cgroup memory); generic
# (-cpu max, GICv3, a board that allows unsigned images): guest and
# policy. The network, signature, cli, conform and lua suites depend on
# neither the host's CPU nor its page size and run on pi5.
# "all" is every suite on pi4, pi5, pi5-16k and generic (make test-arm64).
# generic-6.12 (a 6.12 kernel with 4 KiB pages, each half of it covered by
# pi5 and pi5-16k) runs when named.
#
# MOTE_ARM64_NOBUILD=1 skips the build (the caller made it).
cd "$(dirname "$0")/../.." || exit 2
models=${*:-pi5 pi5-16k:guest,control,snapshot,migration,oci,policy \
pi4:guest,control,snapshot,migration,policy generic:guest,policy}
[ "$models" = all ] && models="pi5 pi5-16k pi4 generic"
ab=build/aarch64
stage=$ab/lab
key=build/keys/test.key.pub
# What runs in each boot: tests/arm64/suites.sh with the model's suites
all_suites="guest signature network conform lua control snapshot migration cli policy oci"
suites="guest tests|signature tests|network tests|conform tests|lua tests|control tests|snapshot tests|migration tests|cli tests|policy tests|oci tests"

# model_suites ENTRY: the suites of MODEL[:SUITE,...]
model_suites() {
    case $1 in
    *:*) echo "${1#*:}" | tr ',' ' ' ;;
    *) echo "$all_suites" ;;
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
        tests/arm64/net.sh tests/arm64/suites.sh "$ab/udpcheck" "$ab/tcpcheck" "$ab/hostile" "$ab/ctlcheck" tests/ctl/ctl.sh tests/ctl/snap.sh tests/ctl/mig.sh tests/policy/policy.sh "$ab/runas" "$ab/reaper" "$key" \
        "$stage/" &&
        cp tests/net/*.sh tests/net/netns.inc "$stage/net/" &&
        cp tests/oci/runtime.sh "$stage/oci.sh" && ln -s mote "$stage/mote-oci" &&
        cp "$ab/hello.elf" "$stage/raw/" &&
        cp "$ab/tests/disk.elf" "$stage/raw/tests/" &&
        cp tests/data/p384.key tests/data/p384.key.pub "$stage/data/" &&
        stage_https && tests/cli-stage.sh "$ab" "$stage" &&
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

# one_model ENTRY: boot MODEL[:SUITE,...] and run its suites; output,
# messages, status and wall time into $stage.MODEL.{out,err,st,wall} (two
# of these may run at once)
one_model() {
    out=$stage.${1%%:*}.out
    t0=$(date +%s.%N)
    tests/arm64/lab.sh boot "${1%%:*}" "$stage" \
        "sh ./suites.sh $(model_suites "$1")" >"$out" 2>"$out.err"
    echo $? >"$out.st"
    t1=$(date +%s.%N)
    echo "$t0 $t1" | awk '{printf "%.1f\n", $2 - $1}' >"$out.wall"
}

report() { # ENTRY: print MODEL's results; 0 when all its suites passed
    m=${1%%:*} out=$stage.${1%%:*}.out
    st=$(cat "$out.st")
    echo "=== ARM64 lab, $m host ($(tests/arm64/lab.sh describe "$m"))"
    cat "$out.err"
    sed -E "s/^($suites) \(aarch64\):/\1 (aarch64, $m host):/" "$out"
    echo "lab: $m: wall time $(cat "$out.wall") s for one boot"
    # 125: the lab failed; 124: the emulated machine stalled as a whole,
    # twice (each test inside has its own time limit): the lab, not a test.
    { [ "$st" = 125 ] || [ "$st" = 124 ]; } && {
        echo "SKIP: ARM64 lab on the $m host NOT RUN (the lab failed or" \
            "stalled twice, see above)"
        return 0; }
    for s in $(model_suites "$1"); do
        suite="$s tests"
        grep -q "^$suite (aarch64):" "$out" && continue
        echo "FAIL $m host: no $suite result line (lab status $st)"
        echo "$suite (aarch64, $m host): 0 passed, 1 failed"
        st=1
    done
    [ "$st" = 0 ]
}

tests/arm64/setup.sh >&2 || skip "cannot install the cross toolchain and QEMU"
# shellcheck disable=SC2046
tests/arm64/lab.sh fetch $(for e in $models; do echo "${e%%:*}"; done) ||
    skip "cannot get the arm64 kernels and busybox"
if [ "${MOTE_ARM64_NOBUILD:-}" != 1 ]; then
    { make -s all conform-expected lua-expected &&
        make -s ARCH=aarch64 all signed-guests test-tools; } \
        >&2 || broken "make ARCH=aarch64 all signed-guests test-tools" build
fi
[ -f tests/guest/run.sh ] && [ -f tests/guest/cases.txt ] ||
    broken "tests/guest/run.sh or cases.txt missing" staging
stage || broken "cannot stage the lab files in $stage" staging
# MOTE_LAB_JOBS models boot at once (default 1: one lab already keeps
# two cores busy, suites.sh), each an emulated machine of its own; results
# are printed model by model, in order.
jobs=${MOTE_LAB_JOBS:-1} rc=0 sum=
# shellcheck disable=SC2086
set -- $models
while [ $# -gt 0 ]; do
    batch= i=0
    while [ $# -gt 0 ] && [ $i -lt "$jobs" ]; do
        one_model "$1" &
        batch="$batch $1" i=$((i + 1))
        shift
    done
    wait
    for e in $batch; do
        m=${e%%:*}
        if report "$e"; then r=ok; else r=FAILED rc=1; fi
        [ "$(cat "$stage.$m.out.st")" = 125 ] ||
            [ "$(cat "$stage.$m.out.st")" = 124 ] && r="NOT RUN"
        [ "$e" = "$m" ] || r="$r (${e#*:})"
        sum="$sum, $m $r ($(grep -c '^SKIP:' "$stage.$m.out") SKIP lines)"
    done
done
echo "ARM64 lab summary: ${sum#, }"
exit $rc
