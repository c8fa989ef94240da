/*
 * udp-echo: answers ping and echoes UDP datagrams on one port, with the
 * BSD socket calls any Unix program uses.
 *   mote run --net eth0=tap0 udp-echo.elf -- ip=10.0.0.2/24 port=7
 * Without ip= it asks DHCP for an address. count=N exits after N echoes.
 */
#include <errno.h>
#include <mote/netcfg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static unsigned long arg_num(int argc, char **argv, const char *key,
                             unsigned long def, unsigned long max)
{
    size_t k = strlen(key);
    unsigned long v;
    char *end;

    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], key, k) || argv[i][k] != '=')
            continue;
        v = strtoul(argv[i] + k + 1, &end, 10);
        if (*end || end == argv[i] + k + 1 || v > max)
            return max + 1;
        return v;
    }
    return def;
}

static int echo(int fd, unsigned long count)
{
    static char buf[65536];
    struct sockaddr_in from;
    socklen_t len;
    ssize_t n;

    for (unsigned long done = 0; !count || done < count; done++) {
        len = sizeof(from);
        n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        if (n < 0)
            return -1;
        if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) < 0)
            fprintf(stderr, "udp-echo: send: %s\n", strerror(errno));
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long port = arg_num(argc, argv, "port", 7, 65535);
    unsigned long count = arg_num(argc, argv, "count", 0, 1UL << 40);
    struct sockaddr_in sin = { .sin_family = AF_INET };
    char ip[16];
    int fd;

    if (port == 0 || port > 65535 || count > 1UL << 40) {
        fprintf(stderr, "udp-echo: bad port= or count=\n");
        return 2;
    }
    mote_net_args(argc, argv);
    sin.sin_port = htons((uint16_t)port);
    if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        fprintf(stderr, "udp-echo: network: %s\n", strerror(errno));
        return 1;
    }
    if (mote_net_address(ip) < 0)
        return 1;
    printf("udp-echo: listening on %s port %lu\n", ip, port);
    fflush(stdout);
    if (echo(fd, count) < 0) {
        fprintf(stderr, "udp-echo: receive: %s\n", strerror(errno));
        return 1;
    }
    printf("udp-echo: %lu datagrams echoed\n", count);
    return 0;
}
