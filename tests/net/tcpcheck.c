/* tcpcheck: the host-side TCP client of the network tests (static).
 *
 *   tcpcheck echo IP PORT CONNS BYTES   CONNS connections at once, each
 *                                       sending BYTES (its own pattern)
 *                                       and reading them all back, checked
 *   tcpcheck refused IP PORT            a connection is refused (RST)
 *   tcpcheck sink IP PORT BYTES         listen on IP:PORT for one
 *                                       connection; it must bring BYTES
 *                                       of the pattern (seed 1), then EOF
 *
 * Everything within 120 s. Prints problems and one closing line; exits 1
 * on a mismatch, loss or time-out, 2 on bad usage or a setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
    fprintf(stderr, "usage: tcpcheck echo IP PORT CONNS BYTES | refused IP "
                    "PORT | sink IP PORT BYTES\n");
    exit(2);
}

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0 || connect(fd, (struct sockaddr *)&peer, sizeof(peer)) < 0)
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

static int sink(unsigned long long bytes)
{
    unsigned char buf[16384];
    unsigned long long got = 0;
    int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), fd;
    uint32_t st = 1;
    ssize_t n;

    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(l, (struct sockaddr *)&peer, sizeof(peer)) < 0 ||
        listen(l, 1) < 0 || (fd = accept(l, NULL, NULL)) < 0) {
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

int main(int argc, char **argv)
{
    if (argc < 4)
        usage();
    peer.sin_family = AF_INET;
    peer.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &peer.sin_addr) != 1)
        usage();
    if (!strcmp(argv[1], "refused") && argc == 4) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);

        if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)) == 0 ||
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
    if (!strcmp(argv[1], "echo") && argc == 6) {
        int conns = atoi(argv[4]);

        if (conns < 1 || conns > CONNS_MAX)
            usage();
        return echo(conns, strtoull(argv[5], NULL, 10));
    }
    usage();
}
