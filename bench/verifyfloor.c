/* verifyfloor: the least that checking a signed image costs, as the floor
 * for make bench's verification and signed-boot figures.
 *
 *   verifyfloor PUB.pem IMAGE
 *
 * Reads IMAGE whole, hashes every byte before its signature trailer
 * (SHA-256) and checks the trailer's ECDSA P-256 signature over that hash
 * with the public key PUB.pem: one hash of the signed bytes and one
 * verify, the work no verifier can skip. Exits 0 only when the signature
 * is good. It uses the host's mbedtls (libmbedcrypto, 2.28 or 3.6), as
 * mote does; the trailer's layout is docs/image-format.md's (the last 128
 * bytes: signature length at 12, signed length at 48, DER signature at
 * 56). Self-contained on purpose: no mote code. Built static, as a floor. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#define TRAILER 128
#define SIG_MAX 72

static int fail(const char *what)
{
    fprintf(stderr, "verifyfloor: %s\n", what);
    return 1;
}

/* The file whole, in one buffer; NULL on any failure. */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
        fread(buf, 1, (size_t)n, f) == (size_t)n)
        *len = (size_t)n;
    else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

int main(int argc, char **argv)
{
    mbedtls_pk_context pk;
    unsigned char hash[32];
    const uint8_t *tr;
    uint8_t *buf;
    size_t len = 0, sig_len;
    int rc;

    if (argc != 3)
        return fputs("usage: verifyfloor PUB.pem IMAGE\n", stderr), 2;
    if (!(buf = slurp(argv[2], &len)) || len < TRAILER)
        return fail("cannot read the image, or it is too short");
    tr = buf + len - TRAILER;
    sig_len = (size_t)le(tr + 12, 2);
    if (memcmp(tr, "MOTE-SIG", 8) != 0 || le(tr + 48, 8) != len - TRAILER ||
        sig_len > SIG_MAX)
        return fail("no well-formed signature trailer");
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_sha256(buf, len - TRAILER, hash, 0);
#else
    mbedtls_sha256_ret(buf, len - TRAILER, hash, 0);
#endif
    mbedtls_pk_init(&pk);
    rc = mbedtls_pk_parse_public_keyfile(&pk, argv[1]) ||
         mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, hash, sizeof(hash), tr + 56,
                           sig_len);
    mbedtls_pk_free(&pk);
    free(buf);
    return rc ? fail("bad key or bad signature") : 0;
}
