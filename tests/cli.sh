#!/bin/sh
# End-to-end tests of the mote command line: errors, statuses, signals,
# devices, building an appliance outside the tree. The images here are
# unsigned (tests/sign.sh covers signatures), so runs pass --allow-unsigned,
# but where the host's policy refuses that (below).
# POSIX sh: it runs in the emulated labs under busybox too, where there is
# no compiler: MOTE_CLI_APP then names tests/data/cli-app.c built beforehand.
# Usage: cli.sh BUILD_ARCH_DIR MOTE [ARCH]   (ARCH: the monitor's, default
# this machine's)
dir=$1 mote=$2 arch=${3:-$(uname -m)}
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

# On a host whose board or site policy refuses unsigned images (the Pi
# profiles; /etc/mote/policy), as it must, every run uses a copy of its
# image signed with a key made here and trusts that key; the cases about
# malformed images, which cannot be signed, then check that the refusal
# comes first (ufails).
"$mote" keygen "$tmp/k" >/dev/null || { echo "FAIL mote keygen"; exit 1; }
U=--allow-unsigned T=$dir/tests strict=
if "$mote" run --allow-unsigned "$tmp/none.elf" 2>&1 | grep -q "forbids --allow-unsigned"; then
    strict=1 U="--trust $tmp/k.pub" T=$tmp/s/tests
    echo "note: this host refuses unsigned images: cli.sh runs signed copies"
    mkdir -p "$tmp/s/tests"
    "$mote" sign --key "$tmp/k" "$dir/hello.elf" -o "$tmp/s/hello.elf" >/dev/null
    for t in bigbss spin counter disk nethostile hold; do
        "$mote" sign --key "$tmp/k" "$dir/tests/$t.elf" -o "$T/$t.elf" >/dev/null
    done
fi
hello=$dir/hello.elf
[ -n "$strict" ] && hello=$tmp/s/hello.elf
forbids="board strict forbids --allow-unsigned"
[ -n "$strict" ] && forbids="forbids --allow-unsigned"
# ufails DESC STATUS PATTERN "$mote" run ARGS...: fails with
# --allow-unsigned after mote run, or where unsigned images are refused, fails with that refusal
ufails() {
    d=$1 w=$2 pt=$3; shift 5 # and "$mote" run
    if [ -n "$strict" ]; then
        fails "$d (refused first: unsigned)" 125 "forbids --allow-unsigned" "$mote" run --allow-unsigned "$@"
    else
        fails "$d" "$w" "$pt" "$mote" run --allow-unsigned "$@"
    fi
}
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
# e_machine of the other arch: EM_X86_64 62, EM_AARCH64 183
if [ "$arch" = aarch64 ]; then other=x86_64 em=62; else other=aarch64 em=183; fi
patch "$tmp/other.elf" 18 $em 0
patch "$tmp/elf32.elf" 4 1           # EI_CLASS = ELFCLASS32
patch "$tmp/entry.elf" 24 0 0 0 64   # e_entry = 0x40000000
ufails "$other image on $arch" 125 "image is for $other" "$mote" run "$tmp/other.elf"
ufails "32-bit image" 125 "not a 64-bit ELF" "$mote" run "$tmp/elf32.elf"
ufails "entry point outside the image" 125 "entry point 0x40000000" "$mote" run "$tmp/entry.elf"
ufails "missing image" 125 "nosuch.elf: No such file" "$mote" run "$tmp/nosuch.elf"
ufails "directory as image" 125 "not a regular file" "$mote" run "$tmp"
ufails "non-ELF image" 125 "not an ELF file" "$mote" run "$tmp/text"
# a FIFO given as image, disk or key is refused at once, not waited on
# (timeout: a mote that blocks on it fails here instead of hanging)
mkfifo "$tmp/fifo"
fails "a FIFO as image" 125 "not a regular file: a FIFO" \
    timeout 20 "$mote" run $U "$tmp/fifo"
fails "a FIFO as --trust key" 125 "fifo: not a regular file: a FIFO" \
    timeout 20 "$mote" run --trust "$tmp/fifo" "$hello"
fails "a FIFO as disk" 125 "not a regular file: a FIFO" \
    timeout 20 "$mote" run $U --disk data="$tmp/fifo" "$T/counter.elf"
ufails "truncated image" 125 "truncated" "$mote" run "$tmp/trunc"
ufails "host program as image" 125 "not a static executable\|boot note" "$mote" run /bin/sh
fails "--mem unparseable" 125 "cannot parse 'lots'" "$mote" run $U --mem lots "$hello"
fails "--mem not 2 MiB aligned" 125 "multiple of 2 MiB" "$mote" run $U --mem 3M "$hello"
fails "--mem too large" 125 "outside" "$mote" run $U --mem 4096G "$hello"
fails "--env without a name" 125 "is not a variable name" "$mote" run $U --env =x "$hello"
fails "--env bad name" 125 "'1A' is not a variable name" "$mote" run $U --env 1A=x "$hello"
fails "--env unset host variable" 125 "MOTE_NOT_SET_ANYWHERE is not set here" "$mote" run $U --env MOTE_NOT_SET_ANYWHERE "$hello"
fails "--env twice" 125 "A given twice" "$mote" run $U --env A=1 --env A=2 "$hello"
HOME_VALUE=here "$mote" run $U --env HOME_VALUE --env B= "$hello" >/dev/null 2>&1
[ $? != 125 ] && ok "--env NAME passes the host's value" || bad "--env NAME passes the host's value" "refused"
fails "--mem too small for image" 125 "raise --mem" "$mote" run $U --mem 4M "$T/bigbss.elf"
fails "arguments without --" 125 "after --" "$mote" run $U "$hello" a
fails "unknown option" 125 "unknown option" "$mote" run $U --frobnicate "$hello"
fails "no image" 125 "no IMAGE" "$mote" run $U
fails "unknown command" 125 "unknown command" "$mote" frobnicate

"$mote" --help >"$tmp/out" 2>&1 && grep -q "Usage: mote COMMAND" "$tmp/out" &&
    ok "mote --help" || bad "mote --help" "no usage"
"$mote" run --allow-unsigned --help >"$tmp/out" 2>&1 && grep -q -- "--mem SIZE" "$tmp/out" &&
    ok "mote run --help" || bad "mote run --help" "no options"
"$mote" version | grep -q "^mote [0-9]" && ok "mote version" || bad "mote version" "no version"

# hello prints its greeting and arguments, exit 0
out=$("$mote" run $U "$hello" -- a b 2>/dev/null); st=$?
[ $st = 0 ] && [ "$out" = "Hello from mote
a b" ] && ok "hello with arguments" || bad "hello with arguments" "exit $st: $out"

# ready FILE PATTERN PID: FILE has a line matching PATTERN, within 60 s
# (the labs emulate), while PID lives
ready() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        kill -0 "$3" 2>/dev/null && [ $i -lt 600 ] || return 1
        sleep 0.1
    done
}
# stopped PID: PID ends within 10 s, or is killed; its status in st
stopped() {
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
        i=$((i + 1)); sleep 0.1
    done
    kill -9 "$1" 2>/dev/null
    wait "$1"; st=$?
}
# CPU ticks (user + system) PID has used so far
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

# a signal stops a sleeping guest at once, status 128+N; asleep, the
# monitor blocks in the host and uses almost no CPU
rm -f "$tmp/out" "$tmp/err" # not a background job's: see mig.sh
"$mote" disk create "$tmp/counter.img" 1M >/dev/null
"$mote" run $U --disk data="$tmp/counter.img" "$T/counter.elf" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
if ready "$tmp/out" "^count 1 " $pid; then
    # as tests/net/netns.inc's idle_check: under 20 ticks in a second,
    # within 5 tries (a loaded, emulated host charges a sleeper some)
    idle=
    for _ in 1 2 3 4 5; do
        t0=$(ticks $pid); sleep 1; t1=$(ticks $pid)
        [ -n "$t0" ] && [ -n "$t1" ] && [ $((t1 - t0)) -lt 20 ] &&
            { idle=$((t1 - t0)); break; }
    done
    [ -n "$idle" ] &&
        ok "a sleeping guest does not spin ($idle ticks of CPU in 1 s)" ||
        bad "a sleeping guest does not spin" "ticks $t0, then $t1 a second later"
    kill -TERM $pid
    stopped $pid
    [ $st = 143 ] && grep -q "stopped by signal 15" "$tmp/err" &&
        ok "SIGTERM stops a sleeping guest" || bad "SIGTERM stops a sleeping guest" "exit $st"
else
    kill -9 $pid; wait $pid
    bad "SIGTERM stops a sleeping guest" "the guest never counted"
fi

# a spinning guest is stopped by a signal too
rm -f "$tmp/out" "$tmp/err" # not a background job's: see mig.sh
"$mote" run $U "$T/spin.elf" >"$tmp/out" 2>"$tmp/err" &
pid=$!
if ready "$tmp/out" "^spinning" $pid; then
    kill -INT $pid
    stopped $pid
    [ $st = 130 ] && ok "SIGINT stops a spinning guest" || bad "SIGINT stops a spinning guest" "exit $st"
else
    kill -9 $pid; wait $pid
    bad "SIGINT stops a spinning guest" "the guest never said it spins"
fi

# a guest whose console nobody reads: mote blocks writing it, and SIGTERM
# still stops it (the write gives way to the signal)
rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
"$mote" run $U "$T/spin.elf" -- flood >"$tmp/fifo" 2>"$tmp/err" &
pid=$!
exec 7<"$tmp/fifo" # opened, never read: the pipe fills, mote blocks
sleep 2
kill -TERM $pid
stopped $pid
exec 7<&-
[ $st = 143 ] && ok "SIGTERM stops mote while it blocks on a console nobody reads" ||
    bad "SIGTERM while the console blocks" "exit $st (137: it had to be killed)"

# --timeout: a spinning guest and a sleeping one are stopped at the
# deadline, status 124 (a guest that ends first keeps its own status)
for g in spin counter; do
    a=
    [ $g = counter ] && a="--disk data=$tmp/counter.img"
    rm -f "$tmp/out" "$tmp/err"
    # shellcheck disable=SC2086
    "$mote" run $U --timeout 1s $a "$T/$g.elf" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    stopped $pid
    [ $st = 124 ] && grep -q "^mote: the guest ran past --timeout: stopped" "$tmp/err" &&
        ok "--timeout 1s stops a $g guest (exit 124)" ||
        bad "--timeout 1s stops a $g guest" "exit $st"
done
"$mote" run $U --timeout 10m "$hello" >"$tmp/out" 2>"$tmp/err"; st=$?
[ $st = 0 ] && grep -q "Hello" "$tmp/out" &&
    ok "--timeout 10m: a guest that ends first exits 0" ||
    bad "--timeout 10m: a guest that ends first" "exit $st"
fails "--timeout with no unit it knows" 125 "cannot parse '10x'" \
    "$mote" run $U --timeout 10x "$hello"
fails "--timeout 0" 125 "outside 1ms to 30 days" "$mote" run $U --timeout 0 "$hello"

# --console-rate: a guest that floods its console in 4 KiB writes is held
# to the rate: at most the burst (64 KiB) and 8 KiB a second for the 2 s
# of --timeout and one more. An upper bound only (a slow host writes
# less); without the option the same guest shows that the bound binds.
bound=$((8192 * (2 + 1) + 65536))
# flood ARGS...: mote run ARGS; its console's bytes in n (at most 1 MB
# read: a limit that failed must not fill the disk), its status in st
flood() {
    rm -f "$tmp/st" "$tmp/out" "$tmp/err"
    { "$mote" run "$@" 2>"$tmp/err"; echo $? >"$tmp/st"; } |
        head -c 1000000 >"$tmp/out"
    n=$(wc -c <"$tmp/out") st=$(cat "$tmp/st")
}
flood $U --console-rate 8K --timeout 2 "$T/spin.elf" -- flood 4096
if [ "$st" != 124 ] || ! grep -q "ran past --timeout" "$tmp/err"; then
    bad "--console-rate 8K with --timeout 2" "exit $st, want 124"
elif [ "$n" -gt $bound ]; then
    bad "--console-rate 8K holds a flooding guest" "$n bytes in 2 s, more than $bound"
elif ! grep -q "^spinning" "$tmp/out"; then
    echo "SKIP: --console-rate 8K: the guest had not started within 2 s (a slow host): nothing to hold"
else
    ok "--console-rate 8K holds a flooding guest to $n bytes in 2 s (at most $bound; exit 124)"
fi
flood $U --timeout 2 "$T/spin.elf" -- flood 4096
if [ "$st" != 124 ]; then
    bad "a flooding guest without --console-rate" "exit $st, want 124"
elif [ "$n" -gt $bound ]; then
    ok "without --console-rate the same guest writes more than $bound bytes in 2 s ($n read)"
else
    echo "SKIP: without --console-rate the guest wrote only $n bytes in 2 s (a slow host): the bound above was not shown to bind"
fi
# A signal ends a wait for the rate at once. At 1 byte a second, "spinning"
# and one 40000-byte write fit the 64 KiB burst; the next write waits
# hours, and nothing more is written. (The output goes straight to a file,
# so it is there as it is written; ulimit -f keeps a limit that failed
# from filling the disk: 1 MB, then SIGXFSZ.)
rm -f "$tmp/err"
: >"$tmp/out"
# shellcheck disable=SC2086
(ulimit -f 2000 && exec "$mote" run $U --console-rate 1 "$T/spin.elf" -- flood 40000 \
    >"$tmp/out" 2>"$tmp/err") &
pid=$!
i=0
while [ "$(wc -c <"$tmp/out")" -lt 40009 ] &&
    kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do
    i=$((i + 1)); sleep 0.1
done
if [ "$(wc -c <"$tmp/out")" -ge 40009 ]; then
    sleep 1 # well into the wait
    kill -TERM $pid
    i=0
    while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
    kill -9 $pid 2>/dev/null
    wait $pid; st=$?
    n=$(wc -c <"$tmp/out")
    [ $st = 143 ] && [ "$n" = 40009 ] &&
        ok "SIGTERM ends a wait for --console-rate: exit 143 within $((i / 10)).$((i % 10)) s, $n bytes written" ||
        bad "SIGTERM during a --console-rate wait" "exit $st after $i tenths of a second (want 143 within 5 s), $n bytes (want 40009)"
else
    kill -9 $pid 2>/dev/null; wait $pid
    bad "SIGTERM during a --console-rate wait" "the guest's first block never came ($(wc -c <"$tmp/out") bytes)"
fi
fails "--console-rate 0" 125 "--console-rate: 0 would stop the console" \
    "$mote" run $U --console-rate 0 "$hello"
fails "--console-rate unparseable" 125 "--console-rate: cannot parse 'fast'" \
    "$mote" run $U --console-rate fast "$hello"

# --user (README "Sandbox"): refused when it names no one; the caller's
# own user by number runs (as root: uid 0 kept, without capabilities)
fails "--user naming no user" 125 "no user 'no-such-user'" \
    "$mote" run $U --user no-such-user "$hello"
fails "--user USER: without its group" 125 "want USER or USER:GROUP" \
    "$mote" run $U --user "$(id -u):" "$hello"
"$mote" run $U --user "$(id -u):$(id -g)" "$hello" >"$tmp/out" 2>"$tmp/err"; st=$?
[ $st = 0 ] && grep -q "Hello" "$tmp/out" &&
    ok "--user $(id -u):$(id -g), the caller's own, runs the guest" ||
    bad "--user, the caller's own" "exit $st"

# an appliance from a C file outside the tree, with one command
here=$(dirname "$0")
if [ -n "${MOTE_CLI_APP:-}" ]; then
    cp "$MOTE_CLI_APP" "$tmp/app.elf" && how="built beforehand (no compiler here)"
else
    cp "$here/data/cli-app.c" "$tmp/app.c" && how="mote-cc"
    (cd "$tmp" && "$OLDPWD/$dir/mote-cc" -o app.elf app.c) >"$tmp/err" 2>&1 ||
        rm -f "$tmp/app.elf"
fi
[ -n "$strict" ] && [ -f "$tmp/app.elf" ] &&
    { "$mote" sign --key "$tmp/k" "$tmp/app.elf" -o "$tmp/app.s.elf" >/dev/null &&
        mv "$tmp/app.s.elf" "$tmp/app.elf" || rm -f "$tmp/app.elf"; }
if [ -f "$tmp/app.elf" ]; then
    out=$("$mote" run $U "$tmp/app.elf" -- hi); st=$?
    [ $st = 5 ] && [ "$out" = "appliance says hi" ] && ok "appliance from outside the tree ($how)" ||
        bad "appliance from outside the tree ($how)" "exit $st: $out"
else
    bad "appliance from outside the tree ($how)" "build failed"
fi

# mote disk: create, info, resize, and what it refuses
img=$tmp/d.img
"$mote" disk create "$img" 8M && [ "$(stat -c %s "$img")" = 8388608 ] &&
    [ "$(stat -c %b "$img")" -lt 100 ] && ok "disk create is sparse" ||
    bad "disk create is sparse" "size $(stat -c %s "$img")"
"$mote" disk info "$img" | grep -q "8388608 bytes.*16384 sectors" &&
    ok "disk info" || bad "disk info" "$("$mote" disk info "$img")"
"$mote" disk resize "$img" 16M && [ "$(stat -c %s "$img")" = 16777216 ] &&
    ok "disk resize grows" || bad "disk resize grows" "no"
fails "disk create over a file" 125 "File exists" "$mote" disk create "$img" 8M
fails "disk shrink without --force" 125 "add --force" "$mote" disk resize "$img" 4M
"$mote" disk resize --force "$img" 4M && [ "$(stat -c %s "$img")" = 4194304 ] &&
    ok "disk resize --force shrinks" || bad "disk resize --force shrinks" "no"
fails "disk size zero" 125 "positive multiple of 512" "$mote" disk create "$tmp/e.img" 0
fails "disk size unparseable" 125 "cannot parse size" "$mote" disk create "$tmp/e.img" big
fails "disk info of missing file" 125 "No such file" "$mote" disk info "$tmp/none.img"
fails "disk unknown verb" 125 "want create" "$mote" disk frob
dimg=$T/disk.elf nimg=$T/nethostile.elf himg=$T/hold.elf
fails "--disk missing file" 125 "none.img: No such file" "$mote" run $U --disk d0="$tmp/none.img" "$dimg"
fails "--disk without NAME=" 125 "want NAME=FILE" "$mote" run $U --disk "$img" "$hello"
fails "--disk unknown flag" 125 "unknown flag 'rw'" "$mote" run $U --disk d0="$img,rw" "$hello"
fails "--disk same name twice" 125 "two devices named" "$mote" run $U --disk d0="$img" --disk d0="$img" "$hello"
printf 'abc' >"$tmp/odd.img"
fails "--disk odd size" 125 "not a positive multiple of 512" "$mote" run $U --disk d0="$tmp/odd.img" "$dimg"
fails "--net missing TAP" 125 "no interface named" "$mote" run $U --net n0=nosuchtap0 "$nimg"

# the manifest decides which devices an image may use, and its memory
fails "undeclared disk" 125 "disk 'd0' is not in the image's manifest" "$mote" run $U --disk d0="$img" "$hello"
fails "undeclared network device" 125 "network device 'n0' is not in the image's manifest" "$mote" run $U --net n0=lo "$hello"
fails "declared disk not attached" 125 "needs disk 'd0': attach it with --disk d0=FILE" "$mote" run $U "$dimg"
fails "disk attached as network device" 125 "'d0' is a disk in the image's manifest" "$mote" run $U --net d0=lo "$dimg"
fails "read-only disk attached read-write" 125 "read-only in the image's manifest" "$mote" run $U --disk d0="$img" "$himg"
fails "--mem above the manifest" 125 "more than the image's manifest allows (64 MiB)" "$mote" run $U --mem 128M --disk d0="$img" "$dimg"
fails "--net bad MAC" 125 "bad MAC" "$mote" run $U --net n0=tap0,mac=zz:00:00:00:00:00 "$hello"

# a disk in use by a running guest is locked against writers
"$mote" run $U --disk d0="$img,ro" "$himg" -- 60000 >"$tmp/hold" 2>&1 &
pid=$!
ready "$tmp/hold" "^holding" $pid || bad "a guest holds a disk" "it never said so"
fails "disk locked by a running guest" 125 "in use by another program" "$mote" run $U --disk d0="$img" "$dimg"
"$mote" run $U --disk d0="$img,ro" "$himg" -- 1 >/dev/null && ok "two readers share a disk" ||
    bad "two readers share a disk" "refused"
fails "disk resize while in use" 125 "in use by another program" "$mote" disk resize "$img" 8M
kill $pid; wait $pid 2>/dev/null

# hostile network hypercalls, on a TAP made for the test (busybox's ip has
# no tuntap: tunctl there; iproute2's "ip tuntap help" exits 255, so it is
# no probe)
mktap() {
    { ip tuntap add "$1" mode tap 2>/dev/null ||
        tunctl -t "$1" >/dev/null; } && ip link set "$1" up
}
if [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && command -v ip >/dev/null; then
    tap=mote-t$$
    mktap "$tap"
    out=$("$mote" run $U --net n0=$tap,mac=02:00:00:00:00:42 "$T/nethostile.elf" 2>&1); st=$?
    [ $st = 0 ] && echo "$out" | grep -q "net ok" && ok "hostile network hypercalls" ||
        bad "hostile network hypercalls" "exit $st: $out"
    fails "--net on a non-TAP" 125 "not a TAP\|cannot attach" "$mote" run $U --net n0=lo "$nimg"
    ip link del "$tap"
else
    echo "SKIP: network hypercall test needs root, /dev/net/tun and ip (iproute2)"
fi

# board profiles
# (one board marked as this host's, of this arch)
"$mote" boards >"$tmp/out" 2>&1 && grep -q "^ *rpi4 .*aarch64" "$tmp/out" &&
    [ "$(grep -c '^\* ' "$tmp/out")" = 1 ] &&
    grep -q "^\* [^ ]*  *$arch " "$tmp/out" && ok "mote boards lists and marks this host" ||
    bad "mote boards lists and marks this host" "$(cat "$tmp/out")"
fails "unknown board" 125 "unknown board 'rpi9'" "$mote" run $U --board rpi9 "$hello"
otherb=rpi4; [ "$arch" = aarch64 ] && otherb=x86_64
fails "board of the other arch" 125 "board $otherb is for" "$mote" run $U --board $otherb "$hello"
printf 'name strict\narch %s\nmodel Strict\nmem-default 4M\nmem-max 8M\nallow-unsigned no\n' "$arch" >"$tmp/strict.board"
fails "board forbids --allow-unsigned" 125 "$forbids" "$mote" run --allow-unsigned --board "$tmp/strict.board" "$hello"
sed 's/allow-unsigned no/allow-unsigned yes/' "$tmp/strict.board" >"$tmp/small.board"
fails "board memory cap" 125 "more than board strict allows (8 MiB)" "$mote" run $U --board "$tmp/small.board" --mem 16M "$hello"
out=$("$mote" run $U -v --board "$tmp/small.board" "$hello" 2>&1)
echo "$out" | grep -q "board strict: chosen with --board" && echo "$out" | grep -q "4 MiB of guest memory" &&
    ok "board memory default" || bad "board memory default" "$out"
# a board's console-rate-max: the default rate, and no faster one
printf 'name rated\narch %s\nmodel Rated\nmem-default 4M\nmem-max 8M\nconsole-rate-max 8K\n' "$arch" >"$tmp/rated.board"
out=$("$mote" run $U -v --board "$tmp/rated.board" "$hello" 2>&1)
echo "$out" | grep -q "console output: at most 8 KiB a second, the most board rated allows" &&
    ok "board console-rate-max is the default rate" || bad "board console-rate-max is the default rate" "$out"
fails "--console-rate above the board's console-rate-max" 125 \
    "console rate of 16 KiB a second is more than board rated allows (8 KiB)" \
    "$mote" run $U --board "$tmp/rated.board" --console-rate 16K "$hello"
printf 'name broken\narch %s\nflavour sweet\n' "$arch" >"$tmp/broken.board"
fails "malformed board file" 125 "broken.board:3: unknown key 'flavour'" "$mote" run $U --board "$tmp/broken.board" "$hello"

echo "cli tests ($arch): $pass passed, $fail failed"
[ "$fail" = 0 ]
