/* tcpcheck: the host-side TCP client of the network tests (static).
 *
 *   tcpcheck echo IP PORT CONNS BYTES   CONNS connections at once, each
 *                                       sending BYTES (its own pattern)
 *                                       and reading them all back, checked
 *   tcpcheck refused IP PORT            a connection is refused (RST)
 *   tcpcheck sink IP PORT BYTES         listen on IP:PORT (then print
 *                                       "tcpcheck: sink listening") for
 *                                       one connection; it must bring
 *                                       BYTES of the pattern (seed 1),
 *                                       then EOF
 *   tcpcheck ra IFACE PREFIX            router advertisements of PREFIX/64
 *                                       (SLAAC) to all nodes on IFACE
 * echo and refused take an IPv6 address too (fe80::1%IFACE).
 *   tcpcheck serve IP PORT SECONDS      the sockapi guest's peer: TCP on
 *                                       PORT (see serve_conn) and UDP echo
 *                                       on PORT, for SECONDS
 *
 * Everything within 120 s. Prints problems and one closing line; exits 1
 * on a mismatch, loss or time-out, 2 on bad usage or a setup error.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONNS_MAX 64
#define LIMIT_MS 120000

struct c {
    int fd;
    unsigned long long sent, got;
    uint32_t tx, rx; /* pattern states */
};

static struct sockaddr_in peer;
/* echo and refused: peer, or an IPv6 address ("fe80::1%tap0" too) */
static struct sockaddr_storage target;
static socklen_t target_len;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned char next(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (unsigned char)(*s >> 16);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: tcpcheck echo IP PORT CONNS BYTES | refused IP "
            "PORT | sink IP PORT BYTES | hold IP PORT SECONDS | serve IP PORT "
            "SECONDS | ra "
            "IFACE PREFIX\n");
    exit(2);
}

static int dial(void)
{
    int fd = socket(target.ss_family, SOCK_STREAM, 0);

    if (fd < 0 || connect(fd, (struct sockaddr *)&target, target_len) < 0)
        return -1;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* Move what can be moved on one connection; -1 on a mismatch or error. */
static int step(struct c *c, short re, unsigned long long bytes)
{
    unsigned char buf[16384];
    ssize_t n;
    size_t k;

    if ((re & POLLOUT) && c->sent < bytes) {
        k = bytes - c->sent < sizeof(buf) ? (size_t)(bytes - c->sent)
                                          : sizeof(buf);
        uint32_t save = c->tx;
        for (size_t i = 0; i < k; i++)
            buf[i] = next(&c->tx);
        n = send(c->fd, buf, k, MSG_NOSIGNAL);
        c->tx = save;
        if (n < 0 && errno != EAGAIN)
            return -1;
        for (ssize_t i = 0; i < n; i++)
            next(&c->tx);
        if (n > 0)
            c->sent += (unsigned long long)n;
    }
    if (re & (POLLIN | POLLHUP | POLLERR)) {
        n = recv(c->fd, buf, sizeof(buf), 0);
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
            fprintf(stderr,
                    "tcpcheck: connection ended after %llu of %llu "
                    "bytes: %s\n",
                    c->got, bytes, n ? strerror(errno) : "EOF");
            return -1;
        }
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != next(&c->rx)) {
                fprintf(stderr, "tcpcheck: byte %llu differs\n",
                        c->got + (unsigned long long)i);
                return -1;
            }
        if (n > 0)
            c->got += (unsigned long long)n;
    }
    return 0;
}

static int echo(int conns, unsigned long long bytes)
{
    static struct c cs[CONNS_MAX];
    struct pollfd p[CONNS_MAX];
    double t0 = now_s(), t;
    int open = conns, bad = 0;

    for (int i = 0; i < conns; i++) {
        cs[i] = (struct c){ .fd = dial(),
                            .tx = (uint32_t)i + 1,
                            .rx = (uint32_t)i + 1 };
        if (cs[i].fd < 0) {
            fprintf(stderr, "tcpcheck: connect %d: %s\n", i, strerror(errno));
            return 1;
        }
    }
    while (open) {
        for (int i = 0; i < conns; i++)
            p[i] = (struct pollfd){
                .fd = cs[i].fd,
                .events = (short)(POLLIN | (cs[i].sent < bytes ? POLLOUT : 0))
            };
        if (poll(p, (nfds_t)conns, 5000) <= 0 ||
            (now_s() - t0) * 1000 > LIMIT_MS) {
            fprintf(stderr, "tcpcheck: stalled or too slow (%d open)\n", open);
            return 1;
        }
        for (int i = 0; i < conns; i++) {
            if (cs[i].fd < 0 || !p[i].revents)
                continue;
            if (step(&cs[i], p[i].revents, bytes) < 0) {
                bad++;
                open--;
                close(cs[i].fd);
                cs[i].fd = -1;
            } else if (cs[i].got == bytes) {
                open--;
                close(cs[i].fd);
                cs[i].fd = -1;
            }
        }
    }
    t = now_s() - t0;
    printf("tcpcheck: %d connections, %llu bytes each, %d bad, %.2f s, "
           "%.1f Mbit/s each way\n",
           conns, bytes, bad, t, (double)bytes * conns * 8 / t / 1e6);
    return bad ? 1 : 0;
}

/*
 * hold: one connection for secs seconds, 64 bytes every 20 ms, each echo
 * awaited and compared: whatever happens to the server meanwhile (a live
 * migration), the connection must stay and lose nothing. Prints the
 * longest wait for an echo.
 */
static int hold(int secs)
{
    int fd = dial();
    double t0 = now_s(), worst = 0;
    uint32_t tx = 7, rx = 7;
    unsigned long rounds = 0;

    if (fd < 0) {
        fprintf(stderr, "tcpcheck: connect: %s\n", strerror(errno));
        return 1;
    }
    while (now_s() - t0 < secs) {
        unsigned char out[64], in[64];
        double s0 = now_s();
        size_t got = 0;

        for (size_t i = 0; i < sizeof(out); i++)
            out[i] = next(&tx);
        for (;;) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            ssize_t n = send(fd, out, sizeof(out), MSG_NOSIGNAL);

            if (n == (ssize_t)sizeof(out))
                break;
            if (n >= 0 || errno != EAGAIN || poll(&p, 1, 30000) != 1) {
                fprintf(stderr, "tcpcheck: send: %s\n", strerror(errno));
                return 1;
            }
        }
        while (got < sizeof(in)) {
            struct pollfd p = { .fd = fd, .events = POLLIN };
            ssize_t n;

            if (poll(&p, 1, 30000) != 1) {
                fprintf(stderr, "tcpcheck: no echo for 30 s\n");
                return 1;
            }
            n = recv(fd, in + got, sizeof(in) - got, 0);
            if (n <= 0) {
                fprintf(stderr, "tcpcheck: the connection broke: %s\n",
                        n ? strerror(errno) : "closed");
                return 1;
            }
            got += (size_t)n;
        }
        for (size_t i = 0; i < sizeof(in); i++)
            if (in[i] != next(&rx)) {
                fprintf(stderr, "tcpcheck: echo differs\n");
                return 1;
            }
        if (now_s() - s0 > worst)
            worst = now_s() - s0;
        rounds++;
        usleep(20000);
    }
    printf("tcpcheck: held %d s, %lu echoes intact, longest wait %.0f ms\n",
           secs, rounds, worst * 1000);
    close(fd);
    return 0;
}

static int sink(unsigned long long bytes)
{
    unsigned char buf[16384];
    unsigned long long got = 0;
    int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), fd;
    uint32_t st = 1;
    ssize_t n;

    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(l, (struct sockaddr *)&peer, sizeof(peer)) < 0 ||
        listen(l, 1) < 0) {
        fprintf(stderr, "tcpcheck: sink: %s\n", strerror(errno));
        return 2;
    }
    printf("tcpcheck: sink listening\n"); /* the caller waits for it */
    fflush(stdout);
    if ((fd = accept(l, NULL, NULL)) < 0) {
        fprintf(stderr, "tcpcheck: sink: %s\n", strerror(errno));
        return 2;
    }
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != next(&st)) {
                fprintf(stderr, "tcpcheck: byte %llu differs\n",
                        got + (unsigned long long)i);
                return 1;
            }
        got += (unsigned long long)n;
    }
    printf("tcpcheck: %llu of %llu bytes, then %s\n", got, bytes,
           n == 0 ? "EOF" : strerror(errno));
    return got == bytes && n == 0 ? 0 : 1;
}

/* serve: echo until EOF, then say "<eof>" and close (shutdown tests). */
static void echo_eof(int fd)
{
    char buf[4096];
    ssize_t n;

    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
        if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
            return;
    if (n == 0)
        send(fd, "<eof>", 5, MSG_NOSIGNAL);
}

/* serve: connect back to the client's address at the port it sent (two
 * bytes, network order), say hello, then read until EOF. */
static void call_back(int fd)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    unsigned char port[2];
    char buf[256];
    int c;

    if (recv(fd, port, 2, MSG_WAITALL) != 2 ||
        getpeername(fd, (struct sockaddr *)&sin, &len) < 0)
        return;
    memcpy(&sin.sin_port, port, 2);
    if ((c = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        connect(c, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        fprintf(stderr, "tcpcheck: serve: call back: %s\n", strerror(errno));
        return;
    }
    send(c, "hello from the host", 19, MSG_NOSIGNAL);
    while (recv(c, buf, sizeof(buf), 0) > 0)
        ;
    close(c);
}

/*
 * One connection, by the first byte the client sends:
 *   e  echo until EOF, then "<eof>", then close
 *   c  close at once (FIN)        r  reset (RST)
 *   s  read nothing for 20 s (a sink that fills the window)
 *   b  connect back (call_back)
 */
static void serve_conn(int fd)
{
    struct linger lg = { 1, 0 };
    char cmd;

    if (recv(fd, &cmd, 1, 0) != 1)
        return;
    switch (cmd) {
    case 'e': echo_eof(fd); break;
    case 'r': setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)); break;
    case 's': sleep(20); break;
    case 'b': call_back(fd); break;
    }
    close(fd);
}

static int bound(int type, int port)
{
    struct sockaddr_in sin = peer;
    int one = 1, small = 4096, fd = socket(AF_INET, type, 0);

    sin.sin_port = htons((uint16_t)port);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (type == SOCK_STREAM) /* a small window: the sink fills soon */
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        (type == SOCK_STREAM && listen(fd, 16) < 0)) {
        fprintf(stderr, "tcpcheck: serve: %s\n", strerror(errno));
        exit(2);
    }
    return fd;
}

/* TCP connections (a child each) and UDP echo on port, for secs. */
static int serve(int port, int secs)
{
    int t = bound(SOCK_STREAM, port), u = bound(SOCK_DGRAM, port), c;
    struct pollfd p[2] = { { .fd = t, .events = POLLIN },
                           { .fd = u, .events = POLLIN } };
    struct sockaddr_in from;
    socklen_t len;
    char buf[2048];
    ssize_t n;

    signal(SIGCHLD, SIG_IGN);
    alarm((unsigned)secs);
    printf("tcpcheck: serving on port %d\n", port);
    fflush(stdout);
    for (;;) {
        if (poll(p, 2, -1) < 0)
            continue;
        if ((p[0].revents & POLLIN) && (c = accept(t, NULL, NULL)) >= 0) {
            if (fork() == 0) {
                close(t);
                serve_conn(c);
                _exit(0);
            }
            close(c);
        }
        len = sizeof(from);
        if ((p[1].revents & POLLIN) &&
            (n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from,
                          &len)) >= 0)
            sendto(u, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    }
}

/* An IPv6 address (with %IFACE for a link-local one) into target. */
static int ip6(const char *s, const char *port)
{
    struct addrinfo hints = { .ai_family = AF_INET6,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV },
                    *res;

    if (getaddrinfo(s, port, &hints, &res) != 0)
        return -1;
    memcpy(&target, res->ai_addr, res->ai_addrlen);
    target_len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

/* ra IFACE PREFIX: three router advertisements of PREFIX/64 (on-link,
 * autonomous: SLAAC) to all nodes, from IFACE's link-local address. */
static int ra(const char *ifname, const char *prefix)
{
    unsigned char m[48] = { 134, 0, 0, 0, 64, 0, 0, 0 }; /* lifetime 0 */
    struct sockaddr_in6 all = { .sin6_family = AF_INET6 };
    int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), hops = 255;
    unsigned idx = if_nametoindex(ifname);

    /* prefix information: type 3, 4 x 8 bytes, /64, L and A, lifetimes */
    memcpy(m + 16, "\x03\x04\x40\xc0\x00\x01\x51\x80\x00\x00\x38\x40", 12);
    if (fd < 0 || !idx || inet_pton(AF_INET6, prefix, m + 32) != 1 ||
        inet_pton(AF_INET6, "ff02::1", &all.sin6_addr) != 1 ||
        setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) <
            0 ||
        setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx)) <
            0) {
        fprintf(stderr, "tcpcheck: ra: %s\n", strerror(errno));
        return 2;
    }
    all.sin6_scope_id = idx;
    for (int i = 0; i < 3; i++) {
        if (sendto(fd, m, sizeof(m), 0, (struct sockaddr *)&all, sizeof(all)) !=
            (ssize_t)sizeof(m)) {
            fprintf(stderr, "tcpcheck: ra: send: %s\n", strerror(errno));
            return 1;
        }
        usleep(200000);
    }
    printf("tcpcheck: 3 router advertisements of %s/64 on %s\n", prefix,
           ifname);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        usage();
    if (!strcmp(argv[1], "ra") && argc == 4)
        return ra(argv[2], argv[3]);
    peer.sin_family = AF_INET;
    peer.sin_port = htons((uint16_t)atoi(argv[3]));
    if (strchr(argv[2], ':')) {
        if (ip6(argv[2], argv[3]) < 0)
            usage();
    } else if (inet_pton(AF_INET, argv[2], &peer.sin_addr) != 1) {
        usage();
    } else {
        memcpy(&target, &peer, sizeof(peer));
        target_len = sizeof(peer);
    }
    if (!strcmp(argv[1], "refused") && argc == 4) {
        int fd = socket(target.ss_family, SOCK_STREAM, 0);

        if (connect(fd, (struct sockaddr *)&target, target_len) == 0 ||
            errno != ECONNREFUSED) {
            fprintf(stderr, "tcpcheck: not refused: %s\n", strerror(errno));
            return 1;
        }
        printf("tcpcheck: refused\n");
        return 0;
    }
    if (!strcmp(argv[1], "sink") && argc == 5) {
        alarm(LIMIT_MS / 1000);
        return sink(strtoull(argv[4], NULL, 10));
    }
    if (!strcmp(argv[1], "hold") && argc == 5)
        return hold(atoi(argv[4]));
    if (!strcmp(argv[1], "serve") && argc == 5)
        return serve(atoi(argv[3]), atoi(argv[4]));
    if (!strcmp(argv[1], "echo") && argc == 6) {
        int conns = atoi(argv[4]);

        if (conns < 1 || conns > CONNS_MAX)
            usage();
        return echo(conns, strtoull(argv[5], NULL, 10));
    }
    usage();
}
