#!/bin/sh
# mote-cc as a toolchain, no KVM needed: make install into a scratch
# prefix, then build tests/toolchain (an ordinary Makefile: -c, ar, -lm,
# a separate link) with CC=mote-cc, and check what the image holds; check
# that no host library can be linked and that only the user's warnings
# apply. Usage: toolchain.sh ARCH   (from the top of the tree)
arch=${1:-$(.ci/host-arch)}
[ "$arch" = "$(.ci/host-arch)" ] || CROSS=${CROSS:-$arch-linux-gnu-}
pass=0 fail=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -z "$2" ] || echo "$2" | sed 's/^/    | /'; }

prefix=$tmp/prefix
if make -s install ARCH="$arch" PREFIX="$prefix" >"$tmp/install.log" 2>&1 &&
    [ -x "$prefix/bin/mote-cc" ] && [ -f "$prefix/lib/mote/$arch/lib/libc.a" ]; then
    ok "make install PREFIX=... installs mote, mote-cc and the SDK"
else
    bad "make install" "$(tail -n 5 "$tmp/install.log")"
    echo "toolchain tests: $pass passed, $fail failed"
    exit 1
fi
cc=$prefix/bin/mote-cc
mote=build/mote # the host's, to inspect images of either arch
cp -R tests/toolchain "$tmp/proj"
if make -s -C "$tmp/proj" CC="$cc" AR="${CROSS}ar" \
    LDFLAGS="--manifest $tmp/proj/manifest" >"$tmp/build.log" 2>&1; then
    ok "make CC=mote-cc builds a project with -c, ar and -lm"
else
    bad "make CC=mote-cc" "$(tail -n 10 "$tmp/build.log")"
fi
if grep -q "unused" "$tmp/build.log"; then
    ok "the user's -Wall reports the unused parameter, as a warning only"
else
    bad "the user's warnings apply" "$(cat "$tmp/build.log")"
fi
out=$("$mote" inspect "$tmp/proj/app.elf" 2>&1)
if echo "$out" | grep -q "arch: *$arch"; then
    ok "the image is a mote image for $arch"
else
    bad "mote inspect of the image" "$out"
fi
if echo "$out" | grep -q "^files: *1 bundled"; then
    ok "--manifest bundled the project's files (mote inspect: 1 file)"
else
    bad "--manifest bundled the project's files" "$out"
fi
# mbedtls from the SDK: the TLS guest test, built as a user would.
if "$cc" -O2 -Itests/guest -o "$tmp/tls.elf" tests/guest/tls.c -lmbedtls \
    -lmbedx509 -lmbedcrypto >"$tmp/tls.log" 2>&1 &&
    "$mote" inspect "$tmp/tls.elf" 2>&1 | grep -q "arch: *$arch"; then
    ok "mote-cc ... -lmbedtls -lmbedx509 -lmbedcrypto links the SDK's mbedtls"
else
    bad "mote-cc with mbedtls" "$(tail -n 10 "$tmp/tls.log")"
fi
printf 'int main(void) { return 0; }\n' >"$tmp/z.c"
# -g: the image without debug sections but with its symbols and a link to
# IMAGE.debug, which holds the debug info
ro=${CROSS}readelf
if ! command -v "$ro" >/dev/null; then
    echo "SKIP: mote-cc -g strips the image: no $ro"
elif "$cc" -g -O2 -o "$tmp/g.elf" "$tmp/z.c" >"$tmp/g.log" 2>&1 &&
    secs=$("$ro" -S "$tmp/g.elf") && dsecs=$("$ro" -S "$tmp/g.elf.debug") &&
    ! echo "$secs" | grep -q '\.debug_' &&
    echo "$secs" | grep -q '\.symtab' &&
    echo "$secs" | grep -q '\.gnu_debuglink' &&
    echo "$dsecs" | grep -q '\.debug_info' &&
    "$ro" -s "$tmp/g.elf" | grep -q ' main$'; then
    ok "mote-cc -g: the image keeps .symtab (main), no .debug_*; g.elf.debug has them, linked"
else
    bad "mote-cc -g writes a stripped image and IMAGE.debug" \
        "$(cat "$tmp/g.log"; "$ro" -S "$tmp/g.elf" 2>&1 | grep -E 'debug|symtab')"
fi
if "$cc" -o "$tmp/z.elf" "$tmp/z.c" -lz >"$tmp/z.log" 2>&1; then
    bad "a host library (-lz) cannot be linked" "it linked"
else
    ok "a host library (-lz) cannot be linked: $(grep -o 'cannot find -lz' "$tmp/z.log" | head -n 1)"
fi
if "$cc" -o "$tmp/n.elf" "$tmp/z.c" -Wl,--trace 2>/dev/null |
    grep -q "/usr/lib/$arch-linux-gnu\|libc.so"; then
    bad "only the guest's libraries are linked" "a host library was read"
else
    ok "only the guest's libraries are read by the link"
fi
"$cc" --help | grep -q "cross compiler" && ok "mote-cc --help" ||
    bad "mote-cc --help" ""
v=$("$mote" version | cut -d ' ' -f 2)
"$cc" --version | grep -q "^mote-cc $v " &&
    ok "mote-cc --version and mote version agree ($v)" ||
    bad "mote-cc --version and mote version agree" \
        "$("$cc" --version | head -n 1); mote $v"
"$cc" >/dev/null 2>&1; [ $? = 2 ] && ok "mote-cc with no input: status 2" ||
    bad "mote-cc with no input" ""
echo "toolchain tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
