/* https-server: the connection, HTTP and TLS parts and how they meet. */
#ifndef HTTPS_SERVER_H
#define HTTPS_SERVER_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IN_MAX 8192    /* request head: request line and headers */
#define OUT_MAX 16384  /* response head, then one chunk of a file */
#define URI_MAX 2048   /* longest request target (414 past it) */
#define PATH_MAX_ 1024 /* longest path after decoding */

/* The server's settings (the key=value arguments). */
struct opts {
    unsigned long port;     /* HTTPS port, 0: none */
    unsigned long http;     /* plain HTTP port, 0: none */
    unsigned long max;      /* most connections at once */
    unsigned long idle;     /* seconds a client has for each step */
    const char *root;       /* the served file tree */
    const char *cert, *key; /* PEM files */
};

/* What one request asked for. */
struct http_req {
    char method[8];
    char path[PATH_MAX_]; /* decoded, no query */
    int head;             /* HEAD: no body */
    int keep;             /* keep the connection after the response */
    int status;           /* 0, or the error to answer with */
};

/* One client connection. */
struct conn {
    int fd;
    int tls;          /* TLS: ssl is set up */
    int state;        /* CS_* in conn.c */
    int want;         /* POLLIN or POLLOUT: what it waits for */
    int64_t deadline; /* ms: closed when still waiting then */
    char peer[64];    /* "ip:port" */
    mbedtls_ssl_context ssl;
    char in[IN_MAX];
    size_t in_len;
    char out[OUT_MAX];
    size_t out_len, out_off;
    int file;            /* the file being sent, or -1 */
    off_t left;          /* its bytes still to send */
    struct http_req req; /* the request being answered */
    int status;
    unsigned long long sent; /* bytes of the answer sent, for the log */
};

/* TLS (tls.c): the server's configuration, one per process. */
struct tls_server {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_x509_crt cert;
    mbedtls_pk_context key;
    mbedtls_ssl_config conf;
};

int tls_setup(struct tls_server *t, const char *cert, const char *key);
int tls_conn_start(struct tls_server *t, struct conn *c);
/* These return bytes moved, 0 at the end of the stream, -EAGAIN (c->want
 * says for what) or -EIO; tls_handshake 1 when done. */
int tls_handshake(struct conn *c);
long tls_read(struct conn *c, void *buf, size_t len);
long tls_write(struct conn *c, const void *buf, size_t len);
void tls_conn_end(struct conn *c);

/* HTTP (http.c). http_parse: the length of the request head in buf, 0
 * when it is not complete yet; r->status set for a bad one (a bad request
 * line is seen before the head ends: then all of buf). */
size_t http_parse(const char *buf, size_t len, struct http_req *r);
/* The response head for status into out; *file opened (and *size set)
 * for a 200. Returns the head's length. */
size_t http_respond(const struct opts *o, struct http_req *r, int *status,
                    int *file, off_t *size, char *out, size_t max);
const char *http_reason(int status);

/* Connections (conn.c). */
struct conn *conn_new(int fd, const char *peer, int64_t now,
                      const struct opts *o, struct tls_server *t);
/* Move c on as far as it goes without waiting: 0, or -1 to close it. */
int conn_run(struct conn *c, const struct opts *o, int64_t now);
/* Say so when c was in the middle of something as its time ran out. */
void conn_expire(struct conn *c);
void conn_close(struct conn *c);

int64_t now_ms(void);
int serve(const struct opts *o, struct tls_server *t); /* serve.c */

#endif
