#!/bin/sh
# A test CA and a server certificate it signs, for https-server and its
# tests: mkcert.sh OUTDIR [NAME...]. NAMEs (host names or IPv4 addresses)
# go into the certificate's subjectAltName; default: localhost, 127.0.0.1
# and 10.0.0.2 (the guest in tests/net). Writes OUTDIR/ca.crt, ca.key,
# server.crt, server.key (ECDSA P-256) and other-ca.crt, a CA that signed
# nothing (a client trusting only it must refuse the server).
# Never use these keys for anything real: bundle your own (see README).
set -e
out=$1
[ -n "$out" ] || { echo "usage: mkcert.sh OUTDIR [NAME...]" >&2; exit 2; }
shift
[ $# -gt 0 ] || set -- localhost 127.0.0.1 10.0.0.2
command -v openssl >/dev/null || {
    echo "mote: error: mkcert.sh needs openssl (Debian package openssl)" >&2
    exit 1; }
san=
for n in "$@"; do
    case $n in
    *[!0-9.]*) san="$san,DNS:$n" ;;
    *) san="$san,IP:$n" ;;
    esac
done
san=${san#,}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$1" 2>/dev/null; }
ca() { # NAME KEY CRT
    key "$2"
    openssl req -x509 -new -key "$2" -out "$3" -days 3650 -subj "/CN=$1" \
        -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign
}
ca "mote test CA" "$tmp/ca.key" "$tmp/ca.crt"
ca "mote other CA" "$tmp/other.key" "$tmp/other-ca.crt"
key "$tmp/server.key"
openssl req -new -key "$tmp/server.key" -subj "/CN=$1" -out "$tmp/server.csr"
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    "$san" >"$tmp/ext"
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.crt" \
    -CAkey "$tmp/ca.key" -CAcreateserial -days 825 -extfile "$tmp/ext" \
    -out "$tmp/server.crt" 2>/dev/null
cp "$tmp/ca.crt" "$tmp/ca.key" "$tmp/server.crt" "$tmp/server.key" \
    "$tmp/other-ca.crt" "$out/"
echo "mkcert: $out/server.crt for $san, signed by $out/ca.crt"
