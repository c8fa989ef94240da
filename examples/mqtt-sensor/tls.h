/* mqtt-sensor: a byte stream to the broker, TLS (mbedtls) or plain TCP. */
#ifndef TLS_H
#define TLS_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <stddef.h>
#include <stdint.h>

struct tls_cfg {
    int on;           /* 0: plain TCP */
    int verify;       /* check the broker's certificate chain and name */
    const char *ca;   /* PEM file of trusted CAs */
    const char *cert; /* optional client certificate and key (PEM) */
    const char *key;
};

struct link {
    int fd;
    int tls;       /* this link uses TLS */
    int ssl_ready; /* ssl is set up for fd */
    short want;    /* poll events the last -EAGAIN waits for */
    size_t wpend;  /* TLS: length of a write to repeat, 0: none */
    uint8_t ip[16];
    size_t iplen; /* broker's address for the IP SAN check, 0: by name */
    char err[160];
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_context entropy;
    mbedtls_x509_crt ca, cert;
    mbedtls_pk_context key;
};

/* Once: load the CA (and client certificate), seed the DRBG. 0 or <0
 * with l->err set. */
int link_setup(struct link *l, const struct tls_cfg *c);
void link_teardown(struct link *l);

/* Start a session over fd, a connected non-blocking socket; host is the
 * broker's name (checked against the certificate's DNS names) or address
 * (checked against its IP addresses). 0 or <0 with l->err set. */
int link_start(struct link *l, int fd, const char *host);

/* Drive the TLS handshake: 0 done, -EAGAIN (poll for l->want), or <0 with
 * l->err set (a certificate that fails verification says why). */
int link_handshake(struct link *l);

/* Like read and write: bytes moved, 0 at end of stream (read), -EAGAIN
 * (poll for l->want) or another negative errno with l->err set. A write
 * that returned -EAGAIN must be repeated with the same bytes; link_write
 * repeats the same length by itself. */
long link_read(struct link *l, void *buf, size_t n);
long link_write(struct link *l, const void *buf, size_t n);

/* End the session (TLS close_notify, best effort) and close fd. */
void link_close(struct link *l);

/* A short description of the session (cipher suite), for the log. */
const char *link_info(struct link *l);

/* Random bytes for the back-off jitter (from the DRBG when TLS is on). */
uint32_t link_random(struct link *l);

#endif
