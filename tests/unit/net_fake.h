/* Unit tests of the IP stack: a fake device, a fake clock, frame makers. */
#ifndef NET_FAKE_H
#define NET_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "net_impl.h"

#define FAKE_FRAMES 64

struct fake_dev {
    uint64_t now;   /* the fake monotonic clock, ns */
    unsigned waits; /* calls of wait(), or waits inside recv_wait() */
    unsigned recvs; /* calls of recv() and recv_wait() */
    int send_rc;    /* what send() returns */
    unsigned nsent;
    size_t sent_len[FAKE_FRAMES];
    uint8_t sent[FAKE_FRAMES][NET_FRAME_MAX];
    unsigned rx_head, rx_count;
    size_t rx_len[FAKE_FRAMES];
    uint8_t rx[FAKE_FRAMES][NET_FRAME_MAX + 64];
    /* called by wait(): may queue frames; by default time just passes */
    void (*on_wait)(struct fake_dev *d, uint64_t timeout_ns);
    void (*on_send)(struct fake_dev *d, const uint8_t *f, size_t len);
    void *user;
};

extern const struct net_dev_ops fake_ops;
extern const struct net_dev_ops fake_ops_rw; /* with recv_wait() */
extern const uint8_t our_mac[6], peer_mac[6], gw_mac[6];
#define OUR_IP NET_IP4(10, 0, 0, 2)
#define PEER_IP NET_IP4(10, 0, 0, 1)
#define GW_IP NET_IP4(10, 0, 0, 254)
#define MASK24 NET_IP4(255, 255, 255, 0)

/* A stack over d with 10.0.0.2/24, gateway 10.0.0.254. */
struct net_if *fake_if(struct fake_dev *d);
struct net_if *fake_if_rw(struct fake_dev *d); /* over fake_ops_rw */
void fake_queue(struct fake_dev *d, const void *frame, size_t len);

/* Frame makers: return the frame's length. */
size_t mk_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
              uint16_t type);
size_t mk_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
             const void *payload, size_t len);
size_t mk_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
              uint16_t dport, const void *data, size_t len);
size_t mk_ping(uint8_t *f, uint32_t src, uint32_t dst, uint16_t id,
               uint16_t seq, const void *data, size_t len);
size_t mk_arp(uint8_t *f, uint16_t op, const uint8_t *sha, uint32_t spa,
              const uint8_t *tha, uint32_t tpa);
void ip_fix_csum(uint8_t *f); /* recompute the IP header checksum */

#endif
