/* mqtt-sensor: the broker link, mbedtls over a non-blocking socket. */
#include <arpa/inet.h>
#include <errno.h>
#include <mbedtls/error.h>
#include <mbedtls/mote_compat.h>
#include <mbedtls/net_sockets.h> /* its error codes only */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls.h"

static int fail(struct link *l, int rc, const char *what)
{
    char s[100];

    mbedtls_strerror(rc, s, sizeof(s));
    snprintf(l->err, sizeof(l->err), "%s: %s (-0x%04x)", what, s,
             (unsigned)-rc);
    return -EIO;
}

/* Depth 0 (the broker's own certificate), reached by address: one of its
 * iPAddress names must be that address. mbedtls 2.28 checks DNS names
 * only, and only when given a host name (link_start gives none then). */
static int check_ip(void *arg, mbedtls_x509_crt *crt, int depth,
                    uint32_t *flags)
{
    const uint8_t tag = MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7; /* iPAddress */
    struct link *l = arg;

    if (depth != 0 || !l->iplen)
        return 0;
    for (const mbedtls_x509_sequence *s = &crt->subject_alt_names; s;
         s = s->next)
        if (s->buf.tag == tag && s->buf.len == l->iplen &&
            !memcmp(s->buf.p, l->ip, l->iplen))
            return 0;
    *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    return 0;
}

static int load(struct link *l, const struct tls_cfg *c)
{
    int rc;

    if (c->verify && (rc = mbedtls_x509_crt_parse_file(&l->ca, c->ca)))
        return fail(l, rc < 0 ? rc : MBEDTLS_ERR_X509_INVALID_FORMAT, c->ca);
    if (!c->cert)
        return 0;
    if ((rc = mbedtls_x509_crt_parse_file(&l->cert, c->cert)))
        return fail(l, rc < 0 ? rc : MBEDTLS_ERR_X509_INVALID_FORMAT, c->cert);
    if ((rc = mbed_pk_parse_keyfile(&l->key, c->key, mbedtls_ctr_drbg_random,
                                    &l->drbg)))
        return fail(l, rc, c->key);
    return 0;
}

int link_setup(struct link *l, const struct tls_cfg *c)
{
    static const unsigned char pers[] = "mote mqtt-sensor";
    mbedtls_ssl_config *conf = &l->conf;
    int rc;

    memset(l, 0, sizeof(*l));
    l->fd = -1;
    l->tls = c->on;
    mbedtls_ssl_config_init(conf);
    mbedtls_ctr_drbg_init(&l->drbg);
    mbedtls_entropy_init(&l->entropy);
    mbedtls_x509_crt_init(&l->ca);
    mbedtls_x509_crt_init(&l->cert);
    mbedtls_pk_init(&l->key);
    if ((rc = mbedtls_ctr_drbg_seed(&l->drbg, mbedtls_entropy_func, &l->entropy,
                                    pers, sizeof(pers) - 1)))
        return fail(l, rc, "seeding the random generator");
    if (!c->on)
        return 0;
    if ((rc = load(l, c)) < 0)
        return rc;
    if ((rc = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT,
                                          MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT)))
        return fail(l, rc, "TLS configuration");
    mbed_ssl_conf_tls12(conf);
    mbedtls_ssl_conf_authmode(conf, c->verify ? MBEDTLS_SSL_VERIFY_REQUIRED
                                              : MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_ca_chain(conf, &l->ca, NULL);
    mbedtls_ssl_conf_verify(conf, check_ip, l);
    mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &l->drbg);
    if (c->cert && (rc = mbedtls_ssl_conf_own_cert(conf, &l->cert, &l->key)))
        return fail(l, rc, "client certificate");
    return 0;
}

void link_teardown(struct link *l)
{
    link_close(l);
    mbedtls_pk_free(&l->key);
    mbedtls_x509_crt_free(&l->cert);
    mbedtls_x509_crt_free(&l->ca);
    mbedtls_entropy_free(&l->entropy);
    mbedtls_ctr_drbg_free(&l->drbg);
    mbedtls_ssl_config_free(&l->conf);
}

static int bio_send(void *arg, const unsigned char *buf, size_t n)
{
    struct link *l = arg;
    ssize_t rc = send(l->fd, buf, n, 0);

    if (rc >= 0)
        return (int)rc;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *arg, unsigned char *buf, size_t n)
{
    struct link *l = arg;
    ssize_t rc = recv(l->fd, buf, n, 0);

    if (rc >= 0)
        return (int)rc;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return MBEDTLS_ERR_SSL_WANT_READ;
    return MBEDTLS_ERR_NET_RECV_FAILED;
}

int link_start(struct link *l, int fd, const char *host)
{
    int rc;

    l->fd = fd;
    l->wpend = 0;
    l->err[0] = 0;
    if (!l->tls)
        return 0;
    mbedtls_ssl_init(&l->ssl);
    l->ssl_ready = 1;
    if ((rc = mbedtls_ssl_setup(&l->ssl, &l->conf)))
        return fail(l, rc, "TLS session");
    l->iplen = 0;
    if (inet_pton(AF_INET, host, l->ip) == 1)
        l->iplen = 4;
    else if (inet_pton(AF_INET6, host, l->ip) == 1)
        l->iplen = 16;
    /* By address: no name to check (check_ip checks the address), said
     * with NULL, which 3.6 wants before it verifies a certificate. */
    if ((rc = mbedtls_ssl_set_hostname(&l->ssl, l->iplen ? NULL : host)))
        return fail(l, rc, "broker name");
    mbedtls_ssl_set_bio(&l->ssl, l, bio_send, bio_recv, NULL);
    return 0;
}

/* An mbedtls result that asks to wait: -EAGAIN, l->want set; else 0. */
static int again(struct link *l, int rc)
{
    if (rc == MBEDTLS_ERR_SSL_WANT_READ)
        l->want = POLLIN;
    else if (rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        l->want = POLLOUT;
    else
        return 0;
    return -EAGAIN;
}

static int verify_failed(struct link *l)
{
    uint32_t flags = mbedtls_ssl_get_verify_result(&l->ssl);
    char info[120], *p;
    int n;

    n = mbedtls_x509_crt_verify_info(info, sizeof(info), "", flags);
    if (n < 0)
        snprintf(info, sizeof(info), "flags 0x%x", (unsigned)flags);
    while ((p = strchr(info, '\n'))) /* one line: "a; b" */
        *p = p[1] ? ';' : 0;
    snprintf(l->err, sizeof(l->err), "certificate verification failed: %s",
             info);
    return -EACCES;
}

int link_handshake(struct link *l)
{
    int rc;

    if (!l->tls)
        return 0;
    if ((rc = mbedtls_ssl_handshake(&l->ssl)) == 0)
        return 0;
    if (again(l, rc))
        return -EAGAIN;
    if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED)
        return verify_failed(l);
    return fail(l, rc, "TLS handshake");
}

static long plain(struct link *l, ssize_t rc, short want, const char *what)
{
    if (rc >= 0)
        return rc;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        l->want = want;
        return -EAGAIN;
    }
    rc = -errno;
    snprintf(l->err, sizeof(l->err), "%s: %s", what, strerror(errno));
    return rc;
}

long link_read(struct link *l, void *buf, size_t n)
{
    int rc;

    if (!l->tls)
        return plain(l, recv(l->fd, buf, n, 0), POLLIN, "receive");
    rc = mbedtls_ssl_read(&l->ssl, buf, n);
    if (rc >= 0)
        return rc;
    if (again(l, rc))
        return -EAGAIN;
    if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
        rc == MBEDTLS_ERR_SSL_CONN_EOF)
        return 0;
    return fail(l, rc, "TLS receive");
}

long link_write(struct link *l, const void *buf, size_t n)
{
    int rc;

    if (!l->tls)
        return plain(l, send(l->fd, buf, n, 0), POLLOUT, "send");
    if (l->wpend) /* mbedtls wants the same write again */
        n = l->wpend;
    rc = mbedtls_ssl_write(&l->ssl, buf, n);
    if (rc >= 0) {
        l->wpend = 0;
        return rc;
    }
    if (again(l, rc)) {
        l->wpend = n;
        return -EAGAIN;
    }
    return fail(l, rc, "TLS send");
}

void link_close(struct link *l)
{
    if (l->ssl_ready) {
        if (l->fd >= 0)
            mbedtls_ssl_close_notify(&l->ssl); /* one try, no waiting */
        mbedtls_ssl_free(&l->ssl);
        l->ssl_ready = 0;
    }
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    l->wpend = 0;
}

const char *link_info(struct link *l)
{
    static char s[96];

    if (!l->tls)
        return "plain TCP, no TLS";
    snprintf(s, sizeof(s), "%s %s", mbedtls_ssl_get_version(&l->ssl),
             mbedtls_ssl_get_ciphersuite(&l->ssl));
    return s;
}

uint32_t link_random(struct link *l)
{
    unsigned char b[4] = { 0 };

    mbedtls_ctr_drbg_random(&l->drbg, b, sizeof(b));
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | b[2] << 8 | b[3];
}
