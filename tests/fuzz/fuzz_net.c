/*
 * Fuzz target: the guest's network input. lwIP's core (as the guest builds
 * it, our lwipopts.h) with our netif and run loop (unikernel/net/net_if.c)
 * and our TCP and UDP sockets (sock.c, sock_tcp.c, sock_udp.c), on a fake
 * device and clock: a listening TCP socket and a UDP socket on port 7 of
 * 10.0.0.2/24 (MAC 02:00:00:00:00:02) take hostile frames.
 *
 * Input: one flags byte, then records of [length u16 BE][op u8][bytes]:
 *   op & 3 == 0  a frame, received through net_run() like the device's
 *   op & 3 == 1  (op >> 2) * 100 ms pass (timers run), then the program
 *                accepts, reads and echoes what it can (TCP and UDP)
 *   op & 3 == 2  the program acts on accepted connection bytes[0] % 8:
 *                op bit 2 close, bit 3 shut down writing, bit 4 send the
 *                bytes, bit 5 shut down reading
 *   op & 3 == 3  the program connects out to 10.0.0.1, port bytes[0..1]
 *                (SYN_SENT), or sends a datagram there with op bit 2
 * Flags: bit 0 the device refuses every 5th frame sent.
 * Invariants: lwIP never asserts; sockets keep their bounds; after every
 * input and a teardown, every pool and the heap are empty again.
 * getrandom() is ours (zeros): sequence numbers a seed can predict.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lwip/etharp.h"
#include "lwip/memp.h"
#include "lwip/nd6.h"
#include "lwip/priv/nd6_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"

#include <mote/abi.h>
#include <mote/netdev.h>

#include "../os/os.h"
#include "fuzz.h"
#include "net_impl.h"
#include "sock.h"

#define CONN_MAX 8
#define QUEUE_MAX 64

/* The fake device and clock. */
static uint64_t clock_ns = 1000000000;
static const uint8_t *queue[QUEUE_MAX];
static size_t queue_len[QUEUE_MAX], q_head, q_n;
static unsigned sends, refuse;

/* The flag a restore sets (unikernel/lib): set by the fuzzer's "moved"
 * action is not needed; a gratuitous ARP is one more output. */
volatile int mote_moved;

/* No stop request ever reaches the fuzzed stack. */
int os_signal_poll(void)
{
    return 0;
}

uint64_t os_monotonic_ns(void)
{
    return clock_ns;
}

ssize_t getrandom(void *buf, size_t len, unsigned flags)
{
    (void)flags;
    memset(buf, 0, len);
    return (ssize_t)len;
}

int mote_netdev_open(const char *name, struct mote_netdev *nd)
{
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 2 };

    (void)name;
    nd->dev = 0;
    nd->mtu = 1500;
    memcpy(nd->mac, mac, 6);
    return 0;
}

int mote_netdev_send(const struct mote_netdev *nd, const void *frame,
                     size_t len)
{
    uint8_t *copy = malloc(len); /* ASan: the frame is len bytes */

    FUZZ_CHECK(copy && len >= 14 && len <= 14 + (size_t)nd->mtu);
    memcpy(copy, frame, len);
    FUZZ_CHECK(memcmp(copy + 6, nd->mac, 6) == 0);
    free(copy);
    return refuse && ++sends % 5 == 0 ? -EAGAIN : 0;
}

long mote_netdev_recv_wake(const struct mote_netdev *nd, void *buf, size_t cap,
                           uint64_t timeout_ns, unsigned flags, int *more,
                           uint64_t *ready)
{
    size_t n;

    (void)nd;
    (void)flags;
    *more = 0;
    if (ready)
        *ready = 0;
    if (!q_n) {
        clock_ns += timeout_ns == NET_FOREVER ? 1000000000 : timeout_ns;
        return -EAGAIN;
    }
    n = queue_len[q_head];
    if (n > cap)
        n = cap; /* the device would refuse it; a cut frame is as hostile */
    memcpy(buf, queue[q_head], n);
    q_head = (q_head + 1) % QUEUE_MAX;
    *more = --q_n > 0;
    return (long)n;
}

/* MOTE_HC_NET_XFER's side (the boot info offers it: MOTE_FEATURES), the
 * path a current monitor takes: the same checks on every frame sent, and
 * up to nrx queued frames a call. */
int mote_netdev_can_xfer(void)
{
    return 1;
}

int mote_netdev_queue(const struct mote_netdev *nd, const void *frame,
                      size_t len)
{
    int rc = mote_netdev_send(nd, frame, len);

    return rc == -EAGAIN ? 0 : rc; /* (dropped later, as the monitor's) */
}

uint64_t mote_netdev_flush(void)
{
    return 0;
}

long mote_netdev_xfer(const struct mote_netdev *nd, struct mote_net_desc *rx,
                      unsigned nrx, uint64_t timeout_ns, unsigned flags,
                      int *more, uint64_t *ready)
{
    long i;
    int m;

    for (i = 0; i < (long)nrx && q_n; i++)
        rx[i].ret = mote_netdev_recv_wake(nd, (void *)(uintptr_t)rx[i].buf,
                                          rx[i].len, 0, flags, &m, NULL);
    if (i == 0) /* nothing: the clock moves on as a wait would */
        mote_netdev_recv_wake(nd, NULL, 0, timeout_ns, flags, &m, NULL);
    *more = q_n > 0;
    if (ready)
        *ready = 0;
    return i;
}

/* The rest of the libOS the socket calls refer to: no descriptors here. */
int net_is_up(void)
{
    return 1;
}

const struct mote_bootinfo *mote_bootinfo(void)
{
    static const struct mote_bootinfo bi = { .features = MOTE_FEATURES };

    return &bi;
}

void net_exit(void)
{
}

int net_up(void)
{
    return 0;
}

int fd_install(struct file *f, int min)
{
    (void)f, (void)min;
    return -EMFILE;
}

struct file *fd_get(int fd)
{
    (void)fd;
    return NULL;
}

/* What the pools hold between inputs (lwIP's own DNS socket, timers). */
static u16_t base_memp[MEMP_MAX];
static mem_size_t base_mem;

/* The program: a listener, a UDP socket, what it accepted. */
static struct sock *lis, *usock, *conns[CONN_MAX], *out;

static void check_sock(const struct sock *s)
{
    FUZZ_CHECK(s->r_len <= TCP_WND && s->r_head < TCP_WND);
    FUZZ_CHECK(s->dq_len <= SOCK_DGRAM_MAX && s->dq_bytes <= SOCK_DGRAM_BYTES);
    FUZZ_CHECK(s->aq_len <= s->backlog || s->state != SS_LISTEN);
}

static void check_all(void)
{
    check_sock(lis);
    check_sock(usock);
    for (int i = 0; i < CONN_MAX; i++)
        if (conns[i])
            check_sock(conns[i]);
    FUZZ_CHECK(lwip_stats.mem.used <= MEM_SIZE);
}

static void frame(const uint8_t *p, size_t n)
{
    if (q_n == QUEUE_MAX)
        net_run(0);
    queue[(q_head + q_n) % QUEUE_MAX] = p;
    queue_len[(q_head + q_n) % QUEUE_MAX] = n;
    q_n++;
    net_run(0);
}

static void serve(void)
{
    static char buf[4096];
    struct sock *c;
    ip_addr_t from;
    uint16_t port;
    long n;

    while (tcp_sock_accept(lis, 0, &c) == 0) {
        int i = 0;

        while (i < CONN_MAX && conns[i])
            i++;
        if (i == CONN_MAX)
            sock_free(c);
        else
            conns[i] = c;
    }
    for (int i = 0; i < CONN_MAX; i++) {
        if (!conns[i])
            continue;
        n = tcp_sock_recv(conns[i], buf, sizeof(buf), 0, 0);
        FUZZ_CHECK(n <= (long)sizeof(buf));
        if (n > 0)
            tcp_sock_send(conns[i], buf, (size_t)n, 0);
        else if (n == 0 || (n < 0 && n != -EAGAIN)) {
            sock_free(conns[i]);
            conns[i] = NULL;
        }
    }
    while ((n = udp_sock_recv(usock, buf, sizeof(buf), 0, 0, &from, &port)) >=
           0)
        udp_sock_send(usock, buf, (size_t)n, &from, port);
}

static void act(unsigned op, const uint8_t *p, size_t n)
{
    struct sock **c = n ? &conns[p[0] % CONN_MAX] : NULL;

    if (!c || !*c)
        return;
    if (op & 8)
        tcp_sock_shutdown(*c, 0, 1);
    if (op & 32)
        tcp_sock_shutdown(*c, 1, 0);
    if (op & 16)
        tcp_sock_send(*c, p + 1, n - 1, 0);
    if (op & 4) {
        sock_free(*c);
        *c = NULL;
    }
}

static void dial(unsigned op, const uint8_t *p, size_t n)
{
    ip_addr_t to = IPADDR4_INIT_BYTES(10, 0, 0, 1);
    uint16_t port = n >= 2 ? (uint16_t)(p[0] << 8 | p[1]) : 80;

    if (op & 4) {
        udp_sock_send(usock, p, n, &to, port);
        return;
    }
    if (out)
        sock_free(out);
    out = sock_new(AF_INET, SOCK_STREAM);
    FUZZ_CHECK(out && tcp_sock_open(out) == 0);
    tcp_sock_connect(out, &to, port, 0);
}

static void setup(void)
{
    static int done;
    ip4_addr_t ip, mask, gw;

    if (!done) {
        FUZZ_CHECK(net_if_open(NULL) == 0);
        IP4_ADDR(&ip, 10, 0, 0, 2);
        IP4_ADDR(&mask, 255, 255, 255, 0);
        IP4_ADDR(&gw, 10, 0, 0, 1);
        net_if_set_addr(&ip, &mask, &gw);
        for (int i = 0; i < MEMP_MAX; i++)
            base_memp[i] = lwip_stats.memp[i]->used;
        base_mem = lwip_stats.mem.used;
        done = 1;
    }
    lis = sock_new(AF_INET6, SOCK_STREAM); /* IPv4 and IPv6 */
    usock = sock_new(AF_INET6, SOCK_DGRAM);
    FUZZ_CHECK(lis && usock && tcp_sock_open(lis) == 0 &&
               udp_sock_open(usock) == 0);
    FUZZ_CHECK(tcp_sock_bind(lis, IP4_ADDR_ANY, 7) == 0 &&
               tcp_sock_listen(lis, 4) == 0);
    FUZZ_CHECK(udp_sock_bind(usock, IP4_ADDR_ANY, 7) == 0);
}

/* Are lwIP's heap and pools back where they started? (Addresses a router
 * advertisement gave stay, with their multicast groups: the interface is
 * not reset between inputs.) */
static int pools_back(void)
{
    if (lwip_stats.mem.used != base_mem)
        return 0;
    for (int i = 0; i < MEMP_MAX; i++)
        if (i != MEMP_SYS_TIMEOUT && i != MEMP_MLD6_GROUP &&
            lwip_stats.memp[i]->used != base_memp[i])
            return 0;
    return 1;
}

/* Would the rest of ten minutes (left seconds) still change anything:
 * something held in a pool (a reassembly, a queued frame), an ARP entry to
 * age out (at most ARP_MAXAGE), or a router, prefix or address whose
 * lifetime ends within them? */
static int flush_left(unsigned left)
{
    ip4_addr_t *ip;
    struct netif *nif;
    struct eth_addr *mac;

    if (!pools_back())
        return 1;
    for (size_t i = 0; i < ARP_TABLE_SIZE; i++)
        if (etharp_get_entry(i, &ip, &nif, &mac))
            return 1;
    for (int i = 0; i < LWIP_ND6_NUM_ROUTERS; i++)
        if (default_router_list[i].neighbor_entry &&
            default_router_list[i].invalidation_timer <= left)
            return 1;
    for (int i = 0; i < LWIP_ND6_NUM_PREFIXES; i++)
        if (prefix_list[i].netif && prefix_list[i].invalidation_timer <= left)
            return 1;
    for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
        u32_t life = netif_ip6_addr_valid_life(netif_default, i);

        if (ip6_addr_isvalid(netif_ip6_addr_state(netif_default, i)) &&
            !ip6_addr_life_isstatic(life) && life <= left)
            return 1;
    }
    return 0;
}

/* Ten minutes of lwIP's timers, a second at a time, for what an input
 * left to expire: reassembly (IPv6's 60 s the longest), pending ARP
 * entries and their queues, neighbour probes, then stable ARP entries
 * (ARP_MAXAGE) and lifetimes. The first minute always runs, the rest only
 * while flush_left finds something left: a leak still gets all ten minutes
 * before the check fails. (Every 1 s timer fires as often as it did in
 * 250 ms steps; the faster ones, TCP's with no connection left, MLD's and
 * DHCP's fine timer, once a second instead of up to four times.) */
static void flush(void)
{
    for (unsigned s = 0; s < 10 * 60; s++) {
        if (s >= 60 && !flush_left(10 * 60 - s))
            break;
        clock_ns += 1000000000;
        sys_check_timeouts();
    }
}

/* Close everything, let lwIP's timers flush what is left (reassembly,
 * ARP, TIME_WAIT), and check every pool is empty again. */
static void teardown(void)
{
    for (int i = 0; i < CONN_MAX; i++) {
        sock_free(conns[i]);
        conns[i] = NULL;
    }
    sock_free(out);
    sock_free(lis);
    sock_free(usock);
    out = lis = usock = NULL;
    q_n = 0;
    while (tcp_active_pcbs) {
        tcp_err(tcp_active_pcbs, NULL);
        tcp_abort(tcp_active_pcbs);
    }
    while (tcp_tw_pcbs)
        tcp_abort(tcp_tw_pcbs);
    flush();
    FUZZ_CHECK(!tcp_bound_pcbs && !tcp_listen_pcbs.pcbs && !tcp_active_pcbs);
    FUZZ_CHECK(pools_back());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t at = 1;

    if (size < 1)
        return 0;
    refuse = data[0] & 1;
    sends = 0;
    setup();
    while (at + 3 <= size) {
        size_t n = (size_t)data[at] << 8 | data[at + 1];
        unsigned op = data[at + 2];
        const uint8_t *p = data + at + 3;

        if (n > size - at - 3)
            n = size - at - 3;
        at += 3 + n;
        switch (op & 3) {
        case 0: frame(p, n); break;
        case 1: net_idle(os_monotonic_ns() + (op >> 2) * 100000000ull); break;
        case 2: act(op, p, n); break;
        default: dial(op, p, n);
        }
        serve();
        check_all();
    }
    teardown();
    return 0;
}
