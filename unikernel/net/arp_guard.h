/* The guest's ARP guard (arp_guard.c): no unsolicited ARP re-points a
 * neighbour the guest knows, its gateway first. */
#ifndef MOTE_NET_ARP_GUARD_H
#define MOTE_NET_ARP_GUARD_H

#include <stddef.h>
#include <stdint.h>

#define ARP_GUARD_ASKED 8

struct arp_guard {
    uint32_t asked[ARP_GUARD_ASKED]; /* addresses the guest asked for */
    uint64_t when[ARP_GUARD_ASKED];  /* and when */
    unsigned next;
};

/* A frame the guest sends: an ARP request's target is remembered. */
void arp_guard_out(struct arp_guard *g, const uint8_t *f, size_t len,
                   uint64_t now_ns);

enum arp_verdict {
    ARP_DROP,   /* an ARP packet nobody asked for */
    ARP_TAKE,   /* not ARP; or from a neighbour the cache has at that MAC;
                   or the first reply to a question the guest asked lately
                   (the question is then answered) */
    ARP_ANSWER, /* a request for self_ip from a neighbour the cache does
                   not have at that MAC: answer it, learn nothing */
};

/* What to do with a frame that came in. known() finds an address in the
 * cache and gives its MAC; self_ip is the guest's (network order). */
enum arp_verdict arp_guard_in(struct arp_guard *g, const uint8_t *f, size_t len,
                              uint64_t now_ns, uint32_t self_ip,
                              int (*known)(uint32_t ip, uint8_t mac[6]));

/* The reply to the request f for self_ip from self_mac, into out[42]. */
void arp_guard_reply(const uint8_t *f, uint32_t self_ip,
                     const uint8_t self_mac[6], uint8_t out[42]);

#endif
