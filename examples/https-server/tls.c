/* https-server: TLS with mbedtls over the connection's non-blocking
 * socket. */
#include <errno.h>
#include <mbedtls/error.h>
#include <mbedtls/mote_compat.h>
#include <mbedtls/net_sockets.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "server.h"

static void tls_err(const char *what, const char *file, int rc)
{
    char msg[128];

    mbedtls_strerror(rc, msg, sizeof(msg));
    fprintf(stderr, "https-server: %s%s%s: %s (-0x%04x)\n", what,
            file ? " " : "", file ? file : "", msg, (unsigned)-rc);
}

int tls_setup(struct tls_server *t, const char *cert, const char *key)
{
    static const unsigned char pers[] = "mote https-server";
    int rc;

    mbedtls_entropy_init(&t->entropy);
    mbedtls_ctr_drbg_init(&t->drbg);
    mbedtls_x509_crt_init(&t->cert);
    mbedtls_pk_init(&t->key);
    mbedtls_ssl_config_init(&t->conf);
    if ((rc = mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy,
                                    pers, sizeof(pers) - 1)))
        return tls_err("random generator", NULL, rc), -1;
    if ((rc = mbedtls_x509_crt_parse_file(&t->cert, cert)))
        return tls_err("certificate", cert, rc), -1;
    if ((rc = mbed_pk_parse_keyfile(&t->key, key, mbedtls_ctr_drbg_random,
                                    &t->drbg)))
        return tls_err("key", key, rc), -1;
    if ((rc = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_SERVER,
                                          MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT)))
        return tls_err("configuration", NULL, rc), -1;
    mbed_ssl_conf_tls12(&t->conf);
    mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
    if ((rc = mbedtls_ssl_conf_own_cert(&t->conf, &t->cert, &t->key)))
        return tls_err("certificate and key", NULL, rc), -1;
    return 0;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    ssize_t n = send(*(int *)ctx, buf, len, MSG_NOSIGNAL);

    if (n >= 0)
        return (int)n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    ssize_t n = recv(*(int *)ctx, buf, len, 0);

    if (n >= 0)
        return (int)n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return MBEDTLS_ERR_SSL_WANT_READ;
    return MBEDTLS_ERR_NET_RECV_FAILED;
}

int tls_conn_start(struct tls_server *t, struct conn *c)
{
    int rc;

    mbedtls_ssl_init(&c->ssl);
    if ((rc = mbedtls_ssl_setup(&c->ssl, &t->conf))) {
        tls_err(c->peer, NULL, rc);
        mbedtls_ssl_free(&c->ssl);
        return -1;
    }
    mbedtls_ssl_set_bio(&c->ssl, &c->fd, bio_send, bio_recv, NULL);
    c->tls = 1;
    return 0;
}

/* An mbedtls result as bytes, 0 (end), -EAGAIN or -EIO. */
static long result(struct conn *c, int rc, const char *what)
{
    char msg[160];

    if (rc >= 0)
        return rc;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
        c->want = rc == MBEDTLS_ERR_SSL_WANT_READ ? POLLIN : POLLOUT;
        return -EAGAIN;
    }
    if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
        rc == MBEDTLS_ERR_SSL_CONN_EOF)
        return 0;
    if (rc == MBEDTLS_ERR_NET_RECV_FAILED || rc == MBEDTLS_ERR_NET_SEND_FAILED)
        return -EIO; /* reset by the peer: nothing to say */
    snprintf(msg, sizeof(msg), "%s: TLS %s", c->peer, what);
    tls_err(msg, NULL, rc);
    return -EIO;
}

int tls_handshake(struct conn *c)
{
    int rc = mbedtls_ssl_handshake(&c->ssl);

    if (rc == 0)
        return 1;
    return result(c, rc, "handshake") == -EAGAIN ? -EAGAIN : -EIO;
}

long tls_read(struct conn *c, void *buf, size_t len)
{
    return result(c, mbedtls_ssl_read(&c->ssl, buf, len), "read");
}

long tls_write(struct conn *c, const void *buf, size_t len)
{
    long n = result(c, mbedtls_ssl_write(&c->ssl, buf, len), "write");

    return n == 0 ? -EIO : n;
}

void tls_conn_end(struct conn *c)
{
    if (!c->tls)
        return;
    mbedtls_ssl_close_notify(&c->ssl); /* best effort, never waited for */
    mbedtls_ssl_free(&c->ssl);
    c->tls = 0;
}
