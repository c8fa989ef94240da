/* mbedtls 2.28 and 3.6: the monitor's calls whose names or arguments
 * differ between them, in one place. */
#ifndef MOTE_MBED_H
#define MOTE_MBED_H

#include <stddef.h>

#include <mbedtls/version.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

/*
 * Debian 12 and Ubuntu 24.04 ship 2.28 (the LTS of 2.x), Debian 13 3.6
 * (the LTS of 3.x). 3.0 to 3.5 hide the key pair's curve without an
 * accessor (mbedtls_ecp_keypair_get_group_id() is new in 3.6).
 */
#if MBEDTLS_VERSION_NUMBER < 0x021C0000 ||                                     \
    (MBEDTLS_VERSION_NUMBER >= 0x03000000 &&                                   \
     MBEDTLS_VERSION_NUMBER < 0x03060000)
#error "mote builds with mbedtls 2.28 or 3.6 and later (libmbedtls-dev)"
#endif

/* An RNG as mbedtls takes it: fill out[len], 0 or an mbedtls error. */
typedef int (*mbed_rng_fn)(void *ctx, unsigned char *out, size_t len);

/* SHA-256 (2.28: the *_ret functions; 3.x: the same ones, renamed).
 * mbed_sha256_begin() inits and starts c; mbedtls_sha256_free() ends it. */
static inline void mbed_sha256_begin(mbedtls_sha256_context *c)
{
    mbedtls_sha256_init(c);
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_sha256_starts(c, 0);
#else
    mbedtls_sha256_starts_ret(c, 0);
#endif
}

static inline void mbed_sha256_update(mbedtls_sha256_context *c, const void *p,
                                      size_t len)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_sha256_update(c, p, len);
#else
    mbedtls_sha256_update_ret(c, p, len);
#endif
}

static inline void mbed_sha256_finish(mbedtls_sha256_context *c,
                                      unsigned char out[32])
{
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_sha256_finish(c, out);
#else
    mbedtls_sha256_finish_ret(c, out);
#endif
}

static inline void mbed_sha256(const void *p, size_t len, unsigned char out[32])
{
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_sha256(p, len, out, 0);
#else
    mbedtls_sha256_ret(p, len, out, 0);
#endif
}

/* Parse a PEM (NUL-terminated, len counting the NUL) or DER private
 * key from memory (3.x wants an RNG for blinding). */
static inline int mbed_pk_parse_key(mbedtls_pk_context *pk,
                                    const unsigned char *key, size_t len,
                                    mbed_rng_fn rng, void *rng_ctx)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_parse_key(pk, key, len, NULL, 0, rng, rng_ctx);
#else
    (void)rng, (void)rng_ctx;
    return mbedtls_pk_parse_key(pk, key, len, NULL, 0);
#endif
}

/* Sign a hash into sig[size]: 3.x checks size, 2.28 takes none, so sig
 * must hold the longest signature of the key's kind (for ECDSA keys,
 * MBEDTLS_ECDSA_MAX_LEN). */
static inline int mbed_pk_sign(mbedtls_pk_context *pk, mbedtls_md_type_t md,
                               const unsigned char *hash, size_t hash_len,
                               unsigned char *sig, size_t size, size_t *len,
                               mbed_rng_fn rng, void *rng_ctx)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_sign(pk, md, hash, hash_len, sig, size, len, rng,
                           rng_ctx);
#else
    (void)size;
    return mbedtls_pk_sign(pk, md, hash, hash_len, sig, len, rng, rng_ctx);
#endif
}

/* The curve of an EC key (3.x: the key pair's fields are private). */
static inline mbedtls_ecp_group_id mbed_pk_curve(const mbedtls_pk_context *pk)
{
    const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);

    if (!ec)
        return MBEDTLS_ECP_DP_NONE;
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_ecp_keypair_get_group_id(ec);
#else
    return ec->grp.id;
#endif
}

#endif
