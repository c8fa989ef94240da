/* DHCP's pace (dhcp_pace.c): how often the guest's DHCP client may send. */
#ifndef MOTE_NET_DHCP_PACE_H
#define MOTE_NET_DHCP_PACE_H

#include <stddef.h>
#include <stdint.h>

struct dhcp_pace {
    int started;
    unsigned turns; /* frames that may go now */
    uint64_t since; /* when the last turn was given back */
};

/* Is the Ethernet frame f a DHCP client's (IPv4 UDP 68 to 67)? */
int dhcp_pace_is_client(const uint8_t *f, size_t len);

/* 1: send f now (any frame that is not a DHCP client's); 0: drop it. */
int dhcp_pace_ok(struct dhcp_pace *p, const uint8_t *f, size_t len,
                 uint64_t now_ns);

#endif
