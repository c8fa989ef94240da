/* Ethernet: accept frames for us, dispatch by type; frame output. */
#include <string.h>

#include "net_impl.h"

const uint8_t eth_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void net_input(struct net_if *nif, const void *frame, size_t len)
{
    const uint8_t *p = frame;

    nif->stats.rx_frames++;
    if (len < ETH_HLEN) {
        NET_DROP(nif, drop_eth_short);
        return;
    }
    if (memcmp(p, nif->mac, 6) && memcmp(p, eth_bcast, 6)) {
        NET_DROP(nif, drop_eth_dst);
        return;
    }
    switch (get16(p + 12)) {
    case ETH_P_IP: ip_input(nif, p + ETH_HLEN, len - ETH_HLEN); break;
    case ETH_P_ARP: arp_input(nif, p + ETH_HLEN, len - ETH_HLEN); break;
    default: NET_DROP(nif, drop_eth_type); break;
    }
}

/* frame holds len bytes of payload after room for the Ethernet header. */
int eth_send(struct net_if *nif, const uint8_t *dst, uint16_t type,
             uint8_t *frame, size_t len)
{
    int rc;

    memcpy(frame, dst, 6);
    memcpy(frame + 6, nif->mac, 6);
    put16(frame + 12, type);
    rc = nif->ops->send(nif->ctx, frame, ETH_HLEN + len);
    if (rc < 0)
        nif->stats.tx_errors++;
    else
        nif->stats.tx_frames++;
    return rc;
}
