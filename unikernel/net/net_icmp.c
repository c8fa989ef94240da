/* ICMP: answer echo requests (ping); everything else is counted. */
#include <string.h>

#include "net_impl.h"

#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO 8

void icmp_input(struct net_if *nif, uint32_t src, const uint8_t *p, size_t len)
{
    uint8_t *r = ip_payload(nif);

    if (len < ICMP_HLEN) {
        NET_DROP(nif, drop_icmp_short);
        return;
    }
    if (csum_fold(csum_add(0, p, len)) != 0) {
        NET_DROP(nif, drop_icmp_csum);
        return;
    }
    if (p[0] != ICMP_ECHO || p[1] != 0 || len > (size_t)nif->mtu - IP_HLEN) {
        NET_DROP(nif, drop_icmp_type);
        return;
    }
    memmove(r, p, len); /* p may be the receive buffer, never nif->tx */
    r[0] = ICMP_ECHO_REPLY;
    put16(r + 2, 0);
    put16(r + 2, csum_fold(csum_add(0, r, len)));
    if (ip_output(nif, src, IP_PROTO_ICMP, len) == 0)
        nif->stats.icmp_echo_replies++;
}
