/* https-server: the listening sockets and the poll() loop over them and
 * the connections. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

struct server {
    const struct opts *o;
    struct tls_server *t;
    int lfd[2], ltls[2], nl;
    struct conn **conns;
    size_t n;
    struct pollfd *pfd;
    int64_t paused_until; /* no accept() before then (out of fds...) */
};

static int nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int listen_on(unsigned long port)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_ANY) };
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0) {
        fprintf(stderr, "https-server: socket: %s\n", strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 128) < 0 ||
        nonblock(fd) < 0) {
        fprintf(stderr, "https-server: port %lu: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void accept_one(struct server *s, int i, int fd,
                       const struct sockaddr_in *a, int64_t now)
{
    char ip[INET_ADDRSTRLEN] = "?", peer[64];
    struct conn *c;
    int one = 1;

    inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
    snprintf(peer, sizeof(peer), "%s:%u", ip, ntohs(a->sin_port));
    if (nonblock(fd) < 0) {
        fprintf(stderr, "https-server: %s: O_NONBLOCK: %s\n", peer,
                strerror(errno));
        close(fd);
        return;
    }
    /* The head and the body are separate writes: no Nagle delay. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (!(c = conn_new(fd, peer, now, s->o, s->ltls[i] ? s->t : NULL))) {
        close(fd);
        return;
    }
    s->conns[s->n++] = c;
}

static void accept_all(struct server *s, int i, int64_t now)
{
    struct sockaddr_in a;
    socklen_t len;
    int fd;

    while (s->n < s->o->max) {
        len = sizeof(a);
        if ((fd = accept(s->lfd[i], (struct sockaddr *)&a, &len)) >= 0) {
            accept_one(s, i, fd, &a, now);
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
            errno != ECONNABORTED) {
            fprintf(stderr, "https-server: accept: %s\n", strerror(errno));
            s->paused_until = now + 1000;
        }
        return;
    }
}

/* The poll set: listeners first (while there is room), then every
 * connection. Returns the count and the time to wait. */
static int poll_set(struct server *s, int64_t now, int *nlisten, int *wait)
{
    int64_t first = now + 1000;
    int n = 0;

    if (s->n < s->o->max && now >= s->paused_until)
        for (int i = 0; i < s->nl; i++)
            s->pfd[n++] = (struct pollfd){ s->lfd[i], POLLIN, 0 };
    *nlisten = n;
    for (size_t i = 0; i < s->n; i++) {
        s->pfd[n++] =
            (struct pollfd){ s->conns[i]->fd, (short)s->conns[i]->want, 0 };
        if (s->conns[i]->deadline < first)
            first = s->conns[i]->deadline;
    }
    *wait = first > now ? (int)(first - now) : 0;
    return n;
}

static void drop(struct server *s, size_t i)
{
    conn_close(s->conns[i]);
    s->conns[i] = s->conns[--s->n];
}

/* The connections poll() woke, from the last: drop() moves the last into
 * a slot already seen. Then the ones past their deadline. */
static void run_conns(struct server *s, int base, size_t polled, int64_t now)
{
    for (size_t i = polled; i-- > 0;) {
        if (s->pfd[base + (int)i].revents &&
            conn_run(s->conns[i], s->o, now) < 0)
            drop(s, i);
    }
    for (size_t i = s->n; i-- > 0;) {
        if (now >= s->conns[i]->deadline) {
            conn_expire(s->conns[i]);
            drop(s, i);
        }
    }
}

static int loop(struct server *s)
{
    int nfds, nlisten, wait;
    size_t polled;
    int64_t now;

    for (;;) {
        now = now_ms();
        nfds = poll_set(s, now, &nlisten, &wait);
        polled = s->n;
        if (poll(s->pfd, (nfds_t)nfds, wait) < 0 && errno != EINTR) {
            fprintf(stderr, "https-server: poll: %s\n", strerror(errno));
            return -1;
        }
        now = now_ms();
        run_conns(s, nlisten, polled, now);
        for (int i = 0; i < nlisten; i++)
            if (s->pfd[i].revents)
                accept_all(s, i, now);
    }
}

int serve(const struct opts *o, struct tls_server *t)
{
    struct server s = { .o = o, .t = t };
    unsigned long ports[2] = { o->port, o->http };

    for (int i = 0; i < 2; i++) {
        if (!ports[i])
            continue;
        if ((s.lfd[s.nl] = listen_on(ports[i])) < 0)
            return -1;
        s.ltls[s.nl++] = i == 0;
    }
    s.conns = calloc(o->max, sizeof(*s.conns));
    s.pfd = calloc(o->max + 2, sizeof(*s.pfd));
    if (!s.conns || !s.pfd) {
        fprintf(stderr, "https-server: out of memory for max=%lu\n", o->max);
        return -1;
    }
    printf("https-server: listening on https port %lu, http port %lu, "
           "files in %s, at most %lu connections\n",
           o->port, o->http, o->root, o->max);
    return loop(&s);
}
