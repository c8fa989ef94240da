/*
 * lwIP's network interface on the mote network device, and the one loop
 * that runs the stack: timers, then received frames, waiting in the
 * monitor for input when there is nothing to do. With MOTE_FEAT_NET_XFER
 * the frames lwIP sends are queued (mote_netdev_queue) and go out with
 * the next receive or wait, one MOTE_HC_NET_XFER for both, which takes up
 * to RX_SLOTS frames at once; without it (an older monitor) each frame
 * is sent at once (MOTE_HC_NET_SEND) and received one a call
 * (MOTE_HC_NET_RECV_WAIT).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <mote.h>
#include <mote/netdev.h>

#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "lwip/ethip6.h"
#include "netif/ethernet.h"

#include "../os/os.h"
#include "arp_guard.h"
#include "dhcp_pace.h"
#include "net_impl.h"

#define FRAME_MAX 1536 /* an Ethernet frame with a 1500-byte packet, VLAN */
#define BATCH_MAX 64   /* frames taken in one run before timers again */
#define RX_SLOTS 32    /* frames one MOTE_HC_NET_XFER may take */
/* A program that always has something ready still lets the stack run
 * this often (poll: net_tick), so input is never starved. */
#define NET_TICK_NS 1000000
/* Without MOTE_FEAT_WAKE_CONSOLE, how long a wait that must also notice
 * console input lasts. */
#define CONSOLE_SLICE_NS 50000000

static struct netif nif;
static uint64_t last_run; /* when net_run last took input */
static struct mote_netdev nd;
static unsigned char rx_frame[FRAME_MAX], tx_frame[FRAME_MAX];
static int batched; /* MOTE_HC_NET_XFER is offered */
/* Its receive slots (.bss: a slot's pages are touched once it is used). */
static unsigned char rx_slot[RX_SLOTS][FRAME_MAX];
static struct mote_net_desc rx_desc[RX_SLOTS];
static struct dhcp_pace pace;
static struct arp_guard guard;

uint32_t sys_now(void)
{
    return (uint32_t)(os_monotonic_ns() / 1000000);
}

uint32_t mote_lwip_rand(void)
{
    uint32_t r = 0;

    if (getrandom(&r, sizeof(r), 0) != sizeof(r))
        r ^= (uint32_t)os_monotonic_ns();
    return r;
}

void mote_lwip_assert(const char *msg, const char *file, int line)
{
    fprintf(stderr, "mote: lwIP: assertion \"%s\" failed at %s:%d\n", msg, file,
            line);
    abort();
}

static err_t link_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    if (p->tot_len > sizeof(tx_frame))
        return ERR_BUF;
    pbuf_copy_partial(p, tx_frame, p->tot_len, 0);
    arp_guard_out(&guard, tx_frame, p->tot_len, os_monotonic_ns());
    if (!dhcp_pace_ok(&pace, tx_frame, p->tot_len, os_monotonic_ns())) {
        LINK_STATS_INC(link.drop); /* lwIP's DHCP timers send it again */
        return ERR_OK;
    }
    if (batched ? mote_netdev_queue(&nd, tx_frame, p->tot_len) < 0
                : mote_netdev_send(&nd, tx_frame, p->tot_len) < 0) {
        LINK_STATS_INC(link.err);
        return ERR_IF;
    }
    LINK_STATS_INC(link.xmit);
    return ERR_OK;
}

static err_t if_init(struct netif *n)
{
    n->name[0] = 'e';
    n->name[1] = 'n';
    n->output = etharp_output;
    n->output_ip6 = ethip6_output;
    n->linkoutput = link_output;
    n->mtu = nd.mtu > 1500 ? 1500 : nd.mtu;
    n->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(n->hwaddr, nd.mac, ETH_HWADDR_LEN);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
               NETIF_FLAG_LINK_UP | NETIF_FLAG_MLD6;
    netif_set_hostname(n, "mote");
    return ERR_OK;
}

int net_if_open(const char *name)
{
    int rc = mote_netdev_open(name, &nd);

    if (rc < 0)
        return rc;
    if (nd.mtu < 576)
        return -EINVAL;
    batched = mote_netdev_can_xfer();
    for (int i = 0; i < RX_SLOTS; i++)
        rx_desc[i] = (struct mote_net_desc){ .buf = (uintptr_t)rx_slot[i],
                                             .len = FRAME_MAX };
    lwip_init();
    if (!netif_add(&nif, NULL, NULL, NULL, NULL, if_init, ethernet_input))
        return -ENOMEM;
    netif_set_default(&nif);
    netif_set_up(&nif);
    /* IPv6: fe80::EUI-64 now (after duplicate detection), global
     * addresses as routers advertise prefixes */
    netif_create_ip6_linklocal_address(&nif, 1);
    nif.ip6_autoconfig_enabled = 1; /* (the macro tests its pointer) */
    return 0;
}

int net_if_has_addr(const ip_addr_t *ip)
{
    if (IP_IS_V6(ip))
        return netif_get_ip6_addr_match(&nif, ip_2_ip6(ip)) >= 0;
    return ip4_addr_cmp(ip_2_ip4(ip), netif_ip4_addr(&nif));
}

int net_if_ip6_any(int i, ip6_addr_t *a)
{
    if (i < 0 || i >= LWIP_IPV6_NUM_ADDRESSES ||
        ip6_addr_isinvalid(netif_ip6_addr_state(&nif, i)))
        return -1;
    ip6_addr_copy(*a, *netif_ip6_addr(&nif, i));
    return 0;
}

int net_if_ip6(int i, ip6_addr_t *a)
{
    if (i < 0 || i >= LWIP_IPV6_NUM_ADDRESSES ||
        !ip6_addr_isvalid(netif_ip6_addr_state(&nif, i)))
        return -1;
    ip6_addr_copy(*a, *netif_ip6_addr(&nif, i));
    return 0;
}

void net_if_set_addr(const ip4_addr_t *ip, const ip4_addr_t *mask,
                     const ip4_addr_t *gw)
{
    netif_set_addr(&nif, ip, mask, gw);
}

int net_if_dhcp_start(void)
{
    return dhcp_start(&nif) == ERR_OK ? 0 : -ENOMEM;
}

int net_if_dhcp_bound(void)
{
    return dhcp_supplied_address(&nif);
}

void net_if_dhcp_stop(void)
{
    dhcp_release_and_stop(&nif);
}

uint32_t net_if_mask(void)
{
    return ip4_addr_get_u32(netif_ip4_netmask(&nif));
}

uint32_t net_if_ip(void)
{
    return ip4_addr_get_u32(netif_ip4_addr(&nif));
}

/* The MAC lwIP's ARP cache has for ip (a stable entry): 1, or 0. */
static int cached(uint32_t ip, uint8_t mac[6])
{
    struct eth_addr *e;
    const ip4_addr_t *found;
    ip4_addr_t a;

    ip4_addr_set_u32(&a, ip);
    if (etharp_find_addr(&nif, &a, &e, &found) < 0)
        return 0;
    memcpy(mac, e->addr, 6);
    return 1;
}

/* A request for the guest's address, answered without teaching lwIP's
 * cache anything (arp_guard.c). */
static void answer_arp(const void *frame)
{
    static uint8_t reply[60];

    arp_guard_reply(frame, ip4_addr_get_u32(netif_ip4_addr(&nif)), nif.hwaddr,
                    reply);
    if (batched ? mote_netdev_queue(&nd, reply, sizeof(reply)) < 0
                : mote_netdev_send(&nd, reply, sizeof(reply)) < 0)
        LINK_STATS_INC(link.err);
}

/* Hand one received frame to lwIP (which owns it from then on). */
static void input(const void *frame, size_t len)
{
    struct pbuf *p;

    switch (arp_guard_in(&guard, frame, len, os_monotonic_ns(),
                         ip4_addr_get_u32(netif_ip4_addr(&nif)), cached)) {
    case ARP_TAKE: break;
    case ARP_ANSWER: answer_arp(frame); return;
    default: LINK_STATS_INC(link.drop); return; /* nobody asked */
    }
    p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (!p) {
        LINK_STATS_INC(link.memerr);
        return;
    }
    pbuf_take(p, frame, (u16_t)len);
    LINK_STATS_INC(link.recv);
    if (nif.input(p, &nif) != ERR_OK)
        pbuf_free(p);
}

/* After a restore or a migration: tell the link where the guest is now
 * (switches and the neighbours' ARP caches learn it from a gratuitous
 * ARP). */
static void announce(void)
{
    mote_moved = 0;
    if (netif_is_up(&nif) && !ip4_addr_isany_val(*netif_ip4_addr(&nif)))
        etharp_gratuitous(&nif);
}

/* The older monitor's way: one frame a call (sends went out at once). */
static void take_one_by_one(uint64_t wait, unsigned flags)
{
    int more = 0;
    long n;

    for (int i = 0; i < BATCH_MAX; i++) {
        n = mote_netdev_recv_wake(&nd, rx_frame, sizeof(rx_frame), i ? 0 : wait,
                                  flags, &more, NULL);
        if (n == -EAGAIN)
            break;
        if (n >= 14)
            input(rx_frame, (size_t)n);
        /* shorter frames and errors (a frame too large) are dropped */
        if (n >= 0 && !more)
            break;
    }
}

/* MOTE_HC_NET_XFER: the queued frames out, RX_SLOTS frames in, waiting
 * for the first; again (without waiting, with the replies lwIP queued
 * meanwhile) while more wait, up to BATCH_MAX frames. */
static void take_batches(uint64_t wait, unsigned flags)
{
    int more = 0;
    long n;

    for (int got = 0; got < BATCH_MAX; got += RX_SLOTS) {
        n = mote_netdev_xfer(&nd, rx_desc, RX_SLOTS, got ? 0 : wait, flags,
                             &more, NULL);
        for (long i = 0; i < n && i < RX_SLOTS; i++)
            if (rx_desc[i].ret >= 14)
                input(rx_slot[i], (size_t)rx_desc[i].ret);
        /* shorter frames and errors (a frame too large) are dropped */
        if (n <= 0 || !more)
            break;
    }
}

void net_run(uint64_t timeout_ns)
{
    net_run_wake(timeout_ns, 0);
}

void net_run_wake(uint64_t timeout_ns, int console)
{
    uint32_t sleep_ms;
    uint64_t wait = timeout_ns;
    unsigned flags = 0;

    if (console) {
        if (mote_bootinfo()->features & MOTE_FEAT_WAKE_CONSOLE)
            flags = MOTE_NET_WAKE_CONSOLE;
        else if (wait > CONSOLE_SLICE_NS) /* an older monitor: look often */
            wait = CONSOLE_SLICE_NS;
    }
    if (mote_moved)
        announce();
    sys_check_timeouts();
    last_run = os_monotonic_ns();
    sleep_ms = sys_timeouts_sleeptime();
    if (sleep_ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE &&
        (uint64_t)sleep_ms * 1000000 < wait)
        wait = (uint64_t)sleep_ms * 1000000;
    if (batched)
        take_batches(wait, flags);
    else
        take_one_by_one(wait, flags);
    if (mote_moved) /* the wait reported it */
        announce();
    sys_check_timeouts();
}

uint64_t net_deadline(uint64_t timeout_ns)
{
    uint64_t now = os_monotonic_ns();

    if (timeout_ns == 0 || timeout_ns == NET_FOREVER)
        return timeout_ns;
    return timeout_ns > NET_FOREVER - now ? NET_FOREVER : now + timeout_ns;
}

void net_release(void)
{
    if (batched)
        mote_netdev_flush(); /* (no exit when nothing is queued) */
}

/* net_wait's loop; net_wait releases what the stack queued on the way out
 * when it ran. */
static int wait_loop(int (*ready)(void *arg), void *arg, uint64_t deadline_ns,
                     int *ran)
{
    uint64_t now;

    for (;;) {
        if (ready(arg))
            return 0;
        now = os_monotonic_ns();
        if (deadline_ns != NET_FOREVER && now >= deadline_ns) {
            if (*ran) /* a call that does not wait still takes the input */
                return -EAGAIN;
            net_run(0);
        } else {
            net_run(deadline_ns == NET_FOREVER ? NET_FOREVER
                                               : deadline_ns - now);
        }
        *ran = 1;
        if (os_signal_poll()) /* a handler ran: the call is interrupted */
            return -EINTR;
    }
}

int net_wait(int (*ready)(void *arg), void *arg, uint64_t deadline_ns)
{
    int ran = 0, rc = wait_loop(ready, arg, deadline_ns, &ran);

    if (ran)
        net_release();
    return rc;
}

int net_idle(uint64_t deadline_ns)
{
    uint64_t now;
    int rc = 1;

    if (!net_is_up())
        return 0;
    while ((now = os_monotonic_ns()) < deadline_ns) {
        net_run(deadline_ns - now);
        if (os_signal_poll()) {
            rc = -EINTR;
            break;
        }
    }
    net_release();
    return rc;
}

void net_tick(void)
{
    if (net_is_up() && os_monotonic_ns() - last_run > NET_TICK_NS) {
        net_run(0);
        net_release();
    }
}
