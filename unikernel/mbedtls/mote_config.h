/*
 * mote's changes to mbedtls's default configuration (include/mbedtls/
 * config.h of 2.28, mbedtls_config.h of 3.x), read after it as
 * MBEDTLS_USER_CONFIG_FILE. One file for both: what 2.28 does not have,
 * it does not define, and #undef of it is nothing.
 * The guest has one thread and no /dev/urandom: entropy comes from
 * getrandom() (the libOS's entropy hypercall), see mote_entropy.c.
 */
#ifndef MOTE_MBEDTLS_CONFIG_H
#define MOTE_MBEDTLS_CONFIG_H

/* mbedtls's Linux source is getrandom() through syscall() on glibc only;
 * on musl it would open /dev/urandom. Ours is getrandom() itself. */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT

/* One thread, no signals: no mutexes, no alarm()-based timers (DTLS is
 * the only user of mbedtls_timing; a DTLS program brings its own). */
#undef MBEDTLS_THREADING_C
#undef MBEDTLS_TIMING_C

/*
 * TLS 1.2 only, on 3.6 as on 2.28 (which has no TLS 1.3): a guest speaks
 * the same protocol whichever Debian release built its SDK; and TLS 1.3,
 * which 3.6 runs on PSA crypto (psa_crypto_init(), its key store and its
 * own DRBG), would add code and memory to every TLS guest. To enable it:
 * drop these lines, call psa_crypto_init() before the first handshake and
 * stop pinning 1.2 (mbed_ssl_conf_tls12() in mote_compat.h).
 */
#undef MBEDTLS_SSL_PROTO_TLS1_3
#undef MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED

#endif
