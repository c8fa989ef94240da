#!/bin/sh
# x86_64 guest tests in the x86 lab (tests/x86/lab.sh), for machines with
# no /dev/kvm: build mote and its guests, sign them with the test key as
# make test does, boot the lab once per CPU model and run every guest test
# case under its nested KVM with that key trusted. Prints the PASS/FAIL
# lines and one counted line a model:
#   guest tests (x86_64, lab): N passed, N failed, N skipped   (model max)
#   guest tests (x86_64, lab MODEL): ...                       (others)
# A lab that cannot run at all says SKIP loudly; it never passes silently.
#
#   tests/x86/run.sh [MODEL...]    models: max epyc shadow (default max)
#
# MOTE_X86_NOBUILD=1 skips the build (the caller made it).
cd "$(dirname "$0")/../.." || exit 2
models=${*:-max}
ab=build/x86_64
stage=$ab/lab
key=build/keys/test.key.pub
lab_cmd='export MOTE_RUN_FLAGS="--trust ./test.key.pub" MOTE_NET_NONS=1; sh ./run.sh ./mote ./elf ./cases.txt x86_64'

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
# runner and its cases, into the lab's /lab.
stage() {
    rm -rf "$stage" && mkdir -p "$stage/elf" || return 1
    cp build/mote tests/guest/run.sh tests/guest/cases.txt "$key" \
        "$stage/" &&
        (cd "$ab/signed" && find . -name '*.elf' -print |
            cpio -pdm --quiet "../../../$stage/elf")
}

one_model() { # MODEL: boot it, print its results; 0 when all passed
    m=$1 out=$stage.$1.out
    echo "=== x86_64 lab, $m CPU (qemu-system-x86_64, TCG, nested SVM)"
    t0=$(date +%s.%N)
    tests/x86/lab.sh boot "$m" "$stage" "$lab_cmd" >"$out"
    st=$?
    t1=$(date +%s.%N)
    sed -E "s/^guest tests \(x86_64\):/guest tests ($(label "$m")):/" "$out"
    echo "lab: $m: wall time $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s for one boot"
    [ "$st" = 125 ] && { echo "SKIP: x86_64 lab on the $m CPU NOT RUN" \
        "(the lab failed, see above)"; return 0; }
    grep -q "^guest tests (x86_64):" "$out" && [ "$st" = 0 ] && return 0
    grep -q "^guest tests (x86_64):" "$out" || {
        echo "FAIL $m: no guest tests result line (lab status $st)"
        echo "guest tests ($(label "$m")): 0 passed, 1 failed"; }
    return 1
}

tests/x86/setup.sh >&2 || skip "cannot install QEMU (tests/x86/setup.sh)"
tests/x86/lab.sh fetch || skip "cannot get the amd64 kernel and busybox"
if [ "${MOTE_X86_NOBUILD:-}" != 1 ]; then
    make -s all signed-guests >&2 || broken "make all signed-guests"
fi
[ -f tests/guest/run.sh ] && [ -f tests/guest/cases.txt ] ||
    broken "tests/guest/run.sh or cases.txt missing"
stage || broken "cannot stage the lab files in $stage"
rc=0
for m in $models; do
    one_model "$m" || rc=1
done
exit $rc
