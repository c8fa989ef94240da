/* TCP bulk transfer, iperf-like: a server and a client in one program,
 * built as a guest and natively, so the same server code runs in the
 * guest and on the host side of the floor.
 *   tcp server PORT [CONNS]     serve one connection at a time (CONNS of
 *                               them, or forever)
 *   tcp send HOST PORT MIB      the client sends MIB MiB to the server
 *   tcp recv HOST PORT MIB      the server sends MIB MiB to the client
 * The client names the direction and size in a 9-byte request ('S' or
 * 'R', then the size, 8 bytes big-endian); after an upload the server
 * answers with the size it received, so the client's clock stops when the
 * last byte is in the server's hands. The client prints mibs (MiB/s),
 * bytes and a checksum (the bytes moved, which both ends count). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "both.h"

#define CHUNK 65536

static unsigned char buf[CHUNK];

static void die(const char *what)
{
    fprintf(stderr, "tcp: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* Exactly N bytes, or die (EOF included). */
static void read_all(int fd, unsigned char *p, size_t n)
{
    while (n) {
        ssize_t r = recv(fd, p, n, 0);

        if (r <= 0) {
            errno = r ? errno : ECONNRESET;
            die("recv");
        }
        p += r;
        n -= (size_t)r;
    }
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

        if (w < 0)
            die("send");
        p += w;
        n -= (size_t)w;
    }
}

/* Send N bytes of buf over and over. */
static void source(int fd, uint64_t n)
{
    while (n) {
        size_t k = n < CHUNK ? (size_t)n : CHUNK;

        write_all(fd, buf, k);
        n -= k;
    }
}

/* Take N bytes, whatever they are; the count is the check. */
static void sink(int fd, uint64_t n)
{
    while (n) {
        ssize_t r = recv(fd, buf, n < CHUNK ? (size_t)n : CHUNK, 0);

        if (r <= 0) {
            errno = r ? errno : ECONNRESET;
            die("recv");
        }
        n -= (uint64_t)r;
    }
}

static void serve_one(int fd)
{
    unsigned char req[9];
    uint64_t n;

    read_all(fd, req, sizeof(req));
    n = get64(req + 1);
    if (req[0] == 'S') {
        sink(fd, n);
        write_all(fd, req + 1, 8);
    } else if (req[0] == 'R') {
        source(fd, n);
    }
}

static int server(long port, long conns)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port) };
    int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);

    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(l, (struct sockaddr *)&sin, sizeof(sin)) || listen(l, 4))
        die("listen");
    printf("tcp: listening on port %ld\n", port);
    fflush(stdout);
    for (long i = 0; !conns || i < conns; i++) {
        int fd = accept(l, NULL, NULL);

        if (fd < 0)
            die("accept");
        serve_one(fd);
        close(fd);
    }
    close(l);
    return 0;
}

static int client(char dir, const char *host, long port, long mib)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port) };
    uint64_t n = (uint64_t)mib << 20, t0, t1;
    unsigned char req[9] = { (unsigned char)dir };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
        fprintf(stderr, "tcp: %s is not an IPv4 address\n", host);
        return 2;
    }
    put64(req + 1, n);
    t0 = now_ns();
    if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
        die("connect");
    write_all(fd, req, sizeof(req));
    if (dir == 'S') {
        source(fd, n);
        read_all(fd, req + 1, 8);
        if (get64(req + 1) != n) {
            fprintf(stderr, "tcp: the server took %llu bytes\n",
                    (unsigned long long)get64(req + 1));
            return 1;
        }
    } else {
        sink(fd, n);
    }
    t1 = now_ns();
    close(fd);
    printf("mibs %.2f\n", (double)mib * 1e9 / (double)(t1 - t0));
    printf("bytes %llu\n", (unsigned long long)n);
    printf("checksum %llu\n", (unsigned long long)n);
    return 0;
}

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)(i * 131 + 7);
    if (argc >= 3 && !strcmp(argv[1], "server"))
        return server(arg_long(argc, argv, 2, 5201, 1),
                      arg_long(argc, argv, 3, 0, 0));
    if (argc == 5 && (!strcmp(argv[1], "send") || !strcmp(argv[1], "recv")))
        return client(argv[1][0] == 's' ? 'S' : 'R', argv[2],
                      arg_long(argc, argv, 3, 5201, 1),
                      arg_long(argc, argv, 4, 64, 1));
    fprintf(stderr, "usage: tcp server PORT [CONNS] | tcp send|recv HOST "
                    "PORT MIB\n");
    return 2;
}
