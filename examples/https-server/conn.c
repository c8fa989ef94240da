/* https-server: one connection's steps, each taken as far as it goes
 * without waiting: TLS handshake, reading a request, writing the answer. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

enum { CS_HANDSHAKE, CS_READ, CS_WRITE };

struct conn *conn_new(int fd, const char *peer, int64_t now,
                      const struct opts *o, struct tls_server *t)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (!c) {
        fprintf(stderr, "https-server: %s: out of memory\n", peer);
        return NULL;
    }
    c->fd = fd;
    c->file = -1;
    c->want = POLLIN;
    c->deadline = now + (int64_t)o->idle * 1000;
    snprintf(c->peer, sizeof(c->peer), "%s", peer);
    c->state = t ? CS_HANDSHAKE : CS_READ;
    if (t && tls_conn_start(t, c) < 0) {
        free(c);
        return NULL;
    }
    return c;
}

void conn_expire(struct conn *c)
{
    /* Between requests a client may go quiet; anywhere else it is late. */
    if (c->state != CS_READ || c->in_len)
        fprintf(stderr, "https-server: %s: timed out (%s)\n", c->peer,
                c->state == CS_HANDSHAKE ? "TLS handshake"
                : c->state == CS_READ    ? "request"
                                         : "response");
}

void conn_close(struct conn *c)
{
    tls_conn_end(c);
    if (c->file >= 0)
        close(c->file);
    close(c->fd);
    free(c);
}

static long io_read(struct conn *c, void *buf, size_t len)
{
    ssize_t n;

    if (c->tls)
        return tls_read(c, buf, len);
    if ((n = recv(c->fd, buf, len, 0)) >= 0)
        return n;
    c->want = POLLIN;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -EAGAIN
                                                                     : -EIO;
}

static long io_write(struct conn *c, const void *buf, size_t len)
{
    ssize_t n;

    if (c->tls)
        return tls_write(c, buf, len);
    if ((n = send(c->fd, buf, len, MSG_NOSIGNAL)) >= 0)
        return n;
    c->want = POLLOUT;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -EAGAIN
                                                                     : -EIO;
}

/* The request line and path with only printable characters, for the log. */
static void printable(char *s)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e)
            *s = '?';
}

static void log_request(struct conn *c)
{
    struct http_req *r = &c->req;

    printable(r->method);
    printable(r->path);
    printf("%s %s %.200s %d %llu\n", c->peer, r->method[0] ? r->method : "-",
           r->path[0] ? r->path : "-", c->status, c->sent);
}

/* The answer to a complete head of used bytes, or to an impossible one. */
static void respond(struct conn *c, const struct opts *o, size_t used,
                    int64_t now)
{
    off_t size;

    c->out_len = http_respond(o, &c->req, &c->status, &c->file, &size, c->out,
                              sizeof(c->out));
    c->out_off = 0;
    c->left = c->req.head ? 0 : size;
    c->sent = 0;
    memmove(c->in, c->in + used, c->in_len - used);
    c->in_len -= used;
    c->state = CS_WRITE;
    c->deadline = now + (int64_t)o->idle * 1000;
}

/* Reading: 1 when a request is there to answer, 0 waiting, -1 closing. */
static int step_read(struct conn *c, const struct opts *o, int64_t now)
{
    size_t used = http_parse(c->in, c->in_len, &c->req);
    long n;

    if (used) {
        respond(c, o, used, now);
        return 1;
    }
    if (c->in_len == sizeof(c->in)) {
        /* No end of the head in IN_MAX bytes: too long a line or head. */
        c->req.status = memchr(c->in, '\n', c->in_len) ? 431 : 414;
        respond(c, o, c->in_len, now);
        return 1;
    }
    n = io_read(c, c->in + c->in_len, sizeof(c->in) - c->in_len);
    if (n == -EAGAIN)
        return 0;
    if (n <= 0)
        return -1;
    c->in_len += (size_t)n;
    return 1;
}

/* The next chunk of the file into out. */
static int refill(struct conn *c)
{
    size_t want = sizeof(c->out);
    ssize_t n;

    if ((off_t)want > c->left)
        want = (size_t)c->left;
    n = read(c->file, c->out, want);
    if (n <= 0) {
        fprintf(stderr, "https-server: %s: %s: file read failed\n", c->peer,
                c->req.path);
        return -1;
    }
    c->out_len = (size_t)n;
    c->out_off = 0;
    c->left -= n;
    return 0;
}

/* Writing: 1 to go on, 0 waiting, -1 closing. */
static int step_write(struct conn *c, const struct opts *o, int64_t now)
{
    long n;

    if (c->out_off < c->out_len) {
        n = io_write(c, c->out + c->out_off, c->out_len - c->out_off);
        if (n == -EAGAIN)
            return 0;
        if (n < 0)
            return -1;
        c->out_off += (size_t)n;
        c->sent += (unsigned long long)n;
        c->deadline = now + (int64_t)o->idle * 1000; /* progress */
        return 1;
    }
    if (c->left > 0)
        return refill(c) < 0 ? -1 : 1;
    log_request(c);
    if (c->file >= 0)
        close(c->file);
    c->file = -1;
    if (!c->req.keep)
        return -1;
    c->state = CS_READ;
    c->out_len = c->out_off = 0;
    c->deadline = now + (int64_t)o->idle * 1000; /* the next request */
    return 1;
}

int conn_run(struct conn *c, const struct opts *o, int64_t now)
{
    int rc = 1;

    while (rc > 0) {
        switch (c->state) {
        case CS_HANDSHAKE:
            rc = tls_handshake(c);
            if (rc == -EAGAIN)
                return 0;
            if (rc < 0)
                return -1;
            c->state = CS_READ;
            break;
        case CS_READ: rc = step_read(c, o, now); break;
        default: rc = step_write(c, o, now);
        }
    }
    return rc;
}
