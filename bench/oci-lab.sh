#!/bin/sh
# make bench's OCI runtime figure (fig_oci, bench/figures-oci.sh) in the
# engine lab (tests/oci/lab.sh), for machines with no /dev/kvm: podman,
# runc and conmon are the host's own there, the guests run under nested
# KVM. Lab times are emulated and no performance figure: only the ratios
# within one run mean something.
#
#   bench/oci-lab.sh             (quick sizes: BENCH_QUICK=1)
cd "$(dirname "$0")/.." || exit 2
tests/x86/setup.sh >&2 || { echo "SKIP: OCI bench lab NOT RUN: no QEMU"; exit 0; }
tests/oci/lab.sh fetch ||
    { echo "SKIP: OCI bench lab NOT RUN: no kernel for the engine lab"; exit 0; }
make -s bench-build >&2 || exit 1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
# the lab sees this tree read-only: results go to its /tmp
tests/oci/lab.sh boot "$d" "echo 'engine lab: emulated (QEMU TCG, nested KVM): its times are no performance figures'
cp -a $PWD/build/bench /tmp/b && cd $PWD &&
BENCH_QUICK=1 BENCH_FIGS=fig_oci sh bench/run.sh $PWD/build/mote \
$PWD/build/x86_64 /tmp/b $PWD/build/keys/test.key.pub"
