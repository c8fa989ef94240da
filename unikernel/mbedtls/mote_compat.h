/*
 * mbedtls 2.28 and 3.6 for TLS programs: the calls mote's examples, tests
 * and benchmarks make whose arguments or names differ between the two
 * (Debian 12 builds the guests' mbedtls from 2.28, Debian 13 from 3.6).
 * Installed beside mbedtls's headers in the SDK as <mbedtls/mote_compat.h>;
 * a native build finds it with -idirafter unikernel.
 */
#ifndef MOTE_MBEDTLS_COMPAT_H
#define MOTE_MBEDTLS_COMPAT_H

#include <mbedtls/version.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>

/* A private key from a PEM or DER file or buffer, without a password.
 * 3.x takes an RNG (for blinding): the program's DRBG, for instance. */
static inline int
mbed_pk_parse_keyfile(mbedtls_pk_context *pk, const char *path,
                      int (*rng)(void *, unsigned char *, size_t),
                      void *rng_ctx)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_parse_keyfile(pk, path, NULL, rng, rng_ctx);
#else
    (void)rng, (void)rng_ctx;
    return mbedtls_pk_parse_keyfile(pk, path, NULL);
#endif
}

/* (len counts a PEM key's final NUL.) */
static inline int mbed_pk_parse_key(mbedtls_pk_context *pk,
                                    const unsigned char *key, size_t len,
                                    int (*rng)(void *, unsigned char *, size_t),
                                    void *rng_ctx)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_parse_key(pk, key, len, NULL, 0, rng, rng_ctx);
#else
    (void)rng, (void)rng_ctx;
    return mbedtls_pk_parse_key(pk, key, len, NULL, 0);
#endif
}

/* TLS 1.2 and nothing else: 2.28 has no TLS 1.3, and mote's guests speak
 * 1.2 on 3.6 too (see unikernel/mbedtls/mote_config.h). */
static inline void mbed_ssl_conf_tls12(mbedtls_ssl_config *conf)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

/* ECDHE on P-256 only (3.x names groups by their TLS numbers). */
static inline void mbed_ssl_conf_p256(mbedtls_ssl_config *conf)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    static const uint16_t groups[] = { MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
                                       MBEDTLS_SSL_IANA_TLS_GROUP_NONE };

    mbedtls_ssl_conf_groups(conf, groups);
#else
    static const mbedtls_ecp_group_id curves[] = { MBEDTLS_ECP_DP_SECP256R1,
                                                   MBEDTLS_ECP_DP_NONE };

    mbedtls_ssl_conf_curves(conf, curves);
#endif
}

#endif
