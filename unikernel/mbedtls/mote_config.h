/*
 * mote's changes to mbedtls's default configuration (include/mbedtls/
 * config.h of the release), read at its end as MBEDTLS_USER_CONFIG_FILE.
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

#endif
