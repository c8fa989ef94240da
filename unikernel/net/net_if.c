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
    /* a recv_wait device is asked before the first wait anyway */
    nif->maybe_input = !ops->recv_wait;
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

/* Give the frame just received (n bytes, or the device's -errno) to the
 * stack. 0, or the -errno of a device failure. */
static int take(struct net_if *nif, long n)
{
    if (n == -EMSGSIZE) {
        nif->stats.rx_frames++;
        NET_DROP(nif, drop_oversize);
        return 0;
    }
    if (n < 0)
        return (int)n;
    net_input(nif, nif->rx, (size_t)n);
    return 0;
}

/* One frame without waiting; a recv_wait device also says if more wait. */
static long recv_one(struct net_if *nif)
{
    int more = 1;
    long n;

    if (!nif->ops->recv_wait)
        return nif->ops->recv(nif->ctx, nif->rx, sizeof(nif->rx));
    n = nif->ops->recv_wait(nif->ctx, nif->rx, sizeof(nif->rx), 0, &more);
    nif->maybe_input = n >= 0 ? more : 1;
    return n;
}

/* Feed every waiting frame to the stack. 0 or the device's -errno. */
static int drain(struct net_if *nif)
{
    while (nif->maybe_input) {
        long n = recv_one(nif);
        int rc;

        if (n == -EAGAIN) {
            nif->maybe_input = 0;
            return 0;
        }
        if ((rc = take(nif, n)) < 0)
            return rc;
    }
    return 0;
}

/* Wait up to ns for input; a recv_wait device hands over a frame too. */
static int wait_input(struct net_if *nif, uint64_t ns)
{
    int more = 0;
    long n;

    if (!nif->ops->recv_wait) {
        nif->ops->wait(nif->ctx, ns);
        nif->maybe_input = 1;
        return 0;
    }
    n = nif->ops->recv_wait(nif->ctx, nif->rx, sizeof(nif->rx), ns, &more);
    if (n == -EAGAIN) {
        nif->maybe_input = 0;
        return 0;
    }
    nif->maybe_input = n >= 0 ? more : 1;
    return take(nif, n);
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
    /* A recv_wait device is asked before any wait anyway; others, and a
     * poll that will not wait, must look at the device first. */
    if (!nif->ops->recv_wait || timeout_ns == 0)
        nif->maybe_input = 1;
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
        rc = wait_input(nif, next < WAIT_MAX_NS ? next : WAIT_MAX_NS);
        if (rc < 0)
            return rc;
    }
}
