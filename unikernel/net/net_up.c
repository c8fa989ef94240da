/*
 * Bringing the network up, once, when the program first makes a socket:
 * the device and the addresses come from the environment (mote run --env):
 *   MOTE_IP=A.B.C.D/N or dhcp (the default)   MOTE_GW=A.B.C.D
 *   MOTE_DNS=A.B.C.D[,A.B.C.D]                MOTE_NETDEV=NAME
 *   MOTE_DHCP_TIMEOUT=SECONDS (default 30)
 * A failure is said once on the console and every socket call gets it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/dns.h"
#include <mote/netcfg.h>

#include "../os/os.h"
#include "net_impl.h"

#define DHCP_TIMEOUT_S 30

static int state; /* 0: not tried; 1: up; -errno: failed */

static int fail(int err, const char *what, const char *value)
{
    fprintf(stderr, "mote: net: %s%s%s\n", what, value ? ": " : "",
            value ? value : "");
    return err;
}

/* "A.B.C.D" strictly, as an lwIP address. */
static int quad(const char *s, ip4_addr_t *a)
{
    struct in_addr in;

    if (inet_pton(AF_INET, s, &in) != 1)
        return -EINVAL;
    ip4_addr_set_u32(a, in.s_addr);
    return 0;
}

/* "A.B.C.D/N", N from 1 to 32. */
static int cidr(const char *s, ip4_addr_t *ip, ip4_addr_t *mask)
{
    char buf[16], *end;
    const char *slash = strchr(s, '/');
    unsigned long n;

    if (!slash || (size_t)(slash - s) >= sizeof(buf))
        return -EINVAL;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    n = strtoul(slash + 1, &end, 10);
    if (*end || end == slash + 1 || n < 1 || n > 32 || slash[1] == '0' ||
        quad(buf, ip) < 0)
        return -EINVAL;
    ip4_addr_set_u32(mask, htonl(n == 32 ? 0xffffffffu : ~(0xffffffffu >> n)));
    return 0;
}

static int name_servers(const char *list)
{
    char buf[64], *save, *tok;
    ip_addr_t a;
    int i = 0;

    if (strlen(list) >= sizeof(buf))
        return -EINVAL;
    strcpy(buf, list);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(0, ",", &save)) {
        if (i == DNS_MAX_SERVERS || quad(tok, ip_2_ip4(&a)) < 0)
            return -EINVAL;
        IP_SET_TYPE_VAL(a, IPADDR_TYPE_V4);
        dns_setserver((u8_t)i++, &a);
    }
    return i ? 0 : -EINVAL;
}

/* What makes an address unusable for a host, or NULL: the static path
 * (MOTE_IP) and a DHCP lease are held to the same rules. Network order. */
static const char *unusable(uint32_t ip_n, uint32_t mask_n)
{
    uint32_t ip = ntohl(ip_n), m = ntohl(mask_n), host = ~m;

    if (m == 0 || (host & (host + 1)))
        return "not a contiguous netmask of 1 to 32 bits";
    if ((ip >> 24) == 0)
        return "an address in 0.0.0.0/8";
    if ((ip >> 24) == 127)
        return "a loopback address";
    if (ip >= 0xe0000000u)
        return "a multicast or reserved address";
    if (host > 1 && (ip & host) == host)
        return "its network's broadcast address";
    if (host > 1 && (ip & host) == 0)
        return "its network's own address";
    return NULL;
}

static int check_addr(const char *what, uint32_t ip_n, uint32_t mask_n)
{
    const char *why = unusable(ip_n, mask_n);
    char a[16], m[16], v[40];

    if (!why)
        return 0;
    inet_ntop(AF_INET, &ip_n, a, sizeof(a));
    inet_ntop(AF_INET, &mask_n, m, sizeof(m));
    snprintf(v, sizeof(v), "%s/%s", a, m);
    fprintf(stderr, "mote: net: %s %s: %s\n", what, v, why);
    return -EINVAL;
}

static int dhcp_done(void *arg)
{
    (void)arg;
    return net_if_dhcp_bound();
}

static int dhcp(void)
{
    const char *t = getenv("MOTE_DHCP_TIMEOUT");
    unsigned long secs = DHCP_TIMEOUT_S;
    char *end;

    if (t) {
        secs = strtoul(t, &end, 10);
        if (*end || end == t || secs < 1 || secs > 3600)
            return fail(-EINVAL, "MOTE_DHCP_TIMEOUT is not 1 to 3600", t);
    }
    if (net_if_dhcp_start() < 0)
        return fail(-ENOMEM, "cannot start DHCP", NULL);
    if (net_wait(dhcp_done, NULL, net_deadline(secs * 1000000000ULL)) < 0) {
        fprintf(stderr, "mote: net: no DHCP answer in %lu s\n", secs);
        return -ENETDOWN;
    }
    if (check_addr("the DHCP lease is unusable:", net_if_ip(), net_if_mask()) <
        0) {
        net_if_dhcp_stop();
        return -ENETDOWN;
    }
    return 0;
}

static int bring_up(void)
{
    const char *ip = getenv("MOTE_IP"), *gw = getenv("MOTE_GW");
    const char *dns = getenv("MOTE_DNS");
    ip4_addr_t a, m, g;
    int dyn = !ip || !*ip || !strcmp(ip, "dhcp"), rc;

    ip4_addr_set_zero(&g);
    if (!dyn && cidr(ip, &a, &m) < 0)
        return fail(-EINVAL, "MOTE_IP is not A.B.C.D/N or dhcp", ip);
    if (!dyn &&
        check_addr("MOTE_IP", ip4_addr_get_u32(&a), ip4_addr_get_u32(&m)) < 0)
        return -EINVAL;
    if (gw && *gw && quad(gw, &g) < 0)
        return fail(-EINVAL, "MOTE_GW is not an address", gw);
    if ((rc = net_if_open(getenv("MOTE_NETDEV"))) < 0)
        return fail(rc == -ENODEV ? -ENETDOWN : rc,
                    rc == -ENODEV ? "no such network device (mote run --net)"
                                  : "cannot open the network device",
                    getenv("MOTE_NETDEV"));
    if (dns && *dns && name_servers(dns) < 0)
        return fail(-EINVAL, "MOTE_DNS is not one or two addresses", dns);
    if (dyn) {
        if ((rc = dhcp()) < 0)
            return rc;
    } else {
        net_if_set_addr(&a, &m, &g);
    }
    if (dns && *dns)
        name_servers(dns); /* ours win over the DHCP server's */
    return net_resolv_conf();
}

int net_up(void)
{
    if (!state)
        state = bring_up() < 0 ? -ENETDOWN : 1;
    return state < 0 ? state : 0;
}

int net_is_up(void)
{
    return state == 1;
}

int mote_net_address(char buf[16])
{
    ip4_addr_t a;
    int rc = net_up();

    if (rc < 0)
        return rc;
    ip4_addr_set_u32(&a, net_if_ip());
    ip4addr_ntoa_r(&a, buf, 16);
    return 0;
}

int mote_net_address6(char buf[46])
{
    ip6_addr_t a;
    int rc = net_up();

    if (rc < 0)
        return rc;
    if (net_if_ip6(0, &a) < 0 && net_if_ip6_any(0, &a) < 0)
        return -EADDRNOTAVAIL;
    ip6addr_ntoa_r(&a, buf, 46);
    for (char *c = buf; *c; c++) /* lower case, as RFC 5952 and inet_ntop */
        if (*c >= 'A' && *c <= 'F')
            *c = (char)(*c - 'A' + 'a');
    return 0;
}
