/*
 * udp-echo: answers ping and echoes UDP datagrams on one port.
 *   mote run --net eth0=tap0 udp-echo.elf -- ip=10.0.0.2/24 port=7
 * Without ip= it asks DHCP for an address. count=N exits after N echoes.
 */
#include <mote/net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int echo(struct udp_sock *s, unsigned long count)
{
    static uint8_t buf[NET_UDP_MAX];
    struct net_addr from;
    long n;
    int rc;

    for (unsigned long done = 0; !count || done < count; done++) {
        n = udp_recvfrom(s, buf, sizeof(buf), &from, NET_FOREVER);
        if (n < 0)
            return (int)n;
        if ((rc = udp_sendto(s, buf, (size_t)n, &from)) < 0)
            fprintf(stderr, "udp-echo: send: %s\n", strerror(-rc));
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long port = arg_num(argc, argv, "port", 7, 65535);
    unsigned long count = arg_num(argc, argv, "count", 0, 1UL << 40);
    struct net_config cfg;
    struct net_if *nif;
    struct udp_sock *s;
    char ip[16];
    int rc;

    if (port == 0 || port > 65535 || count > 1UL << 40) {
        fprintf(stderr, "udp-echo: bad port= or count=\n");
        return 2;
    }
    if ((rc = net_setup(argc, argv, &nif, &cfg)) < 0) {
        fprintf(stderr, "udp-echo: network: %s%s%s\n", strerror(-rc),
                cfg.bad ? ": " : "", cfg.bad ? cfg.bad : "");
        return 1;
    }
    if ((rc = udp_bind(nif, (uint16_t)port, &s)) < 0) {
        fprintf(stderr, "udp-echo: bind: %s\n", strerror(-rc));
        return 1;
    }
    printf("udp-echo: listening on %s port %lu\n",
           net_ip_str(net_if_ip(nif), ip), port);
    if ((rc = echo(s, count)) < 0) {
        fprintf(stderr, "udp-echo: receive: %s\n", strerror(-rc));
        return 1;
    }
    printf("udp-echo: %lu datagrams echoed, %llu frames dropped\n", count,
           (unsigned long long)net_if_stats(nif)->rx_dropped);
    return 0;
}
