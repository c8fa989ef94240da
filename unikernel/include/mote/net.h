/*
 * libOS: a small IPv4 stack (ARP, ICMP echo, UDP, DHCP client) over one
 * network device. It runs in the guest's single thread: nothing happens
 * in the background; the stack processes input while the application
 * waits in net_poll(), udp_recvfrom() or net_dhcp().
 *
 * Addresses and ports are in host byte order. Functions return 0 (or a
 * count) on success and a negative errno on failure.
 */
#ifndef MOTE_NET_H
#define MOTE_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_MTU_MAX 1500 /* larger device MTUs are used up to this */
#define NET_UDP_MAX (NET_MTU_MAX - 28) /* largest UDP payload */
#define NET_IP4(a, b, c, d)                                                    \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |          \
     (uint32_t)(d))

/* What the stack did with the frames it saw. Read with net_if_stats(). */
struct net_stats {
    uint64_t rx_frames;  /* frames received */
    uint64_t rx_dropped; /* the sum of every drop_* below */
    uint64_t rx_udp;     /* datagrams queued for the application */
    uint64_t tx_frames;  /* frames sent */
    uint64_t tx_errors;  /* sends the device refused */
    uint64_t drop_eth_short, drop_eth_dst, drop_eth_type;
    uint64_t drop_arp_bad;
    uint64_t drop_ip_short, drop_ip_version, drop_ip_ihl, drop_ip_len;
    uint64_t drop_ip_csum, drop_ip_frag, drop_ip_src, drop_ip_dst;
    uint64_t drop_ip_proto;
    uint64_t drop_icmp_short, drop_icmp_csum, drop_icmp_type;
    uint64_t drop_udp_short, drop_udp_len, drop_udp_csum, drop_udp_port;
    uint64_t drop_udp_full;
    uint64_t drop_oversize;  /* frames the device had no room for */
    uint64_t arp_requests;   /* requests we sent */
    uint64_t arp_replies;    /* replies we sent to requests for our IP */
    uint64_t arp_unresolved; /* packets dropped: no ARP reply in time */
    uint64_t icmp_echo_replies;
};

/*
 * The device under the stack. send: one frame, 0 or -errno. recv: one
 * frame without blocking, its length, -EAGAIN or -errno. wait: block
 * until input may be there or timeout_ns passed. now: monotonic ns.
 * recv_wait (optional, may be NULL): recv, or when nothing is there wait
 * up to timeout_ns and then recv, in one step; sets *more when another
 * frame is already waiting. With it the stack needs no separate wait and
 * no empty receive to learn that the device is drained.
 */
struct net_dev_ops {
    int (*send)(void *ctx, const void *frame, size_t len);
    long (*recv)(void *ctx, void *buf, size_t cap);
    void (*wait)(void *ctx, uint64_t timeout_ns);
    uint64_t (*now)(void *ctx);
    long (*recv_wait)(void *ctx, void *buf, size_t cap, uint64_t timeout_ns,
                      int *more);
};

struct net_if;
struct udp_sock;

struct net_addr {
    uint32_t ip;
    uint16_t port;
};

/* Addressing from the guest's arguments (see net_config_parse). */
struct net_config {
    uint32_t ip, mask, gw; /* static address; gw 0: none */
    int dhcp;              /* 1: no ip= given, or ip=dhcp */
    const char *dev;       /* netdev=NAME, or NULL: the first device */
    const char *bad;       /* on -EINVAL: the argument that was wrong */
};

/*
 * Read "ip=A.B.C.D/N", "ip=dhcp", "gw=A.B.C.D" and "netdev=NAME" from
 * argv[1..argc-1]; other arguments are left for the application. Returns
 * 0, or -EINVAL with cfg->bad pointing at the offending argument.
 */
int net_config_parse(int argc, char **argv, struct net_config *cfg);

/* Strict dotted quad ("10.0.0.2"): 0 or -EINVAL. */
int net_parse_ip4(const char *s, uint32_t *ip);
/* "A.B.C.D/N" (N from 1 to 32): 0 or -EINVAL. */
int net_parse_cidr(const char *s, uint32_t *ip, uint32_t *mask);
/* "A.B.C.D:PORT" (port 1 to 65535): 0 or -EINVAL. */
int net_parse_addr(const char *s, struct net_addr *a);
/* Format ip as a dotted quad into buf (at least 16 bytes); returns buf. */
char *net_ip_str(uint32_t ip, char *buf);

/* A stack over a device; NULL if out of memory. */
struct net_if *net_if_new(const struct net_dev_ops *ops, void *ctx,
                          const uint8_t mac[6], unsigned mtu);
void net_if_free(struct net_if *nif);
void net_if_set_addr(struct net_if *nif, uint32_t ip, uint32_t mask,
                     uint32_t gw);
uint32_t net_if_ip(const struct net_if *nif);
const struct net_stats *net_if_stats(const struct net_if *nif);

/* Process one received frame (normally done by net_poll). */
void net_input(struct net_if *nif, const void *frame, size_t len);

/*
 * Process input and timers until a datagram for the application arrived
 * or an address was resolved (returns 1) or timeout_ns passed (returns
 * 0); sleeps in the device's wait, never spins. A device failure is
 * returned as -errno.
 */
int net_poll(struct net_if *nif, uint64_t timeout_ns);

/* Wait forever (as a timeout). */
#define NET_FOREVER UINT64_MAX

/*
 * Learn the link address of dst's next hop (dst, or the gateway), asking
 * with ARP and waiting up to timeout_ns: 0, -EHOSTUNREACH, -ENETUNREACH.
 * Sending works without it (a packet waits for ARP), but only one packet
 * per destination waits: a sender of a stream resolves first.
 */
int net_resolve(struct net_if *nif, uint32_t dst, uint64_t timeout_ns);

/*
 * DHCP: discover, request, configure the interface. Retries with growing
 * timeouts until timeout_ns passes: 0, -ETIMEDOUT or -errno.
 */
int net_dhcp(struct net_if *nif, uint64_t timeout_ns);

/* UDP sockets. udp_bind: -EADDRINUSE, -ENOBUFS (no free socket). */
int udp_bind(struct net_if *nif, uint16_t port, struct udp_sock **out);
void udp_close(struct udp_sock *s);

/*
 * Take the next datagram for s, waiting up to timeout_ns (0: do not
 * wait). Returns its length (truncated to cap), -EAGAIN on timeout.
 */
long udp_recvfrom(struct udp_sock *s, void *buf, size_t cap,
                  struct net_addr *from, uint64_t timeout_ns);

/*
 * Send a datagram from s's port. 0 once sent or queued behind an ARP
 * request; -EMSGSIZE, -ENETUNREACH (no route), or the device's error.
 */
int udp_sendto(struct udp_sock *s, const void *buf, size_t len,
               const struct net_addr *to);

/*
 * In a guest: open the network device (name, NULL: the first) with the
 * stack over the hypercalls.
 */
int net_open(const char *name, struct net_if **out);

/*
 * In a guest: parse the arguments (net_config_parse), open the device and
 * configure it statically or by DHCP (up to 30 s). Prints nothing.
 */
int net_setup(int argc, char **argv, struct net_if **out,
              struct net_config *cfg);

#endif
