#!/bin/sh
# mote COMMAND --help for every command mote --help lists, no KVM needed:
# --help and -h exit 0 with "Usage: mote COMMAND" on stdout and nothing on
# stderr, mote help COMMAND prints the same; an unknown option exits 125
# with one "mote: error: COMMAND: ..." line naming 'mote COMMAND --help'.
# With README, its table of mote run's options must list the options
# mote run --help lists, in the same order.
# Usage: cli-help.sh MOTE [README]
mote=$1 readme=$2
case $mote in /*) ;; *) mote=$PWD/$mote ;; esac
case $readme in /* | "") ;; *) readme=$PWD/$readme ;; esac
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mote-help.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2 # a command that took an option for a file writes here

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() {
    fail=$((fail + 1)); echo "FAIL $1: $2"
    cat "$tmp/out" "$tmp/err" | head -n 12 | sed 's/^/    | /'
}

# helps DESC USAGE CMD...: CMD exits 0, its stdout starts with USAGE and
# its stderr is empty.
helps() {
    desc=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; st=$?
    if [ $st != 0 ]; then bad "$desc" "exit $st, want 0"
    elif [ -s "$tmp/err" ]; then bad "$desc" "wrote to stderr"
    elif [ "$(head -c ${#want} "$tmp/out")" != "$want" ]; then
        bad "$desc" "stdout does not start with '$want'"
    else ok "$desc"; fi
}

# refuses DESC PATTERN CMD...: CMD exits 125, prints nothing on stdout
# and one stderr line "mote: error: ..." that contains PATTERN.
refuses() {
    desc=$1 pat=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; st=$?
    if [ $st != 125 ]; then bad "$desc" "exit $st, want 125"
    elif [ -s "$tmp/out" ]; then bad "$desc" "wrote to stdout"
    elif [ "$(wc -l <"$tmp/err")" != 1 ]; then bad "$desc" "not one line"
    elif ! grep -q "^mote: error: .*$pat" "$tmp/err"; then
        bad "$desc" "no '$pat'"
    else ok "$desc"; fi
}

helps "mote --help" "Usage: mote COMMAND" "$mote" --help
helps "mote -h" "Usage: mote COMMAND" "$mote" -h
helps "mote help" "Usage: mote COMMAND" "$mote" help
"$mote" >"$tmp/out" 2>"$tmp/err"; st=$?
[ $st = 125 ] && grep -q "^Usage: mote COMMAND" "$tmp/err" &&
    ok "mote alone: usage on stderr, exit 125" ||
    bad "mote alone: usage on stderr, exit 125" "exit $st"
refuses "unknown command" "unknown command 'frobnicate' (try 'mote --help')" \
    "$mote" frobnicate
refuses "mote help of an unknown command" "unknown command 'frobnicate'" \
    "$mote" help frobnicate

# The commands as mote --help lists them: a new one is checked too.
cmds=$("$mote" --help |
    sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' | tr '\n' ' ')
case " $cmds" in
*" run "*" help "*) ;;
*) echo "FAIL the commands in mote --help: got '$cmds'"
    echo "cli-help tests: $pass passed, $((fail + 1)) failed"; exit 1 ;;
esac
for c in $cmds; do
    helps "mote $c --help" "Usage: mote $c" "$mote" "$c" --help
    helps "mote $c -h" "Usage: mote $c" "$mote" "$c" -h
    "$mote" "$c" --help >"$tmp/want" 2>&1
    helps "mote help $c" "Usage: mote $c" "$mote" help "$c"
    cmp -s "$tmp/want" "$tmp/out" && ok "mote help $c is mote $c --help" ||
        bad "mote help $c is mote $c --help" "they differ"
    refuses "mote $c --no-such-option" "$c: .*(try 'mote $c --help')" \
        "$mote" "$c" --no-such-option
    refuses "mote $c -Z" "$c: .*(try 'mote $c --help')" "$mote" "$c" -Z
done
# The options column of README's table, "\|" read as "|"; and the
# options of mote run --help: an indented line that starts with "-", up to
# the two spaces before its meaning.
if [ -n "$readme" ]; then
    awk '/^Options of `mote run`/ { t = 1; next }
        t && /^\| `/ { sub(/^\| `/, ""); sub(/` \|.*/, ""); gsub(/\\\|/, "|")
            print; next }
        t && /^[^|]/ { exit }' "$readme" >"$tmp/want"
    "$mote" run --help | sed -n 's/^ \{2,6\}\(-.*\)$/\1/p' |
        sed 's/   *.*//' >"$tmp/out"
    : >"$tmp/err"
    if [ ! -s "$tmp/out" ]; then bad "README's mote run options" "none in --help"
    elif cmp -s "$tmp/want" "$tmp/out"; then
        ok "README's mote run options are mote run --help's"
    else
        diff "$tmp/want" "$tmp/out" >"$tmp/err"; : >"$tmp/out"
        bad "README's mote run options are mote run --help's" "they differ"
    fi
fi

rm -f "$tmp/out" "$tmp/err" "$tmp/want"
strays=$(ls -A "$tmp")
: >"$tmp/out"; : >"$tmp/err"
[ -z "$strays" ] && ok "no command wrote a file named after an option" ||
    bad "no command wrote a file named after an option" "$strays"

echo "cli-help tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
