/* ARP (RFC 826): a small cache, requests, replies, waiting packets. */
#include <string.h>

#include "net_impl.h"

#define ARP_LEN 28
#define ARP_REQUEST 1
#define ARP_REPLY 2

struct arp_entry *arp_lookup(struct net_if *nif, uint32_t ip)
{
    for (unsigned i = 0; i < ARP_SLOTS; i++)
        if (nif->arp[i].state != ARP_FREE && nif->arp[i].ip == ip)
            return &nif->arp[i];
    return NULL;
}

/* A free slot, else the one closest to expiry (its packet is lost). */
static struct arp_entry *arp_slot(struct net_if *nif)
{
    struct arp_entry *old = &nif->arp[0];

    for (unsigned i = 0; i < ARP_SLOTS; i++) {
        if (nif->arp[i].state == ARP_FREE)
            return &nif->arp[i];
        if (nif->arp[i].when < old->when)
            old = &nif->arp[i];
    }
    if (old->pending_len)
        nif->stats.arp_unresolved++;
    old->pending_len = 0;
    return old;
}

static void arp_send(struct net_if *nif, uint16_t op, const uint8_t *tha,
                     uint32_t tpa)
{
    uint8_t f[ETH_HLEN + ARP_LEN];
    uint8_t *p = f + ETH_HLEN;

    put16(p, 1);
    put16(p + 2, ETH_P_IP);
    p[4] = 6;
    p[5] = 4;
    put16(p + 6, op);
    memcpy(p + 8, nif->mac, 6);
    put32(p + 14, nif->ip);
    memcpy(p + 18, op == ARP_REQUEST ? (const uint8_t *)"\0\0\0\0\0\0" : tha,
           6);
    put32(p + 24, tpa);
    eth_send(nif, op == ARP_REQUEST ? eth_bcast : tha, ETH_P_ARP, f, ARP_LEN);
}

/* Record ip at mac and send the packet that waited for it. */
static void arp_learn(struct net_if *nif, struct arp_entry *e, uint32_t ip,
                      const uint8_t *mac)
{
    if (e->state == ARP_PENDING)
        nif->resolved++;
    e->ip = ip;
    memcpy(e->mac, mac, 6);
    e->state = ARP_VALID;
    e->when = net_now(nif) + ARP_TTL_NS;
    if (e->pending_len) {
        size_t len = e->pending_len - ETH_HLEN;

        e->pending_len = 0;
        eth_send(nif, mac, ETH_P_IP, e->pending, len);
    }
}

/* A sender worth caching: a unicast MAC and an address on our link. */
static int sender_ok(const struct net_if *nif, uint32_t spa, const uint8_t *sha)
{
    return spa != 0 && spa != nif->ip && !(sha[0] & 1) && ip_on_link(nif, spa);
}

void arp_input(struct net_if *nif, const uint8_t *p, size_t len)
{
    uint32_t spa, tpa;
    struct arp_entry *e;
    int for_us;
    uint16_t op;

    if (len < ARP_LEN || get16(p) != 1 || get16(p + 2) != ETH_P_IP ||
        p[4] != 6 || p[5] != 4) {
        NET_DROP(nif, drop_arp_bad);
        return;
    }
    op = get16(p + 6);
    spa = get32(p + 14);
    tpa = get32(p + 24);
    if (op != ARP_REQUEST && op != ARP_REPLY) {
        NET_DROP(nif, drop_arp_bad);
        return;
    }
    for_us = nif->ip != 0 && tpa == nif->ip;
    if (sender_ok(nif, spa, p + 8)) {
        /* RFC 826: update a known sender; add it if it asked for us. */
        if ((e = arp_lookup(nif, spa)))
            arp_learn(nif, e, spa, p + 8);
        else if (for_us)
            arp_learn(nif, arp_slot(nif), spa, p + 8);
    }
    if (for_us && op == ARP_REQUEST && !(p[8] & 1)) {
        arp_send(nif, ARP_REPLY, p + 8, spa);
        nif->stats.arp_replies++;
    }
}

/*
 * Send the IP packet in nif->tx (len bytes after the Ethernet header) to
 * nexthop, or keep it until nexthop's address is known.
 */
int arp_output(struct net_if *nif, uint32_t nexthop, size_t len)
{
    struct arp_entry *e = arp_lookup(nif, nexthop);

    if (e && e->state == ARP_VALID)
        return eth_send(nif, e->mac, ETH_P_IP, nif->tx, len);
    if (!e) {
        arp_request(nif, nexthop);
        e = arp_lookup(nif, nexthop);
    } else if (e->pending_len) {
        nif->stats.arp_unresolved++; /* the newer packet replaces it */
    }
    memcpy(e->pending, nif->tx, ETH_HLEN + len);
    e->pending_len = (uint16_t)(ETH_HLEN + len);
    return 0;
}

/* 1 if ip's address is known; else ask for it (once) and return 0. */
int arp_request(struct net_if *nif, uint32_t ip)
{
    struct arp_entry *e = arp_lookup(nif, ip);

    if (e)
        return e->state == ARP_VALID;
    e = arp_slot(nif);
    e->ip = ip;
    e->state = ARP_PENDING;
    e->tries = 1;
    e->when = net_now(nif) + ARP_RETRY_NS;
    nif->stats.arp_requests++;
    arp_send(nif, ARP_REQUEST, NULL, ip);
    return 0;
}

/* Expire entries, repeat requests; returns when to call again. */
uint64_t arp_timers(struct net_if *nif, uint64_t now)
{
    uint64_t next = UINT64_MAX;

    for (unsigned i = 0; i < ARP_SLOTS; i++) {
        struct arp_entry *e = &nif->arp[i];

        if (e->state == ARP_FREE)
            continue;
        if (e->when <= now && e->state == ARP_PENDING && e->tries < ARP_TRIES) {
            e->tries++;
            e->when = now + ARP_RETRY_NS;
            nif->stats.arp_requests++;
            arp_send(nif, ARP_REQUEST, NULL, e->ip);
        } else if (e->when <= now) {
            if (e->pending_len)
                nif->stats.arp_unresolved++;
            e->pending_len = 0;
            e->state = ARP_FREE;
            continue;
        }
        if (e->when < next)
            next = e->when;
    }
    return next;
}
