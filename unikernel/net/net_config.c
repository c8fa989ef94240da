/* Addressing from the guest's arguments: ip=, gw=, netdev=. */
#include <errno.h>
#include <string.h>

#include "net_impl.h"

/* One decimal octet: 1 to 3 digits, no leading zero, at most 255. */
static const char *octet(const char *s, uint32_t *v)
{
    const char *start = s;
    unsigned n = 0;

    while (*s >= '0' && *s <= '9' && s - start < 4)
        n = n * 10 + (unsigned)(*s++ - '0');
    if (s == start || s - start > 3 || n > 255 ||
        (*start == '0' && s - start > 1))
        return NULL;
    *v = n;
    return s;
}

/* Parse a dotted quad at s; returns the end or NULL. */
static const char *quad(const char *s, uint32_t *ip)
{
    uint32_t v = 0, o;

    for (int i = 0; i < 4; i++) {
        if (i && *s++ != '.')
            return NULL;
        if (!(s = octet(s, &o)))
            return NULL;
        v = v << 8 | o;
    }
    *ip = v;
    return s;
}

int net_parse_ip4(const char *s, uint32_t *ip)
{
    const char *e = quad(s, ip);

    return e && *e == '\0' ? 0 : -EINVAL;
}

/* A decimal number from lo to hi, the whole of s. */
static int number(const char *s, unsigned lo, unsigned hi, unsigned *v)
{
    unsigned n = 0;

    if (!*s || (*s == '0' && s[1]))
        return -EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > hi)
            return -EINVAL;
        n = n * 10 + (unsigned)(*s - '0');
    }
    if (n < lo || n > hi)
        return -EINVAL;
    *v = n;
    return 0;
}

int net_parse_cidr(const char *s, uint32_t *ip, uint32_t *mask)
{
    const char *e = quad(s, ip);
    unsigned bits;

    if (!e || *e != '/' || number(e + 1, 1, 32, &bits) < 0)
        return -EINVAL;
    *mask = bits == 32 ? NET_BCAST : ~(NET_BCAST >> bits);
    return 0;
}

int net_parse_addr(const char *s, struct net_addr *a)
{
    const char *e = quad(s, &a->ip);
    unsigned port;

    if (!e || *e != ':' || number(e + 1, 1, 65535, &port) < 0)
        return -EINVAL;
    a->port = (uint16_t)port;
    return 0;
}

char *net_ip_str(uint32_t ip, char *buf)
{
    char *p = buf;

    for (int i = 3; i >= 0; i--) {
        unsigned o = ip >> (i * 8) & 0xff;

        if (o >= 100)
            *p++ = (char)('0' + o / 100);
        if (o >= 10)
            *p++ = (char)('0' + o / 10 % 10);
        *p++ = (char)('0' + o % 10);
        if (i)
            *p++ = '.';
    }
    *p = '\0';
    return buf;
}

/* A usable host address: not 0, multicast, class E or a broadcast. */
static int host_ok(uint32_t ip, uint32_t mask)
{
    if (ip == 0 || ip >> 28 >= 0xe || (ip >> 24) == 127)
        return 0;
    if (mask >= 0xfffffffe) /* /31 and /32 have no network or broadcast */
        return 1;
    return (ip & ~mask) != 0 && (ip & ~mask) != ~mask;
}

static int gw_ok(const struct net_config *c)
{
    if (c->dhcp)
        return c->gw == 0; /* DHCP gives the router */
    return c->gw == 0 || (c->gw != c->ip && !((c->gw ^ c->ip) & c->mask) &&
                          host_ok(c->gw, c->mask));
}

static int one(struct net_config *c, const char *a)
{
    if (!strncmp(a, "ip=", 3)) {
        c->dhcp = !strcmp(a + 3, "dhcp");
        return c->dhcp ? 0 : net_parse_cidr(a + 3, &c->ip, &c->mask);
    }
    if (!strncmp(a, "gw=", 3))
        return net_parse_ip4(a + 3, &c->gw);
    if (!strncmp(a, "netdev=", 7)) {
        c->dev = a + 7;
        return *c->dev ? 0 : -EINVAL;
    }
    return 0;
}

int net_config_parse(int argc, char **argv, struct net_config *cfg)
{
    const char *ip_arg = NULL, *gw_arg = NULL;

    memset(cfg, 0, sizeof(*cfg));
    cfg->dhcp = 1;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "ip=", 3))
            ip_arg = argv[i];
        if (!strncmp(argv[i], "gw=", 3))
            gw_arg = argv[i];
        if (one(cfg, argv[i]) < 0) {
            cfg->bad = argv[i];
            return -EINVAL;
        }
    }
    if (!cfg->dhcp && !host_ok(cfg->ip, cfg->mask))
        cfg->bad = ip_arg;
    else if (!gw_ok(cfg))
        cfg->bad = gw_arg;
    return cfg->bad ? -EINVAL : 0;
}
