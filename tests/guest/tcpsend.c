/*
 * Connects to a host, sends BYTES of tcpcheck's pattern (seed 1) and
 * returns from main at once, without close(): what it wrote must still
 * reach the host (the libOS closes and flushes sockets at exit).
 *   tcpsend.elf -- ip=10.0.0.2/24 to=10.0.0.1:9000 bytes=N
 */
#include <arpa/inet.h>
#include <errno.h>
#include <mote/netcfg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *arg(int argc, char **argv, const char *key)
{
    size_t k = strlen(key);

    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, k) && argv[i][k] == '=')
            return argv[i] + k + 1;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *to = arg(argc, argv, "to"), *b = arg(argc, argv, "bytes");
    struct sockaddr_in sin = { .sin_family = AF_INET };
    unsigned long left = b ? strtoul(b, NULL, 10) : 0;
    static unsigned char buf[8192];
    char ip[16];
    uint32_t st = 1;
    int fd;

    if (!to || sscanf(to, "%15[0-9.]:%hu", ip, &sin.sin_port) != 2 ||
        inet_pton(AF_INET, ip, &sin.sin_addr) != 1) {
        fprintf(stderr, "tcpsend: to=A.B.C.D:PORT is needed\n");
        return 2;
    }
    sin.sin_port = htons(sin.sin_port);
    mote_net_args(argc, argv);
    if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        fprintf(stderr, "tcpsend: connect: %s\n", strerror(errno));
        return 1;
    }
    while (left) {
        size_t n = left < sizeof(buf) ? left : sizeof(buf);

        for (size_t i = 0; i < n; i++) {
            st = st * 1103515245u + 12345u;
            buf[i] = (unsigned char)(st >> 16);
        }
        if (send(fd, buf, n, 0) != (ssize_t)n) {
            fprintf(stderr, "tcpsend: send: %s\n", strerror(errno));
            return 1;
        }
        left -= n;
    }
    printf("tcpsend: sent, exiting without close\n");
    return 0;
}
