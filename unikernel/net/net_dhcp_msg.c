/* DHCP messages (RFC 2131, 2132): building requests, parsing replies. */
#include <errno.h>
#include <string.h>

#include "net_impl.h"

#define BOOTREQUEST 1
#define BOOTREPLY 2
#define DHCP_FIXED 236 /* op .. file */
#define DHCP_MAGIC 0x63825363
#define DHCP_MIN_SEND 300 /* BOOTP's minimum; some servers want it */
#define DHCP_FLAG_BROADCAST 0x8000

#define OPT_PAD 0
#define OPT_MASK 1
#define OPT_ROUTER 3
#define OPT_REQ_IP 50
#define OPT_LEASE 51
#define OPT_TYPE 53
#define OPT_SERVER 54
#define OPT_PARAMS 55
#define OPT_END 255

static uint8_t *opt32(uint8_t *o, uint8_t code, uint32_t v)
{
    o[0] = code;
    o[1] = 4;
    put32(o + 2, v);
    return o + 6;
}

/*
 * A DISCOVER (req_ip 0) or REQUEST into buf (at least DHCP_MSG_MAX
 * bytes); returns its length. The broadcast flag asks the server to
 * answer to the broadcast address, as we have no address yet.
 */
size_t dhcp_build(uint8_t *buf, uint8_t type, uint32_t xid,
                  const uint8_t mac[6], uint32_t req_ip, uint32_t server)
{
    static const uint8_t params[] = { OPT_PARAMS, 3, OPT_MASK, OPT_ROUTER,
                                      OPT_LEASE };
    uint8_t *o = buf + DHCP_FIXED + 4;

    memset(buf, 0, DHCP_MIN_SEND);
    buf[0] = BOOTREQUEST;
    buf[1] = 1; /* Ethernet */
    buf[2] = 6;
    put32(buf + 4, xid);
    put16(buf + 10, DHCP_FLAG_BROADCAST);
    memcpy(buf + 28, mac, 6);
    put32(buf + DHCP_FIXED, DHCP_MAGIC);
    *o++ = OPT_TYPE;
    *o++ = 1;
    *o++ = type;
    if (req_ip)
        o = opt32(o, OPT_REQ_IP, req_ip);
    if (server)
        o = opt32(o, OPT_SERVER, server);
    memcpy(o, params, sizeof(params));
    o += sizeof(params);
    *o++ = OPT_END;
    return (size_t)(o - buf) < DHCP_MIN_SEND ? DHCP_MIN_SEND
                                             : (size_t)(o - buf);
}

/* One option: exact lengths where the RFC fixes them. */
static int option(struct dhcp_msg *m, uint8_t code, const uint8_t *v,
                  size_t len)
{
    switch (code) {
    case OPT_TYPE:
        if (len != 1)
            return -EINVAL;
        m->type = v[0];
        return 0;
    case OPT_MASK:
    case OPT_LEASE:
    case OPT_SERVER:
        if (len != 4)
            return -EINVAL;
        *(code == OPT_MASK    ? &m->mask
          : code == OPT_LEASE ? &m->lease_s
                              : &m->server_id) = get32(v);
        return 0;
    case OPT_ROUTER:
        if (len < 4 || len % 4)
            return -EINVAL;
        m->router = get32(v); /* the first is preferred */
        return 0;
    default: return 0;
    }
}

static int options(struct dhcp_msg *m, const uint8_t *p, size_t len)
{
    size_t i = DHCP_FIXED + 4;

    while (i < len) {
        uint8_t code = p[i++], olen;

        if (code == OPT_PAD)
            continue;
        if (code == OPT_END)
            return 0;
        if (i >= len)
            return -EINVAL;
        olen = p[i++];
        if (olen > len - i || option(m, code, p + i, olen) < 0)
            return -EINVAL;
        i += olen;
    }
    return -EINVAL; /* no end option */
}

/* Parse a server's reply; -EINVAL if anything is out of place. */
int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *m)
{
    memset(m, 0, sizeof(*m));
    if (len < DHCP_FIXED + 4 || p[0] != BOOTREPLY || p[1] != 1 || p[2] != 6 ||
        get32(p + DHCP_FIXED) != DHCP_MAGIC)
        return -EINVAL;
    m->xid = get32(p + 4);
    m->yiaddr = get32(p + 16);
    memcpy(m->chaddr, p + 28, 6);
    if (options(m, p, len) < 0 || m->type == 0)
        return -EINVAL;
    return 0;
}
