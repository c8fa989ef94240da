/*
 * The ARP guard: lwIP takes the sender of any ARP packet for the guest as
 * the truth about that address, so one unsolicited reply or request could
 * point the guest's gateway (or any neighbour) at another host. Here the
 * cache learns only from the first reply to a question the guest asked in
 * the last ASK_NS, and from neighbours it already has at the same MAC. A
 * request for the guest's address from anyone else is answered here and teaches
 * lwIP nothing (it asks, when it needs that neighbour). A neighbour that
 * really changed its MAC is reached again when its entry ages out and is
 * asked for (lwIP's ARP_MAXAGE).
 */
#include <string.h>

#include "arp_guard.h"

#define ASK_NS 3000000000ULL

static int is_arp(const uint8_t *f, size_t len)
{
    return len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[14] == 0 &&
           f[15] == 1 && f[16] == 0x08 && f[17] == 0 && f[18] == 6 &&
           f[19] == 4;
}

static uint32_t ip_at(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4); /* network order, as lwIP keeps it */
    return v;
}

void arp_guard_out(struct arp_guard *g, const uint8_t *f, size_t len,
                   uint64_t now_ns)
{
    if (!is_arp(f, len) || f[20] != 0 || f[21] != 1) /* a request */
        return;
    g->asked[g->next] = ip_at(f + 38);
    g->when[g->next] = now_ns;
    g->next = (g->next + 1) % ARP_GUARD_ASKED;
}

/* The first answer to a question asked lately: 1, and the question is
 * answered (a second reply, or a spoofer's after it, is not taken). */
static int answers(struct arp_guard *g, uint32_t ip, uint64_t now)
{
    int hit = 0;

    for (unsigned i = 0; i < ARP_GUARD_ASKED; i++)
        if (g->when[i] && g->asked[i] == ip) {
            hit |= now - g->when[i] < ASK_NS;
            g->when[i] = 0;
        }
    return hit;
}

enum arp_verdict arp_guard_in(struct arp_guard *g, const uint8_t *f, size_t len,
                              uint64_t now_ns, uint32_t self_ip,
                              int (*known)(uint32_t ip, uint8_t mac[6]))
{
    int for_me, op;
    uint8_t mac[6];
    uint32_t sender;

    if (!is_arp(f, len))
        return ARP_TAKE;
    sender = ip_at(f + 28);
    for_me = self_ip && ip_at(f + 38) == self_ip;
    op = f[20] << 8 | f[21];
    if (known(sender, mac) && !memcmp(mac, f + 22, 6))
        return ARP_TAKE;
    if (op == 2 && for_me && answers(g, sender, now_ns))
        return ARP_TAKE;
    if (op == 1 && for_me && sender)
        return ARP_ANSWER;
    return ARP_DROP;
}

void arp_guard_reply(const uint8_t *f, uint32_t self_ip,
                     const uint8_t self_mac[6], uint8_t out[42])
{
    memcpy(out, f + 6, 6); /* to the asker */
    memcpy(out + 6, self_mac, 6);
    memcpy(out + 12, f + 12, 8); /* ARP, Ethernet, IPv4, 6, 4 */
    out[20] = 0, out[21] = 2;    /* a reply */
    memcpy(out + 22, self_mac, 6);
    memcpy(out + 28, &self_ip, 4);
    memcpy(out + 32, f + 22, 10); /* the asker's MAC and address */
}
