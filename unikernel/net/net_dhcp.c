/* DHCP client: discover, offer, request, ack; retries with backoff. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_impl.h"

#define DHCP_CLIENT 68
#define DHCP_SERVER 67
#define DHCP_WAIT_MAX (8 * NET_NS) /* the longest wait for one round */

static int dhcp_send(struct udp_sock *s, uint8_t type, uint32_t xid,
                     uint32_t req_ip, uint32_t server)
{
    uint8_t buf[DHCP_MSG_MAX];
    struct net_addr to = { NET_BCAST, DHCP_SERVER };
    size_t n = dhcp_build(buf, type, xid, s->nif->mac, req_ip, server);
    int rc = udp_sendto(s, buf, n, &to);

    return rc == -EAGAIN ? 0 : rc; /* a lost send is a lost packet */
}

/* The next reply to xid for our MAC before end; -ETIMEDOUT if none. */
static int dhcp_wait(struct udp_sock *s, uint32_t xid, uint64_t end,
                     struct dhcp_msg *m)
{
    static uint8_t buf[NET_UDP_MAX];
    uint64_t now;
    long n;

    while ((now = net_now(s->nif)) < end) {
        n = udp_recvfrom(s, buf, sizeof(buf), NULL, end - now);
        if (n == -EAGAIN)
            break;
        if (n < 0)
            return (int)n;
        if (dhcp_parse(buf, (size_t)n, m) == 0 && m->xid == xid &&
            !memcmp(m->chaddr, s->nif->mac, 6))
            return 0;
    }
    return -ETIMEDOUT;
}

/* An offered address we can use: a unicast host address. */
static int offer_ok(const struct dhcp_msg *m)
{
    return m->type == DHCP_OFFER && m->yiaddr && m->server_id &&
           m->yiaddr >> 28 < 0xe && m->yiaddr != NET_BCAST;
}

/* One exchange; 0 with the ACK in *m, -EAGAIN on NAK, or -errno. */
static int dhcp_round(struct udp_sock *s, uint32_t xid, uint64_t end,
                      struct dhcp_msg *m)
{
    uint32_t ip, server;
    int rc;

    if ((rc = dhcp_send(s, DHCP_DISCOVER, xid, 0, 0)) < 0)
        return rc;
    do
        if ((rc = dhcp_wait(s, xid, end, m)) < 0)
            return rc;
    while (!offer_ok(m));
    ip = m->yiaddr;
    server = m->server_id;
    if ((rc = dhcp_send(s, DHCP_REQUEST, xid, ip, server)) < 0)
        return rc;
    for (;;) {
        if ((rc = dhcp_wait(s, xid, end, m)) < 0)
            return rc;
        if (m->server_id != server)
            continue;
        if (m->type == DHCP_NAK)
            return -EAGAIN;
        if (m->type == DHCP_ACK && m->yiaddr == ip)
            return 0;
    }
}

static void dhcp_configure(struct net_if *nif, const struct dhcp_msg *m)
{
    uint32_t mask = m->mask ? m->mask : NET_IP4(255, 255, 255, 0);
    uint32_t gw = m->router;

    if (gw && ((gw ^ m->yiaddr) & mask))
        gw = 0; /* a router off our subnet cannot be reached */
    net_if_set_addr(nif, m->yiaddr, mask, gw);
}

int net_dhcp(struct net_if *nif, uint64_t timeout_ns)
{
    uint64_t now = net_now(nif), wait = NET_NS, end;
    uint32_t xid = (uint32_t)rand() ^ get32(nif->mac + 2);
    struct udp_sock *s;
    struct dhcp_msg m;
    int rc;

    end = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
    net_if_set_addr(nif, 0, 0, 0);
    if ((rc = udp_bind(nif, DHCP_CLIENT, &s)) < 0)
        return rc;
    for (rc = -ETIMEDOUT; now < end; now = net_now(nif), xid++) {
        rc = dhcp_round(s, xid, end - now > wait ? now + wait : end, &m);
        if (rc == 0) {
            dhcp_configure(nif, &m);
            break;
        }
        if (rc != -ETIMEDOUT && rc != -EAGAIN)
            break;
        rc = -ETIMEDOUT;
        wait = wait * 2 < DHCP_WAIT_MAX ? wait * 2 : DHCP_WAIT_MAX;
    }
    udp_close(s);
    return rc;
}
