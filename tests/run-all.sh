#!/bin/sh
# make test: run every suite, then one closing line with the totals.
# Usage: run-all.sh ARCH
arch=${1:-$(.ci/host-arch)}
dir=build/$arch
mote=build/mote
pass=0 fail=0 skip=0 log=$(mktemp) start=$(date +%s)
# make bench's scripts in make test: the figures that need no network
# tools, quick sizes (make bench ARCH=aarch64 runs them all)
ARM64_BENCH_FIGS="fig_boot fig_hypercall fig_disk fig_verify fig_restore"
bg_pid= bg_dir=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$bg_dir"
    [ -z "$bg_pid" ] || kill -- -"$bg_pid" 2>/dev/null' EXIT

# count LOG: add up "N passed, N failed" lines, cmocka's closing lines
# and SKIP: lines; sets f to the failures this log counted
count() {
    p=$(sed -n 's/.*: \([0-9]*\) passed, [0-9]* failed.*/\1/p; s/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/.*: [0-9]* passed, \([0-9]*\) failed.*/\1/p; s/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
    k=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
    k=$((k + $(grep -c '^SKIP:' "$1")))  # a suite's own loud SKIP lines
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + k))
}

# report NAME LOG STATUS SECONDS: print a suite's output, count it; a
# crash is a failure
report() {
    cat "$2"
    count "$2"
    echo "--- $1: $4 s"
    if [ "$3" != 0 ] && [ "$f" = 0 ]; then
        echo "FAIL $1: exited $3 without reporting a failure"
        fail=$((fail + 1))
    fi
}

suite() { # NAME CMD...: run a suite and report it
    name=$1; shift
    echo "=== $name"
    t0=$(date +%s)
    "$@" >"$log" 2>&1; st=$?
    report "$name" "$log" $st $(($(date +%s) - t0))
}

# background NAME CMD...: start a suite in a session of its own, beside
# the suites that follow; background_wait reports it. One at a time.
background() {
    bg_name=$1 bg_t0=$(date +%s); shift
    echo "=== $bg_name: started, beside the suites below"
    setsid sh -c '"$@" >"$0/log" 2>&1; echo $? >"$0/st"' "$bg_dir" "$@" \
        </dev/null &
    bg_pid=$!
}

background_wait() {
    [ -n "$bg_pid" ] || return 0
    wait "$bg_pid"
    bg_pid=
    echo "=== $bg_name (ran beside the suites above)"
    report "$bg_name" "$bg_dir/log" "$(cat "$bg_dir/st" 2>/dev/null || echo 1)" \
        $(($(date +%s) - bg_t0))
}

# loud SKIP: a counted line
skipped() {
    echo "SKIP: $*"
    skip=$((skip + 1))
}

# podman and containerd with mote-oci, in a lab of their own (never the
# host's engines and storage); x86_64 hosts. The emulated machine keeps one
# core busy for minutes, so it runs beside the suites up to the ARM64 lab
# (which needs both cores), its packages and kernel fetched first so that
# nothing else runs apt meanwhile.
if [ "$arch" = x86_64 ]; then
    echo "=== lab packages and kernels (tests/x86/setup.sh, tests/arm64/setup.sh)"
    tests/x86/setup.sh && tests/oci/lab.sh fetch >/dev/null &&
        tests/x86/lab.sh fetch >/dev/null && tests/arm64/setup.sh ||
        echo "note: lab set-up incomplete: the labs say SKIP or fetch again"
    background "engines: podman and containerd with mote-oci (engine lab)" \
        tests/oci/run.sh
fi
suite "format (.clang-format)" tests/format.sh
suite "Debian packages (.ci/select-deps on Debian 12 and 13's indexes)" \
    tests/deps.sh
command -v clang >/dev/null ||
    skipped "clang build (build/clang) NOT RUN: clang is not installed"
units=0
for t in "$dir"/tests/unit/test_*; do
    [ -x "$t" ] || continue
    suite "unit: ${t##*/}" "$t"
    units=$((units + 1))
done
# the same unit tests built with clang (tests/tests.mk clang-build)
for t in "build/clang/$arch/tests/unit"/test_*; do
    [ -x "$t" ] || continue
    suite "unit (clang): ${t##*/}" "$t"
done
[ $units -gt 0 ] || skipped "unit tests NOT RUN: none built (libcmocka-dev" \
    "is not installed?)"
suite "command line: every command's --help (no KVM)" tests/cli-help.sh "$mote" \
    README.md
suite "fuzzing (libFuzzer, 5 s per target)" tests/fuzz/run.sh 5
suite "toolchain: mote-cc, make install ($arch)" tests/toolchain.sh "$arch"
[ "$arch" = aarch64 ] || suite "toolchain: mote-cc, make install (aarch64)" \
    tests/toolchain.sh aarch64
# After the toolchains: it compiles guest code with both arches' mote-cc.
suite "mbedtls 3.6: mote against Debian 13's libmbedtls-dev and source" \
    tests/mbedtls3.sh
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    MOTE_RUN_FLAGS="--trust build/keys/test.key.pub" \
        suite "guest tests ($arch, real KVM, signed images)" \
        tests/guest/run.sh "$mote" "$dir/signed" tests/guest/cases.txt "$arch"
    suite "C conformance ($arch guest against native glibc)" \
        tests/conform/run.sh build/conform/native "$mote" run \
        --trust build/keys/test.key.pub "$dir/signed/conform/{}.elf" --
    suite "Lua example ($arch guest against native lua5.4)" \
        tests/lua/run.sh build/lua-expected.out "$mote" \
        --trust build/keys/test.key.pub "$dir/signed/lua.elf"
    suite "signed images" tests/sign.sh "$mote" "$dir" tests/data "$arch"
    suite "command line" tests/cli.sh "$dir" "$mote" "$arch"
    MOTE_RUN_FLAGS="--trust build/keys/test.key.pub" \
        suite "control socket" tests/ctl/ctl.sh "$mote" "$dir/signed" \
        "$dir/ctlcheck" "$arch"
    MOTE_RUN_FLAGS="--trust build/keys/test.key.pub" \
        suite "snapshots" tests/ctl/snap.sh "$mote" "$dir/signed" "$arch"
    MOTE_RUN_FLAGS="--trust build/keys/test.key.pub" \
        suite "live migration" tests/ctl/mig.sh "$mote" "$dir/signed" "$arch"
    UDPCHECK=$dir/udpcheck suite "OCI runtime" tests/oci/runtime.sh \
        build/mote-oci "$dir/signed" "$dir/reaper" build/keys/test.key.pub \
        "$arch" "$dir/hello.elf"
    for t in tests/net/*.sh; do
        MOTE_RUN_FLAGS="--trust build/keys/test.key.pub" \
            suite "network: ${t##*/}" "$t" "$mote" "$dir/signed"
    done
elif [ "$arch" = x86_64 ]; then
    # No KVM here: the same suites run in the x86 lab (nested KVM under
    # QEMU), the command-line tests too.
    echo "note: /dev/kvm is missing or not usable here: the x86_64 suites" \
        "run in the x86 lab instead"
    suite "x86_64 lab (nested KVM under QEMU)" tests/x86/run.sh
else
    echo "SKIP: $arch suites: /dev/kvm is missing or not usable here" \
        "(ls -l /dev/kvm; a user needs the kvm group: sudo usermod -aG kvm" \
        "\$USER, then log in again)"
    skip=$((skip + 1))
fi
background_wait
# The ARM64 lab emulates arm64 hosts for machines that are not one; an
# arm64 host ran the same suites natively above (and has no x86 lab).
if [ "$arch" != aarch64 ]; then
    suite "ARM64 lab" tests/arm64/run.sh
    suite "make bench's scripts in the ARM64 lab (Pi 5-like, quick)" \
        bench/arm64-lab.sh -m pi5 $ARM64_BENCH_FIGS
    # after the lab, which built the aarch64 tree
    suite "unit tests cross-built for aarch64 (qemu-user)" tests/arm64/unit.sh
else
    echo "note: an arm64 host: its suites ran on its own KVM; the emulated" \
        "labs are for other hosts"
fi
secs=$(($(date +%s) - start))
echo "all tests: $pass passed, $fail failed, $skip skipped" \
    "($((secs / 60)) min $((secs % 60)) s of suites after the build)"
[ "$fail" = 0 ]
