#!/bin/sh
# musl-check.sh ARCH OBJDUMP FILE...: fail if any object in FILEs (archives
# or objects) still holds a system call instruction. musl's system calls
# must all be C calls into the libOS (__mote_syscall); one left behind
# would trap into a kernel the guest does not have.
set -u
die() {
    echo "mote: error: $*" >&2
    exit 1
}
[ $# -ge 3 ] || die "usage: musl-check.sh ARCH OBJDUMP FILE..."
arch=$1 objdump=$2
shift 2
case $arch in
x86_64) bad='syscall sysenter int' ;; # int only with $0x80, below
aarch64) bad='svc' ;;
*) die "musl-check.sh: unknown arch '$arch'" ;;
esac
command -v "$objdump" >/dev/null || die "$objdump not found"

out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$objdump" -d --no-show-raw-insn "$@" >"$out" 2>&1 ||
    die "$objdump could not disassemble $* ($(head -n 1 "$out"))"

# objdump -d lines: "  addr:<TAB>mnemonic operands". Count every
# instruction, so an empty disassembly cannot pass as clean.
awk -F'\t' -v bad="$bad" '
BEGIN { n = split(bad, b, " "); for (i = 1; i <= n; i++) isbad[b[i]] = 1 }
/: +file format / { obj = $0; sub(/:.*/, "", obj) }
/^[0-9a-f]+ <.*>:$/ { fn = obj " " $0 }
/^ *[0-9a-f]+:\t/ {
    insns++
    split($2, w, /[ \t]+/)
    if (!isbad[w[1]]) next
    if (w[1] == "int" && $2 !~ /\$0x80/) next
    hits++
    print "mote: error: system call instruction left in musl: " fn " " $0
}
END {
    printf "musl: %d instructions checked, %d system call instructions\n",
        insns, hits
    if (insns < 10000) {
        print "mote: error: only " insns+0 " instructions disassembled"
        exit 1
    }
    exit hits > 0
}' "$out"
