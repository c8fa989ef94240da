/* The stack's interface object and its poll loop. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_impl.h"

#define WAIT_MAX_NS (3600 * NET_NS) /* longest single wait */

struct net_if *net_if_new(const struct net_dev_ops *ops, void *ctx,
                          const uint8_t mac[6], unsigned mtu)
{
    struct net_if *nif;

    if (mtu && mtu < 68) /* IPv4's minimum: below it header sizes wrap */
        return NULL;
    if (!(nif = calloc(1, sizeof(*nif))))
        return NULL;
    nif->ops = ops;
    nif->ctx = ctx;
    memcpy(nif->mac, mac, 6);
    nif->mtu = (uint16_t)(mtu && mtu < NET_MTU_MAX ? mtu : NET_MTU_MAX);
    return nif;
}

void net_if_free(struct net_if *nif)
{
    if (!nif)
        return;
    udp_close_all(nif);
    free(nif);
}

void net_if_set_addr(struct net_if *nif, uint32_t ip, uint32_t mask,
                     uint32_t gw)
{
    nif->ip = ip;
    nif->mask = mask;
    nif->gw = gw;
}

uint32_t net_if_ip(const struct net_if *nif)
{
    return nif->ip;
}

const struct net_stats *net_if_stats(const struct net_if *nif)
{
    return &nif->stats;
}

/* Feed every waiting frame to the stack. 0 or the device's -errno. */
static int drain(struct net_if *nif)
{
    for (;;) {
        long n = nif->ops->recv(nif->ctx, nif->rx, sizeof(nif->rx));

        if (n == -EAGAIN)
            return 0;
        if (n == -EMSGSIZE) {
            nif->stats.rx_frames++;
            NET_DROP(nif, drop_oversize);
            continue;
        }
        if (n < 0)
            return (int)n;
        net_input(nif, nif->rx, (size_t)n);
    }
}

static uint64_t deadline_of(uint64_t now, uint64_t timeout_ns)
{
    return timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
}

int net_poll(struct net_if *nif, uint64_t timeout_ns)
{
    uint64_t now = net_now(nif), end = deadline_of(now, timeout_ns);
    uint64_t next;
    int rc;

    nif->events = nif->resolved = 0;
    for (;;) {
        if ((rc = drain(nif)) < 0)
            return rc;
        now = net_now(nif);
        next = arp_timers(nif, now);
        if (nif->events || nif->resolved)
            return 1;
        if (now >= end)
            return 0;
        next = next < end ? next : end;
        next = next > now ? next - now : 0;
        nif->ops->wait(nif->ctx, next < WAIT_MAX_NS ? next : WAIT_MAX_NS);
    }
}
