#!/bin/sh
# Signed images end to end: a signed image runs; every tampered, truncated,
# untrusted or malformed one is refused with a clear message.
# Usage: sign.sh MOTE ELFDIR DATADIR ARCH    (POSIX sh: also runs in the
# ARM64 lab under busybox; needs only cp, dd, od, sed, printf)
mote=$1 dir=$2 data=$3 arch=${4:-$(uname -m)}
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mote-sign.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; sed 's/^/    | /' "$tmp/err"; }

# refused DESC PATTERN IMAGE [OPTIONS]: mote run refuses IMAGE, exit 125,
# one "mote: error:" line containing PATTERN
refused() {
    desc=$1 pat=$2 img=$3; shift 3
    "$mote" run --trust "$tmp/k1.pub" "$@" "$img" >"$tmp/out" 2>"$tmp/err"; st=$?
    if [ $st != 125 ]; then bad "$desc" "exit $st, want 125"
    elif [ "$(wc -l <"$tmp/err")" != 1 ]; then bad "$desc" "not one line"
    elif ! grep -q "^mote: error: .*$pat" "$tmp/err"; then bad "$desc" "no '$pat'"
    else ok "$desc"; fi
}

# poke FILE OFFSET BYTE...: overwrite bytes (decimal values) in place
poke() {
    f=$1 off=$2; shift 2
    for b in "$@"; do
        printf "\\$(printf %o "$b")" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
        off=$((off + 1))
    done
}
# flip FILE OFFSET: invert one byte
flip() {
    v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    poke "$1" "$2" $((255 - v))
}
size() { wc -c <"$1" | tr -d ' '; }

"$mote" keygen "$tmp/k1" >/dev/null && "$mote" keygen "$tmp/k2" >/dev/null || {
    echo "FAIL keygen"; exit 1; }
[ "$(stat -c %a "$tmp/k1" 2>/dev/null || echo 600)" = 600 ] && ok "private key is mode 0600" ||
    bad "private key is mode 0600" "$(stat -c %a "$tmp/k1")"
hello=$tmp/hello.elf
"$mote" sign --key "$tmp/k1" "$dir/hello.elf" -o "$hello" >/dev/null

out=$("$mote" run --trust "$tmp/k1.pub" "$hello" -- signed 2>"$tmp/err"); st=$?
[ $st = 0 ] && [ "$out" = "Hello from mote
signed" ] && ok "signed image runs" || bad "signed image runs" "exit $st: $out"
"$mote" run --trust "$tmp" "$hello" >/dev/null 2>"$tmp/err" && ok "trust directory" ||
    bad "trust directory" "refused"
"$mote" verify --trust "$tmp/k1.pub" "$hello" >"$tmp/err" 2>&1 && ok "mote verify good" ||
    bad "mote verify good" "refused"
"$mote" verify --trust "$tmp/k2.pub" "$hello" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q "not trusted" "$tmp/err" && ok "mote verify untrusted: status 1" ||
    bad "mote verify untrusted: status 1" "no"
"$mote" inspect --trust "$tmp/k1.pub" "$hello" >"$tmp/err" 2>&1 &&
    grep -q "validity:  good" "$tmp/err" && grep -q "arch:      $arch" "$tmp/err" &&
    ok "mote inspect" || bad "mote inspect" "no"

refused "unsigned image by default" "is not signed" "$dir/hello.elf"
# where the host's board or site policy refuses unsigned images (the Pi
# profiles, /etc/mote/policy), --allow-unsigned is refused before anything
if "$mote" run --allow-unsigned "$tmp/none.elf" 2>&1 | grep -q "forbids --allow-unsigned"; then
    refused "--allow-unsigned refused by this host's policy" \
        "forbids --allow-unsigned" "$dir/hello.elf" --allow-unsigned
else
    "$mote" run --allow-unsigned "$dir/hello.elf" >/dev/null 2>"$tmp/err" &&
        grep -q "warning: .* is not signed" "$tmp/err" && ok "--allow-unsigned warns and runs" ||
        bad "--allow-unsigned warns and runs" "no"
    cp "$hello" "$tmp/t.elf"; flip "$tmp/t.elf" 24
    refused "--allow-unsigned does not excuse tampering" "bad signature" "$tmp/t.elf" --allow-unsigned
fi

# one flipped byte anywhere signed is refused
seg=$("$mote" inspect "$hello" | sed -n 's/^segment 0:.* at file offset \([0-9]*\)$/\1/p')
cp "$hello" "$tmp/t.elf"; flip "$tmp/t.elf" 16
refused "byte flipped in the ELF header" "bad signature" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"; flip "$tmp/t.elf" $((seg + 100))
refused "byte flipped in a loadable segment" "bad signature" "$tmp/t.elf"
"$mote" sign --key "$tmp/k1" "$dir/tests/disk.elf" -o "$tmp/disk.elf" >/dev/null
note=$("$mote" inspect "$tmp/disk.elf" | sed -n 's/^manifest:  at file offset \([0-9]*\),.*/\1/p')
cp "$tmp/disk.elf" "$tmp/t.elf"; flip "$tmp/t.elf" $((note + 16 + 8 + 1))
refused "byte flipped in the manifest note" "bad signature" "$tmp/t.elf" --disk d0="$tmp/t.elf"
len=$(size "$hello")
cp "$hello" "$tmp/t.elf"; flip "$tmp/t.elf" $((len - 128 + 56 + 10))
refused "byte flipped in the signature" "bad signature" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"; flip "$tmp/t.elf" $((len - 128 + 20))
refused "byte flipped in the key id" "not trusted" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"; flip "$tmp/t.elf" $((len - 1))
refused "the file's last byte (the signature's zero padding) flipped" \
    "padding is not zero" "$tmp/t.elf"

# malformed trailers
dd if="$hello" of="$tmp/t.elf" bs=1 count=$((len - 10)) 2>/dev/null
refused "truncated file" "truncated signature trailer" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"; poke "$tmp/t.elf" $((len - 128 + 48)) 255 255 255 255 255 255 255 127
refused "signed length past the end" "covers .* bytes" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"; poke "$tmp/t.elf" $((len - 128 + 12)) 255 0
refused "signature length past the trailer" "malformed signature trailer" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"; poke "$tmp/t.elf" $((len - 128 + 8)) 9 0
refused "unknown trailer version" "version 9" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"; printf 'garbage after the trailer' >>"$tmp/t.elf"
refused "garbage after the trailer" "25 bytes of data after the signature trailer" "$tmp/t.elf"
cp "$hello" "$tmp/t.elf"
dd if="$hello" bs=1 skip=$((len - 128)) count=128 2>/dev/null >>"$tmp/t.elf"
poke "$tmp/t.elf" $((len + 48)) $((len % 256)) $((len / 256 % 256)) $((len / 65536 % 256)) 0 0 0 0 0
refused "two trailers" "two signature trailers" "$tmp/t.elf"

# keys
"$mote" sign --key "$tmp/k2" "$dir/hello.elf" -o "$tmp/t.elf" >/dev/null
refused "signed by an untrusted key" "not trusted" "$tmp/t.elf"
"$mote" run --trust "$data/p384.key.pub" "$hello" >/dev/null 2>"$tmp/err"
[ $? = 125 ] && grep -q "not an ECDSA P-256 key" "$tmp/err" && ok "trusted key of another curve refused" ||
    bad "trusted key of another curve refused" "no"
"$mote" sign --key "$data/p384.key" "$dir/hello.elf" -o "$tmp/t.elf" >/dev/null 2>"$tmp/err"
[ $? = 125 ] && grep -q "not an ECDSA P-256 key" "$tmp/err" && ok "signing with another curve refused" ||
    bad "signing with another curve refused" "no"
"$mote" sign --key "$tmp/k1" "$hello" -o "$tmp/t.elf" >/dev/null 2>"$tmp/err"
[ $? = 125 ] && grep -q "signed already" "$tmp/err" && ok "signing twice refused" ||
    bad "signing twice refused" "no"
"$mote" keygen "$tmp/k1" >/dev/null 2>"$tmp/err"
[ $? = 125 ] && grep -q "exists" "$tmp/err" && ok "keygen never overwrites a key" ||
    bad "keygen never overwrites a key" "no"

# an image signed for the other arch is refused after its signature checks
if [ "$arch" = x86_64 ]; then other=183 oname=aarch64; else other=62 oname=x86_64; fi
cp "$dir/hello.elf" "$tmp/o.elf"; poke "$tmp/o.elf" 18 "$other" 0
"$mote" sign --key "$tmp/k1" "$tmp/o.elf" >/dev/null
refused "image signed for $oname" "image is for $oname" "$tmp/o.elf"

echo "signature tests ($arch): $pass passed, $fail failed"
[ "$fail" = 0 ]
