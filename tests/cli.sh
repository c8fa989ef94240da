#!/bin/sh
# End-to-end tests of the mote command line: errors, statuses, signals,
# building an appliance outside the tree. Usage: cli.sh BUILD_ARCH_DIR MOTE
dir=$1 mote=$2
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mote-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; [ -f "$tmp/err" ] && sed 's/^/    | /' "$tmp/err"; }

# fails DESC STATUS PATTERN CMD...: CMD exits STATUS with one stderr line
# that starts "mote: error:" and contains PATTERN.
fails() {
    desc=$1 want=$2 pat=$3; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
    lines=$(wc -l <"$tmp/err")
    if [ "$got" != "$want" ]; then bad "$desc" "exit $got, want $want"
    elif [ "$lines" != 1 ]; then bad "$desc" "$lines lines on stderr, want 1"
    elif ! grep -q "^mote: error: .*$pat" "$tmp/err"; then bad "$desc" "no '$pat'"
    else ok "$desc"; fi
}

hello=$dir/hello.elf
printf 'not an elf at all' >"$tmp/text"
head -c 100 "$hello" >"$tmp/trunc"
# patch FILE OFFSET BYTE...: a copy of hello with bytes replaced
patch() {
    out=$1 off=$2; shift 2
    cp "$hello" "$out"
    for b in "$@"; do
        printf "\\$(printf %o "$b")" | dd of="$out" bs=1 seek="$off" conv=notrunc 2>/dev/null
        off=$((off + 1))
    done
}
patch "$tmp/arm64.elf" 18 183 0      # e_machine = EM_AARCH64
patch "$tmp/elf32.elf" 4 1           # EI_CLASS = ELFCLASS32
patch "$tmp/entry.elf" 24 0 0 0 64   # e_entry = 0x40000000
fails "aarch64 image on x86_64" 125 "image is for aarch64" "$mote" run "$tmp/arm64.elf"
fails "32-bit image" 125 "not a 64-bit ELF" "$mote" run "$tmp/elf32.elf"
fails "entry point outside the image" 125 "entry point 0x40000000" "$mote" run "$tmp/entry.elf"
fails "missing image" 125 "nosuch.elf: No such file" "$mote" run "$tmp/nosuch.elf"
fails "directory as image" 125 "not a regular file" "$mote" run "$tmp"
fails "non-ELF image" 125 "not an ELF file" "$mote" run "$tmp/text"
fails "truncated image" 125 "truncated" "$mote" run "$tmp/trunc"
fails "host program as image" 125 "not a static executable\|boot note" "$mote" run /bin/sh
fails "--mem unparseable" 125 "cannot parse 'lots'" "$mote" run --mem lots "$hello"
fails "--mem not 2 MiB aligned" 125 "multiple of 2 MiB" "$mote" run --mem 3M "$hello"
fails "--mem too large" 125 "outside" "$mote" run --mem 4096G "$hello"
fails "--mem too small for image" 125 "raise --mem" "$mote" run --mem 4M "$dir/tests/bigbss.elf"
fails "arguments without --" 125 "after --" "$mote" run "$hello" a
fails "unknown option" 125 "unknown option" "$mote" run --frobnicate "$hello"
fails "no image" 125 "no IMAGE" "$mote" run
fails "unknown command" 125 "unknown command" "$mote" frobnicate

"$mote" --help >"$tmp/out" 2>&1 && grep -q "Usage: mote COMMAND" "$tmp/out" &&
    ok "mote --help" || bad "mote --help" "no usage"
"$mote" run --help >"$tmp/out" 2>&1 && grep -q -- "--mem SIZE" "$tmp/out" &&
    ok "mote run --help" || bad "mote run --help" "no options"
"$mote" version | grep -q "^mote [0-9]" && ok "mote version" || bad "mote version" "no version"

# hello prints its greeting and arguments, exit 0
out=$("$mote" run "$hello" -- a b 2>&1); st=$?
[ $st = 0 ] && [ "$out" = "Hello from mote
a b" ] && ok "hello with arguments" || bad "hello with arguments" "exit $st: $out"

# a signal stops a sleeping guest at once, status 128+N
"$mote" run "$dir/clock.elf" -- 30000 >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid; st=$?
[ $st = 143 ] && grep -q "stopped by signal 15" "$tmp/err" &&
    ok "SIGTERM stops a sleeping guest" || bad "SIGTERM stops a sleeping guest" "exit $st"

# a spinning guest is stopped by a signal too
"$mote" run "$dir/tests/spin.elf" >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 0.5
kill -INT $pid
wait $pid; st=$?
[ $st = 130 ] && ok "SIGINT stops a spinning guest" || bad "SIGINT stops a spinning guest" "exit $st"

# a sleeping guest blocks in the host: the monitor uses almost no CPU
if command -v /usr/bin/time >/dev/null 2>&1; then
    /usr/bin/time -f "%U %S" -o "$tmp/cpu" "$mote" run "$dir/clock.elf" -- 1000 >/dev/null
    cpu=$(awk '{ print ($1 + $2) * 1000 }' "$tmp/cpu")
    [ "${cpu%.*}" -lt 500 ] && ok "sleep does not spin (${cpu} ms CPU for 1000 ms)" ||
        bad "sleep does not spin" "${cpu} ms CPU for a 1000 ms sleep"
else
    echo "SKIP: sleep CPU check needs /usr/bin/time (package: time)"
fi

# an appliance from a C file outside the tree, with one command
cat >"$tmp/app.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
    char *p = malloc(64);
    snprintf(p, 64, "appliance says %s", argc > 1 ? argv[1] : "nothing");
    puts(p);
    return 5;
}
C
if (cd "$tmp" && "$OLDPWD/$dir/mote-cc" -o app.elf app.c) >"$tmp/err" 2>&1; then
    out=$("$mote" run "$tmp/app.elf" -- hi); st=$?
    [ $st = 5 ] && [ "$out" = "appliance says hi" ] && ok "mote-cc appliance" ||
        bad "mote-cc appliance" "exit $st: $out"
else
    bad "mote-cc appliance" "build failed"
fi

echo "cli tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
