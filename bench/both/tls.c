/* TLS handshakes per second: N full TLS 1.2 handshakes between an mbedtls
 * client and server in one process, through memory (no network), with
 * ECDHE-ECDSA-AES128-GCM-SHA256 on P-256 and an EC test chain shaped as
 * mbedtls's own (a P-384 CA, a P-256 server key: tests/guest/tls_certs.h);
 * the client verifies the server's chain every time, and no session is
 * resumed. Built as a guest (the guest's mbedtls) and natively (the host's
 * libmbedtls, the same release and configuration file). tls [N]       prints
 * hs_us (per handshake), hs_per_s and a checksum
 */
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/mote_compat.h>
#include <mbedtls/ssl.h>
#include <string.h>

#include "../../tests/guest/tls_certs.h"
#include "both.h"

/* One direction of the connection. */
struct pipe {
    unsigned char buf[16384];
    size_t len;
};

/* One end: what it sends and what it receives. */
struct end {
    struct pipe *out, *in;
};

struct side {
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_x509_crt crt;
    mbedtls_pk_context key;
};

static struct pipe to_srv, to_cli;
static struct end cli_end = { &to_srv, &to_cli },
                  srv_end = { &to_cli, &to_srv };
static const int suites[] = { MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                              0 };

static void die(const char *what, int rc)
{
    fprintf(stderr, "tls: %s: -0x%04x\n", what, (unsigned)-rc);
    exit(1);
}

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

/* The server's certificate and key, or the client's trusted CA. */
static int side_creds(struct side *s, int endpoint, mbedtls_ctr_drbg_context *d)
{
    int rc;

    if (endpoint == MBEDTLS_SSL_IS_CLIENT) {
        rc = mbedtls_x509_crt_parse(&s->crt, (const unsigned char *)tls_ca_ec,
                                    sizeof(tls_ca_ec));
        mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
        mbedtls_ssl_conf_ca_chain(&s->conf, &s->crt, NULL);
        return rc;
    }
    rc = mbedtls_x509_crt_parse(&s->crt, (const unsigned char *)tls_srv_ec_crt,
                                sizeof(tls_srv_ec_crt));
    if (!rc)
        rc = mbed_pk_parse_key(&s->key, (const unsigned char *)tls_srv_ec_key,
                               sizeof(tls_srv_ec_key), mbedtls_ctr_drbg_random,
                               d);
    return rc ? rc : mbedtls_ssl_conf_own_cert(&s->conf, &s->crt, &s->key);
}

static void side_init(struct side *s, int endpoint, mbedtls_ctr_drbg_context *d,
                      struct end *e)
{
    int rc;

    mbedtls_ssl_config_init(&s->conf);
    mbedtls_ssl_init(&s->ssl);
    mbedtls_x509_crt_init(&s->crt);
    mbedtls_pk_init(&s->key);
    rc = mbedtls_ssl_config_defaults(&s->conf, endpoint,
                                     MBEDTLS_SSL_TRANSPORT_STREAM,
                                     MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc)
        die("config", rc);
    mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, d);
    mbed_ssl_conf_tls12(&s->conf);
    mbedtls_ssl_conf_ciphersuites(&s->conf, suites);
    mbed_ssl_conf_p256(&s->conf);
    mbedtls_ssl_conf_session_tickets(&s->conf,
                                     MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    if ((rc = side_creds(s, endpoint, d)))
        die("certificates", rc);
    if ((rc = mbedtls_ssl_setup(&s->ssl, &s->conf)))
        die("setup", rc);
    mbedtls_ssl_set_bio(&s->ssl, e, pipe_send, pipe_recv, NULL);
}

static int pending(int rc)
{
    return rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE;
}

/* One full handshake from fresh sessions; the suite's name hashed. */
static uint64_t handshake(struct side *c, struct side *s)
{
    int rc_c = 1, rc_s = 1;
    uint64_t h = 1469598103934665603ULL;

    mbedtls_ssl_session_reset(&c->ssl);
    mbedtls_ssl_session_reset(&s->ssl);
    to_srv.len = to_cli.len = 0;
    if (mbedtls_ssl_set_hostname(&c->ssl, "localhost"))
        die("hostname", -1);
    for (int i = 0; i < 100 && (rc_c || rc_s); i++) {
        if (rc_c && (rc_c = mbedtls_ssl_handshake(&c->ssl)) && !pending(rc_c))
            die("client handshake", rc_c);
        if (rc_s && (rc_s = mbedtls_ssl_handshake(&s->ssl)) && !pending(rc_s))
            die("server handshake", rc_s);
    }
    if (rc_c || rc_s || mbedtls_ssl_get_verify_result(&c->ssl))
        die("handshake did not finish", rc_c ? rc_c : rc_s);
    for (const char *p = mbedtls_ssl_get_ciphersuite(&c->ssl); *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

int main(int argc, char **argv)
{
    long n = arg_long(argc, argv, 1, 100, 1);
    static struct side cli, srv;
    mbedtls_entropy_context ent;
    mbedtls_ctr_drbg_context drbg;
    uint64_t sum = 0, t0, t1;
    int rc;

    mbedtls_entropy_init(&ent);
    mbedtls_ctr_drbg_init(&drbg);
    rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, NULL, 0);
    if (rc)
        die("seed", rc);
    side_init(&cli, MBEDTLS_SSL_IS_CLIENT, &drbg, &cli_end);
    side_init(&srv, MBEDTLS_SSL_IS_SERVER, &drbg, &srv_end);
    sum ^= handshake(&cli, &srv); /* warm-up, not timed */
    t0 = now_ns();
    for (long i = 0; i < n; i++)
        sum += handshake(&cli, &srv);
    t1 = now_ns();
    printf("suite %s\n", mbedtls_ssl_get_ciphersuite(&cli.ssl));
    printf("hs_us %.1f\n", (double)(t1 - t0) / 1e3 / (double)n);
    printf("hs_per_s %.1f\n", (double)n * 1e9 / (double)(t1 - t0));
    printf("checksum %016llx\n", (unsigned long long)sum);
    return 0;
}
