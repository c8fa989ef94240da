/*
 * SYN floods: lwIP keeps a half-open connection (SYN_RCVD) for 20 s and
 * counts it against its listener's backlog, so a few SYNs from addresses
 * that never answer would shut a listener for 20 s. Instead, a SYN to a
 * full listener first drops its least recently active half-open
 * connection, without a reset (the classic SYN cache's drop-oldest):
 * a real client then gets in at once, however long the flood.
 * Called by lwIP for every TCP segment (LWIP_HOOK_TCP_INPACKET_PCB in
 * lwipopts.h), before the segment reaches pcb.
 */
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "lwip/tcp.h"

int mote_tcp_syn_room(struct tcp_pcb *pcb, struct tcp_hdr *hdr)
{
    struct tcp_pcb_listen *l = (struct tcp_pcb_listen *)pcb;
    struct tcp_pcb *p, *old = NULL;

    if (pcb->state != LISTEN ||
        (TCPH_FLAGS(hdr) & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN ||
        l->accepts_pending < l->backlog)
        return ERR_OK;
    for (p = tcp_active_pcbs; p; p = p->next)
        if (p->state == SYN_RCVD && p->listener == l &&
            (!old || tcp_ticks - p->tmr > tcp_ticks - old->tmr))
            old = p;
    if (old)
        tcp_abandon(old, 0); /* its listener's accepts_pending goes down */
    return ERR_OK;
}
