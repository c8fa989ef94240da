#!/bin/sh
# Print tests/guest/tls_certs.h: the certificates and keys that the TLS
# guest test (tests/guest/tls.c) and benchmark (bench/both/tls.c) use, as
# C strings. Run it only to replace them:
#   tests/tls-certs.sh > tests/guest/tls_certs.h
# Two chains for the name localhost: EC, shaped as mbedtls's own EC test
# chain (a P-384 CA, a P-256 server key, ECDSA with SHA-256), and RSA
# (2048 bits, SHA-256); valid from 2000 to 2100, so that a board whose
# clock is not set yet (no RTC) still takes them. mbedtls 2.28 has test
# certificates in its library (mbedtls/certs.h); 3.x keeps them with its
# own tests, so mote has its own. Never use these keys for anything real.
set -e
command -v openssl >/dev/null || {
    echo "mote: error: tls-certs.sh needs openssl" >&2
    exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/db"
: >"$tmp/db/index"
echo 01 >"$tmp/db/serial"
cat >"$tmp/ca.cnf" <<EOF
[ ca ]
default_ca = mote
[ mote ]
database = $tmp/db/index
serial = $tmp/db/serial
new_certs_dir = $tmp/db
default_md = sha256
policy = any
unique_subject = no
[ any ]
organizationName = optional
commonName = supplied
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ srv_ext ]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost
authorityKeyIdentifier = keyid
EOF

# cert NAME CA|- EXT CN KEYALG...: NAME.key and NAME.crt, signed by CA's
# key (-: by its own)
cert() {
    n=$1 by=$2 ext=$3 cn=$4
    shift 4
    openssl genpkey "$@" -out "$tmp/$n.key" 2>/dev/null
    openssl req -new -key "$tmp/$n.key" -subj "/O=mote/CN=$cn" \
        -out "$tmp/$n.csr"
    if [ "$by" = - ]; then
        set -- -selfsign -keyfile "$tmp/$n.key"
    else
        set -- -cert "$tmp/$by.crt" -keyfile "$tmp/$by.key"
    fi
    openssl ca -batch -config "$tmp/ca.cnf" "$@" -in "$tmp/$n.csr" \
        -out "$tmp/$n.crt" -startdate 20000101000000Z \
        -enddate 21000101000000Z -extensions "$ext" -notext 2>/dev/null
}

# str NAME FILE: FILE as a C string
str() {
    echo "static const char $1[] ="
    sed 's/.*/    "&\\n"/; $s/$/;/' "$2"
}

cert ca-ec - ca_ext "mote TLS test EC CA" \
    -algorithm EC -pkeyopt ec_paramgen_curve:P-384
cert srv-ec ca-ec srv_ext localhost \
    -algorithm EC -pkeyopt ec_paramgen_curve:P-256
cert ca-rsa - ca_ext "mote TLS test RSA CA" \
    -algorithm RSA -pkeyopt rsa_keygen_bits:2048
cert srv-rsa ca-rsa srv_ext localhost \
    -algorithm RSA -pkeyopt rsa_keygen_bits:2048

cat <<EOF
/*
 * TLS test certificates for localhost, valid from 2000 to 2100, made by
 * tests/tls-certs.sh; never use them for anything real. EC: a P-384 CA,
 * a P-256 server key, ECDSA with SHA-256 (the shape of mbedtls's own EC
 * test chain). RSA: 2048 bits, SHA-256. Sizes count the final NUL, as
 * mbedtls's PEM parsers want.
 */
#ifndef MOTE_TLS_CERTS_H
#define MOTE_TLS_CERTS_H

EOF
str tls_ca_ec "$tmp/ca-ec.crt"
str tls_srv_ec_crt "$tmp/srv-ec.crt"
str tls_srv_ec_key "$tmp/srv-ec.key"
str tls_ca_rsa "$tmp/ca-rsa.crt"
str tls_srv_rsa_crt "$tmp/srv-rsa.crt"
str tls_srv_rsa_key "$tmp/srv-rsa.key"
printf '\n#endif\n'
