/*
 * A TCP echo server on the BSD socket calls, for the network tests: one
 * thread, non-blocking sockets and poll() over the listener and up to
 * MAX_CONN connections; each connection's bytes come back as they came.
 *   tcpecho.elf -- ip=10.0.0.2/24 port=7 [count=N: exit after N closed]
 *       [family=6: AF_INET6 sockets, IPv6 and IPv4 (::ffff:a.b.c.d)]
 * It also answers UDP on the same port, and prints one line a connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <mote/netcfg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONN 48
#define BUF 16384

struct conn {
    int fd;
    size_t have, sent; /* bytes in buf, of which sent */
    unsigned long long total;
    char buf[BUF];
};

static struct conn conns[MAX_CONN];
static struct pollfd pfd[MAX_CONN + 2];

static unsigned long arg(int argc, char **argv, const char *key,
                         unsigned long def)
{
    size_t k = strlen(key);

    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, k) && argv[i][k] == '=')
            return strtoul(argv[i] + k + 1, NULL, 10);
    return def;
}

static int family = AF_INET;

static int listener(int type, unsigned long port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port) };
    struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
                                 .sin6_port = htons((uint16_t)port) };
    int one = 1, fd = socket(family, type | SOCK_NONBLOCK, 0);
    struct sockaddr *sa =
        family == AF_INET6 ? (struct sockaddr *)&sin6 : (struct sockaddr *)&sin;
    socklen_t salen = family == AF_INET6 ? sizeof(sin6) : sizeof(sin);

    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, sa, salen) < 0 ||
        (type == SOCK_STREAM && listen(fd, 16) < 0)) {
        fprintf(stderr, "tcpecho: listen: %s\n", strerror(errno));
        exit(1);
    }
    return fd;
}

static void take(int l)
{
    struct sockaddr_in6 from;
    socklen_t len = sizeof(from);
    int one = 1, fd;

    while ((fd = accept4(l, (struct sockaddr *)&from, &len, SOCK_NONBLOCK)) >=
           0) {
        int i = 0;

        while (i < MAX_CONN && conns[i].fd >= 0)
            i++;
        if (i == MAX_CONN) {
            close(fd);
            printf("tcpecho: full, refused a connection\n");
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        conns[i] = (struct conn){ .fd = fd };
        len = sizeof(from);
    }
    if (errno != EAGAIN)
        fprintf(stderr, "tcpecho: accept: %s\n", strerror(errno));
}

/* Move bytes for one connection; 1 when it is finished. */
static int serve(struct conn *c, short re)
{
    ssize_t n;

    if (c->sent < c->have) {
        n = send(c->fd, c->buf + c->sent, c->have - c->sent, 0);
        if (n < 0 && errno != EAGAIN)
            return 1;
        if (n > 0)
            c->sent += (size_t)n;
        if (c->sent < c->have)
            return 0;
    }
    c->have = c->sent = 0;
    if (!(re & (POLLIN | POLLHUP | POLLERR)))
        return 0;
    n = recv(c->fd, c->buf, BUF, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN))
        return 1;
    if (n > 0) {
        c->have = (size_t)n;
        c->total += (unsigned long long)n;
        return serve(c, 0);
    }
    return 0;
}

static void udp(int fd)
{
    static char buf[65536];
    struct sockaddr_in6 from;
    socklen_t len = sizeof(from);
    ssize_t n;

    while ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
                         &len)) >= 0)
        sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
}

int main(int argc, char **argv)
{
    unsigned long port = arg(argc, argv, "port", 7);
    unsigned long count = arg(argc, argv, "count", 0), closed = 0;
    char ip[16], ip6[46];
    int l, u, n;

    if (arg(argc, argv, "family", 4) == 6)
        family = AF_INET6;
    mote_net_args(argc, argv);
    l = listener(SOCK_STREAM, port);
    u = listener(SOCK_DGRAM, port);
    if (mote_net_address(ip) < 0 || mote_net_address6(ip6) < 0)
        return 1;
    printf("tcpecho: listening on %s port %lu (IPv6 %s, %s sockets)\n", ip,
           port, ip6, family == AF_INET6 ? "AF_INET6" : "AF_INET");
    fflush(stdout);
    for (int i = 0; i < MAX_CONN; i++)
        conns[i].fd = -1;
    while (!count || closed < count) {
        pfd[0] = (struct pollfd){ .fd = l, .events = POLLIN };
        pfd[1] = (struct pollfd){ .fd = u, .events = POLLIN };
        for (int i = 0; i < MAX_CONN; i++)
            pfd[i + 2] = (struct pollfd){
                .fd = conns[i].fd,
                .events = conns[i].sent < conns[i].have ? POLLOUT : POLLIN
            };
        if ((n = poll(pfd, MAX_CONN + 2, -1)) < 0) {
            fprintf(stderr, "tcpecho: poll: %s\n", strerror(errno));
            return 1;
        }
        if (pfd[0].revents)
            take(l);
        if (pfd[1].revents)
            udp(u);
        for (int i = 0; i < MAX_CONN; i++) {
            struct conn *c = &conns[i];

            if (c->fd < 0 || !pfd[i + 2].revents ||
                !serve(c, pfd[i + 2].revents))
                continue;
            printf("tcpecho: connection closed after %llu bytes\n", c->total);
            fflush(stdout);
            close(c->fd);
            c->fd = -1;
            closed++;
        }
    }
    return 0;
}
