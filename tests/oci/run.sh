#!/bin/sh
# podman and containerd running mote appliances with mote-oci
# (tests/oci/engines.sh), in the engine lab (tests/oci/lab.sh): nested KVM
# with the host's own Debian userland, so the host's engines and their
# storage are never touched. x86_64 hosts only (the lab is x86_64); the
# runtime itself is tested on both arches by tests/oci/runtime.sh.
#
#   tests/oci/run.sh       (make test: after the build)
#
# A lab that cannot run says SKIP loudly; it never passes silently.
cd "$(dirname "$0")/../.." || exit 2
B=$PWD/build ab=$PWD/build/x86_64
skip() {
    echo "SKIP: engine tests (podman, containerd) NOT RUN: $*"
    exit 0
}
[ "$(uname -m)" = x86_64 ] || skip "the engine lab is x86_64 only"
for f in "$B/mote-oci" "$ab/signed/hello.elf" "$ab/hello.elf" "$ab/udpcheck" \
    "$B/keys/test.key.pub"; do
    [ -e "$f" ] || { echo "FAIL engine tests: $f is not built"
        echo "engine tests (x86_64, lab): 0 passed, 1 failed"; exit 1; }
done
tests/x86/setup.sh >&2 || skip "cannot install QEMU (tests/x86/setup.sh)"
tests/oci/lab.sh fetch || skip "cannot get the generic amd64 kernel"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
t0=$(date +%s)
tests/oci/lab.sh boot "$d" "bash $PWD/tests/oci/engines.sh $B/mote-oci \
$ab/signed $ab/hello.elf $B/keys/test.key.pub $ab/udpcheck $B/https-server" \
    >"$d/out"
st=$?
cat "$d/out"
echo "lab: engine lab: wall time $(($(date +%s) - t0)) s for one boot"
# 125: the lab failed; 124: the emulated machine stalled twice
if [ $st = 125 ] || [ $st = 124 ]; then
    skip "the engine lab failed or stalled (see above)"
fi
grep -q "^engine tests (x86_64, lab):" "$d/out" || {
    echo "FAIL engine tests: no result line (lab status $st)"
    echo "engine tests (x86_64, lab): 0 passed, 1 failed"; exit 1; }
exit $st
