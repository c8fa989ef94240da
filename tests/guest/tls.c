/* mbedtls in a guest: its self-tests (hashes, ciphers, bignums, ECC, the
 * DRBG, the entropy pool fed by getrandom()) and a TLS 1.2 handshake and
 * echo between a client and a server through memory, with an RSA test
 * chain (tls_certs.h): TLS without a network. */
#include <mbedtls/aes.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/mote_compat.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <string.h>

#include "check.h"
#include "tls_certs.h"

/* One direction of the connection. */
struct pipe {
    unsigned char buf[8192];
    size_t len;
};

/* One end: what it sends and what it receives. */
struct end {
    struct pipe *out, *in;
};

static struct pipe to_srv, to_cli;
static struct end cli_end = { &to_srv, &to_cli },
                  srv_end = { &to_cli, &to_srv };

static int pipe_send(void *ctx, const unsigned char *b, size_t n)
{
    struct pipe *p = ((struct end *)ctx)->out;

    if (n > sizeof(p->buf) - p->len)
        n = sizeof(p->buf) - p->len;
    if (!n)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    memcpy(p->buf + p->len, b, n);
    p->len += n;
    return (int)n;
}

static int pipe_recv(void *ctx, unsigned char *b, size_t n)
{
    struct pipe *p = ((struct end *)ctx)->in;

    if (!p->len)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (n > p->len)
        n = p->len;
    memcpy(b, p->buf, n);
    memmove(p->buf, p->buf + n, p->len - n);
    p->len -= n;
    return (int)n;
}

struct side {
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_x509_crt crt;
    mbedtls_pk_context key;
};

static void side_init(struct side *s, int endpoint, mbedtls_ctr_drbg_context *d)
{
    mbedtls_ssl_config_init(&s->conf);
    mbedtls_ssl_init(&s->ssl);
    mbedtls_x509_crt_init(&s->crt);
    mbedtls_pk_init(&s->key);
    CHECK(mbedtls_ssl_config_defaults(&s->conf, endpoint,
                                      MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT) == 0);
    mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, d);
    if (endpoint == MBEDTLS_SSL_IS_SERVER) {
        CHECK(mbedtls_x509_crt_parse(&s->crt,
                                     (const unsigned char *)tls_srv_rsa_crt,
                                     sizeof(tls_srv_rsa_crt)) == 0);
        CHECK(mbed_pk_parse_key(&s->key, (const unsigned char *)tls_srv_rsa_key,
                                sizeof(tls_srv_rsa_key),
                                mbedtls_ctr_drbg_random, d) == 0);
        CHECK(mbedtls_ssl_conf_own_cert(&s->conf, &s->crt, &s->key) == 0);
    } else {
        CHECK(mbedtls_x509_crt_parse(&s->crt, (const unsigned char *)tls_ca_rsa,
                                     sizeof(tls_ca_rsa)) == 0);
        mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
        mbedtls_ssl_conf_ca_chain(&s->conf, &s->crt, NULL);
    }
    CHECK(mbedtls_ssl_setup(&s->ssl, &s->conf) == 0);
}

static int pending(int rc)
{
    return rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE;
}

static void handshake(struct side *c, struct side *s)
{
    int rc_c = 1, rc_s = 1;

    for (int i = 0; i < 100 && (rc_c || rc_s); i++) {
        if (rc_c)
            rc_c = mbedtls_ssl_handshake(&c->ssl);
        if (rc_s)
            rc_s = mbedtls_ssl_handshake(&s->ssl);
        if ((rc_c && !pending(rc_c)) || (rc_s && !pending(rc_s)))
            printf("handshake: client -0x%04x, server -0x%04x\n",
                   (unsigned)-rc_c, (unsigned)-rc_s);
        CHECK(!rc_c || pending(rc_c));
        CHECK(!rc_s || pending(rc_s));
    }
    CHECK(rc_c == 0 && rc_s == 0);
    CHECK(mbedtls_ssl_get_verify_result(&c->ssl) == 0);
    printf("tls: %s, %s\n", mbedtls_ssl_get_version(&c->ssl),
           mbedtls_ssl_get_ciphersuite(&c->ssl));
}

int main(void)
{
    static const unsigned char msg[] = "hello over TLS in a unikernel";
    static struct side cli, srv;
    mbedtls_entropy_context ent;
    mbedtls_ctr_drbg_context drbg;
    unsigned char got[64];

    CHECK(mbedtls_sha256_self_test(0) == 0);
    CHECK(mbedtls_aes_self_test(0) == 0);
    CHECK(mbedtls_gcm_self_test(0) == 0);
    CHECK(mbedtls_mpi_self_test(0) == 0);
    CHECK(mbedtls_ecp_self_test(0) == 0);
    CHECK(mbedtls_ctr_drbg_self_test(0) == 0);
    CHECK(mbedtls_entropy_self_test(0) == 0);
#ifdef MBEDTLS_ENTROPY_HARDWARE_ALT /* the guest's: getrandom() */
    CHECK(mbedtls_entropy_source_self_test(0) == 0);
#endif
    mbedtls_entropy_init(&ent);
    mbedtls_ctr_drbg_init(&drbg);
    CHECK(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, msg, 4) ==
          0);
    side_init(&cli, MBEDTLS_SSL_IS_CLIENT, &drbg);
    side_init(&srv, MBEDTLS_SSL_IS_SERVER, &drbg);
    CHECK(mbedtls_ssl_set_hostname(&cli.ssl, "localhost") == 0);
    mbedtls_ssl_set_bio(&cli.ssl, &cli_end, pipe_send, pipe_recv, NULL);
    mbedtls_ssl_set_bio(&srv.ssl, &srv_end, pipe_send, pipe_recv, NULL);
    handshake(&cli, &srv);
    CHECK(mbedtls_ssl_write(&cli.ssl, msg, sizeof(msg)) == sizeof(msg));
    CHECK(mbedtls_ssl_read(&srv.ssl, got, sizeof(got)) == sizeof(msg));
    CHECK(memcmp(got, msg, sizeof(msg)) == 0);
    printf("tls ok\n");
    return 0;
}
