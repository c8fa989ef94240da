#!/bin/sh
# Fetch and unpack a Debian source package: fetch-src.sh PKG DESTDIR.
# MOTE_SRC_UPSTREAM=1 unpacks the upstream source as released, without
# Debian's patches (for a project built with its own Makefile, which
# Debian's packaging replaces).
#
# The archives are the ones this machine's apt already uses: every enabled
# 'deb' entry (deb822 *.sources stanzas, one-line sources.list and *.list
# lines) becomes a 'deb-src' entry with the same URIs, suites, components
# and Signed-By, so apt verifies the source index as it verifies the binary
# one. apt runs on a private state under build/apt/ (its own lists, cache,
# an empty dpkg status), so no root is needed and the host's apt state is
# never touched. The host's apt.conf.d is still read (proxies, validity
# settings), but its update hooks are cleared.
#
# MOTE_SRC_SUITE=NAME fetches the source of another release of the same
# archives: every entry's suites are renamed to NAME, keeping what follows
# a '-' or '/' (bookworm bookworm-updates bookworm-security: trixie
# trixie-updates trixie-security), with an apt state of its own,
# build/apt-NAME/. The checks of mbedtls 3.6 on Debian 12 use it
# (tests/mbedtls3.sh, make MBEDTLS_SUITE=trixie).
#
# Cache: once DESTDIR/.unpacked exists this does nothing and needs no
# network; remove DESTDIR to fetch again. DESTDIR belongs to this script:
# an unfinished one is removed and unpacked again.
set -u

die() {
    echo "mote: error: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: fetch-src.sh PKG DESTDIR"
pkg=$1
dest=${2%/}
case $pkg in
'' | -* | */*) die "'$pkg' is not a Debian source package name" ;;
esac
[ -n "$dest" ] || die "empty DESTDIR"
[ -f "$dest/.unpacked" ] && exit 0

suite=${MOTE_SRC_SUITE:-}
case $suite in
*[!a-z0-9]*) die "MOTE_SRC_SUITE: '$suite' is not a release name" ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd) || exit 1
apt=${MOTE_APT_DIR:-$top/build/apt${suite:+-$suite}}
etc=${MOTE_APT_ETC:-/etc/apt}

for tool in apt-get dpkg-source; do
    command -v $tool >/dev/null ||
        die "$tool not found (Debian packages apt, dpkg-dev)"
done

# Private apt state: the lists and the source list are ours alone.
mkdir -p "$apt/sources" "$apt/state/lists/partial" \
    "$apt/cache/archives/partial" "$apt/src" || die "cannot create $apt"
# One fetch at a time (make -j): the private apt state is shared. Another
# fetch may have unpacked DESTDIR while this one waited.
if command -v flock >/dev/null; then
    exec 9>"$apt/lock" || die "cannot open $apt/lock"
    flock 9 || die "cannot lock $apt/lock"
fi
[ -f "$dest/.unpacked" ] && exit 0
: >"$apt/state/status"
rm -f "$apt/sources/"*

# deb822 stanzas with 'Types: ... deb ...' and not 'Enabled: no': the same
# stanza as 'Types: deb-src'. Continuation lines (an inline key) are kept.
# Suites renamed for MOTE_SRC_SUITE.
derive_deb822() {
    awk -v suite="$suite" '
    function rename(w,  p) {
        if (suite == "")
            return w
        p = match(w, /[-\/]/)
        return suite (p ? substr(w, p) : "")
    }
    function flush() {
        if (n && deb && !off) {
            for (i = 1; i <= n; i++) {
                if (i == t)
                    print "Types: deb-src"
                else if (i == su && suite != "") {
                    split(line[i], w, /[ \t]+/)
                    out = w[1]
                    for (j = 2; j in w; j++)
                        if (w[j] != "")
                            out = out " " rename(w[j])
                    print out
                } else
                    print line[i]
            }
            print ""
        }
        n = deb = off = t = su = 0
    }
    /^[ \t]*$/ { flush(); next }
    /^#/ { next }
    {
        line[++n] = $0
        if (tolower($1) == "types:") {
            t = n
            for (i = 2; i <= NF; i++)
                if ($i == "deb")
                    deb = 1
        }
        if (tolower($1) == "enabled:" && tolower($2) == "no")
            off = 1
        if (tolower($1) == "suites:")
            su = n
    }
    END { flush() }' "$1"
}

# One-line entries: 'deb [options] URI SUITE COMPONENTS...' -> 'deb-src ...',
# SUITE renamed for MOTE_SRC_SUITE.
derive_oneline() {
    sed -n 's/^[[:blank:]]*deb[[:blank:]]\{1,\}/deb-src /p' "$1" |
        awk -v suite="$suite" '
        suite != "" {
            i = 3 # the suite, after the URI and any [options]
            if ($2 ~ /^\[/) {
                for (i = 2; $i !~ /\]$/; i++)
                    ;
                i += 2
            }
            p = match($i, /[-\/]/)
            $i = suite (p ? substr($i, p) : "")
        }
        { print }'
}

n=0
for f in "$etc"/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    derive_deb822 "$f" >"$apt/sources/$n-$(basename "$f")"
done
for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    derive_oneline "$f" >"$apt/sources/$n-$(basename "$f")"
done
grep -qs '^deb-src' "$apt/sources/"* || grep -qs '^Types: deb-src' \
    "$apt/sources/"* ||
    die "no enabled 'deb' entries in $etc/sources.list{,.d}: no archive to fetch $pkg from"

conf=$apt/apt.conf
{
    echo "Dir::State \"$apt/state\";"
    echo "Dir::State::lists \"$apt/state/lists\";"
    echo "Dir::State::status \"$apt/state/status\";"
    echo "Dir::Cache \"$apt/cache\";"
    echo "Dir::Etc::SourceList \"/dev/null\";"
    echo "Dir::Etc::SourceParts \"$apt/sources\";"
    echo "#clear APT::Update::Pre-Invoke;"
    echo "#clear APT::Update::Post-Invoke;"
    echo "#clear APT::Update::Post-Invoke-Success;"
    # As root apt downloads as _apt, which may not reach build/: download
    # as ourselves instead, as a user's apt does.
    [ "$(id -u)" = 0 ] && echo "APT::Sandbox::User \"root\";"
} >"$conf"

# APT_CONFIG puts the private directories in place from the start; -c reads
# the same file again last, after the host's apt.conf.d, so it wins.
run_apt() {
    APT_CONFIG=$conf apt-get -q -c "$conf" "$@" >>"$log" 2>&1
}

log=$apt/$pkg.log
: >"$log"
echo "mote: fetching Debian source package $pkg (log: $log)"
run_apt update ||
    echo "mote: warning: apt-get update reported errors (see $log)" >&2

dl=$apt/src/$pkg
rm -rf "$dl" && mkdir -p "$dl" || die "cannot create $dl"
(cd "$dl" && run_apt source --download-only "$pkg") ||
    die "source package '$pkg' is not served by this machine's apt archives ($(grep '^E:' "$log" | head -n 1))"
set -- "$dl"/*.dsc
[ $# -eq 1 ] && [ -f "$1" ] || die "apt-get source gave no single .dsc for $pkg"
dsc=$1

# Unpack beside DESTDIR, then move it in place: an interrupted unpack never
# looks finished. dpkg-source checks the files against the .dsc (whose own
# hash apt checked against the signed index).
rm -rf "$dest.part" "$dest" || die "cannot remove $dest"
mkdir -p "$(dirname "$dest")" || die "cannot create $(dirname "$dest")"
skip=
[ "${MOTE_SRC_UPSTREAM:-}" = 1 ] && skip=--skip-patches
dpkg-source $skip -x "$dsc" "$dest.part" >>"$log" 2>&1 ||
    die "dpkg-source could not unpack $(basename "$dsc") (see $log)"
mv "$dest.part" "$dest" || die "cannot move $dest.part to $dest"
version=$(sed -n 's/^Version: //p' "$dsc")
echo "$pkg $version" >"$dest/.unpacked"
echo "mote: $pkg $version unpacked in $dest"
