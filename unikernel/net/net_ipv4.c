/* IPv4: header checks on input, routing and headers on output. */
#include <errno.h>

#include "net_impl.h"

#define IP_DF 0x4000
#define IP_FRAG_MASK 0x3fff /* MF and the fragment offset */
#define IP_TTL 64

int ip_on_link(const struct net_if *nif, uint32_t ip)
{
    return nif->ip != 0 && ((ip ^ nif->ip) & nif->mask) == 0;
}

/* The limited broadcast or our subnet's directed broadcast. */
static int ip_is_bcast(const struct net_if *nif, uint32_t ip)
{
    return ip == NET_BCAST || (nif->mask != NET_BCAST && ip_on_link(nif, ip) &&
                               (ip & ~nif->mask) == ~nif->mask);
}

static int ip_is_multicast(uint32_t ip)
{
    return (ip >> 28) == 0xe;
}

/* Is a packet to dst ours? While unconfigured (DHCP), any UDP is. */
static int ip_dst_ok(const struct net_if *nif, uint32_t dst, uint8_t proto)
{
    if (nif->ip == 0)
        return proto == IP_PROTO_UDP && !ip_is_multicast(dst);
    return dst == nif->ip || ip_is_bcast(nif, dst);
}

/* Checks in the order of RFC 1122 3.2.1; counts the first that fails. */
static int ip_check(struct net_if *nif, const uint8_t *p, size_t len,
                    size_t *hlen, size_t *tot)
{
    if (len < IP_HLEN)
        return NET_DROP(nif, drop_ip_short), -1;
    if (p[0] >> 4 != 4)
        return NET_DROP(nif, drop_ip_version), -1;
    *hlen = (size_t)(p[0] & 0xf) * 4;
    if (*hlen < IP_HLEN || *hlen > len)
        return NET_DROP(nif, drop_ip_ihl), -1;
    *tot = get16(p + 2);
    if (*tot < *hlen || *tot > len)
        return NET_DROP(nif, drop_ip_len), -1;
    if (csum_fold(csum_add(0, p, *hlen)) != 0)
        return NET_DROP(nif, drop_ip_csum), -1;
    if (get16(p + 6) & IP_FRAG_MASK)
        return NET_DROP(nif, drop_ip_frag), -1;
    return 0;
}

void ip_input(struct net_if *nif, const uint8_t *p, size_t len)
{
    size_t hlen, tot;
    uint32_t src, dst;

    if (ip_check(nif, p, len, &hlen, &tot) < 0)
        return;
    src = get32(p + 12);
    dst = get32(p + 16);
    if (ip_is_multicast(src) || ip_is_bcast(nif, src)) {
        NET_DROP(nif, drop_ip_src);
        return;
    }
    if (!ip_dst_ok(nif, dst, p[9])) {
        NET_DROP(nif, drop_ip_dst);
        return;
    }
    if (p[9] == IP_PROTO_ICMP && dst == nif->ip)
        icmp_input(nif, src, p + hlen, tot - hlen);
    else if (p[9] == IP_PROTO_ICMP)
        NET_DROP(nif, drop_icmp_type); /* no reply to a broadcast ping */
    else if (p[9] == IP_PROTO_UDP)
        udp_input(nif, src, dst, p + hlen, tot - hlen);
    else
        NET_DROP(nif, drop_ip_proto);
}

uint8_t *ip_payload(struct net_if *nif)
{
    return nif->tx + ETH_HLEN + IP_HLEN;
}

int ip_nexthop(const struct net_if *nif, uint32_t dst, uint32_t *hop)
{
    if (ip_is_bcast(nif, dst))
        return 1;
    if (ip_on_link(nif, dst))
        return *hop = dst, 0;
    if (!nif->gw || !ip_on_link(nif, nif->gw))
        return -ENETUNREACH;
    return *hop = nif->gw, 0;
}

/* Send the len bytes at ip_payload() to dst as protocol proto. */
int ip_output(struct net_if *nif, uint32_t dst, uint8_t proto, size_t len)
{
    uint8_t *h = nif->tx + ETH_HLEN;
    uint32_t hop = dst;
    int route;

    if (len > (size_t)nif->mtu - IP_HLEN)
        return -EMSGSIZE;
    if ((route = ip_nexthop(nif, dst, &hop)) < 0)
        return route;
    h[0] = 0x45;
    h[1] = 0;
    put16(h + 2, (uint16_t)(IP_HLEN + len));
    put16(h + 4, nif->ip_id++);
    put16(h + 6, IP_DF);
    h[8] = IP_TTL;
    h[9] = proto;
    put16(h + 10, 0);
    put32(h + 12, nif->ip);
    put32(h + 16, dst);
    put16(h + 10, csum_fold(csum_add(0, h, IP_HLEN)));
    if (route == 1)
        return eth_send(nif, eth_bcast, ETH_P_IP, nif->tx, IP_HLEN + len);
    return arp_output(nif, hop, IP_HLEN + len);
}

int net_resolve(struct net_if *nif, uint32_t dst, uint64_t timeout_ns)
{
    uint64_t start = net_now(nif), spent;
    uint32_t hop = 0;
    int rc;

    if ((rc = ip_nexthop(nif, dst, &hop)) != 0)
        return rc < 0 ? rc : 0;
    while (!arp_request(nif, hop)) {
        spent = net_now(nif) - start;
        if (spent >= timeout_ns)
            return -EHOSTUNREACH;
        if ((rc = net_poll(nif, timeout_ns - spent)) < 0)
            return rc;
    }
    return 0;
}
