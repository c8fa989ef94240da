/* The IPv4 stack's internals, shared by its files and its unit tests. */
#ifndef MOTE_NET_IMPL_H
#define MOTE_NET_IMPL_H

#include <mote/net.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define IP_HLEN 20
#define UDP_HLEN 8
#define ICMP_HLEN 8
#define IP_PROTO_ICMP 1
#define IP_PROTO_UDP 17
#define NET_FRAME_MAX (ETH_HLEN + NET_MTU_MAX)
#define NET_BCAST 0xffffffffu
#define NET_NS 1000000000ull

#define ARP_SLOTS 16
#define ARP_TTL_NS (300 * NET_NS) /* a learned address is kept 5 min */
#define ARP_RETRY_NS NET_NS       /* a request is repeated every second */
#define ARP_TRIES 3               /* then the waiting packet is dropped */

#define UDP_SOCKS 8
#define UDP_QUEUE 32 /* datagrams a socket holds before dropping */

enum arp_state { ARP_FREE, ARP_PENDING, ARP_VALID };

struct arp_entry {
    uint32_t ip;
    uint8_t mac[6];
    uint8_t state;        /* enum arp_state */
    uint8_t tries;        /* requests sent while pending */
    uint64_t when;        /* valid: expiry; pending: time of the next request */
    uint16_t pending_len; /* a frame waiting for the address, or 0 */
    uint8_t pending[NET_FRAME_MAX];
};

struct udp_dgram {
    struct net_addr from;
    uint16_t len;
    uint8_t data[NET_UDP_MAX];
};

struct udp_sock {
    struct net_if *nif;
    uint16_t port; /* 0: free */
    unsigned head, count;
    struct udp_dgram *queue; /* UDP_QUEUE entries */
};

struct net_if {
    const struct net_dev_ops *ops;
    void *ctx;
    uint8_t mac[6];
    uint16_t mtu;
    uint32_t ip, mask, gw;
    uint16_t ip_id;
    unsigned events;   /* datagrams queued since net_poll started */
    unsigned resolved; /* addresses ARP resolved since then */
    int maybe_input;   /* 0: the device said nothing more is waiting */
    struct net_stats stats;
    struct arp_entry arp[ARP_SLOTS];
    struct udp_sock socks[UDP_SOCKS];
    uint8_t rx[NET_FRAME_MAX];
    uint8_t tx[NET_FRAME_MAX];
};

/* Count a dropped frame under one drop_* counter. */
#define NET_DROP(nif, what) ((nif)->stats.what++, (nif)->stats.rx_dropped++)

static inline uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint64_t net_now(const struct net_if *nif)
{
    return nif->ops->now(nif->ctx);
}

/* net_csum.c: the Internet checksum (RFC 1071). */
uint32_t csum_add(uint32_t sum, const void *data, size_t len);
uint16_t csum_fold(uint32_t sum); /* the complemented 16-bit result */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

/* net_eth.c */
extern const uint8_t eth_bcast[6];
int eth_send(struct net_if *nif, const uint8_t *dst, uint16_t type,
             uint8_t *frame, size_t len);

/* net_arp.c */
void arp_input(struct net_if *nif, const uint8_t *p, size_t len);
int arp_output(struct net_if *nif, uint32_t nexthop, size_t len);
struct arp_entry *arp_lookup(struct net_if *nif, uint32_t ip);
int arp_request(struct net_if *nif, uint32_t ip);
uint64_t arp_timers(struct net_if *nif, uint64_t now);

/* net_ipv4.c */
void ip_input(struct net_if *nif, const uint8_t *p, size_t len);
int ip_output(struct net_if *nif, uint32_t dst, uint8_t proto, size_t len);
int ip_on_link(const struct net_if *nif, uint32_t ip);
/* dst's next hop in *hop: 0; 1 for a broadcast; -ENETUNREACH. */
int ip_nexthop(const struct net_if *nif, uint32_t dst, uint32_t *hop);
uint8_t *ip_payload(struct net_if *nif); /* where ip_output expects it */

/* net_icmp.c */
void icmp_input(struct net_if *nif, uint32_t src, const uint8_t *p, size_t len);

/* net_udp.c */
void udp_input(struct net_if *nif, uint32_t src, uint32_t dst, const uint8_t *p,
               size_t len);
void udp_close_all(struct net_if *nif);

/* net_dhcp_msg.c: DHCP messages, pure (RFC 2131/2132). */
#define DHCP_DISCOVER 1
#define DHCP_OFFER 2
#define DHCP_REQUEST 3
#define DHCP_ACK 5
#define DHCP_NAK 6
#define DHCP_MSG_MAX 548 /* what a client must accept */

struct dhcp_msg {
    uint8_t type; /* DHCP_* */
    uint32_t xid;
    uint32_t yiaddr, server_id, mask, router, lease_s;
    uint8_t chaddr[6];
};

size_t dhcp_build(uint8_t *buf, uint8_t type, uint32_t xid,
                  const uint8_t mac[6], uint32_t req_ip, uint32_t server);
int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *m);

#endif
