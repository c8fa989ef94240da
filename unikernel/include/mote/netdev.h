/* libOS: network devices (whole Ethernet frames) through hypercalls. */
#ifndef MOTE_NETDEV_H
#define MOTE_NETDEV_H

#include <stddef.h>
#include <stdint.h>

struct mote_netdev {
    unsigned dev;   /* index in the boot info */
    uint16_t mtu;   /* largest IP packet */
    uint8_t mac[6]; /* our MAC address */
};

/* Open the network device named name (NULL: the first). 0 or -ENODEV. */
int mote_netdev_open(const char *name, struct mote_netdev *nd);

/* Send one frame (no FCS). Returns 0 or -errno (-EMSGSIZE, -EAGAIN). */
int mote_netdev_send(const struct mote_netdev *nd, const void *frame,
                     size_t len);

/*
 * Receive one frame into buf without blocking. Returns its length,
 * -EAGAIN if none is waiting, or another -errno.
 */
long mote_netdev_recv(const struct mote_netdev *nd, void *buf, size_t cap);

/*
 * As mote_netdev_recv(), but when no frame is waiting, block in the host
 * up to timeout_ns for one: a poll and a receive for the price of one
 * hypercall. Returns the frame's length or -EAGAIN (time ran out, or
 * another device got input); *more is set when another frame waits.
 */
long mote_netdev_recv_wait(const struct mote_netdev *nd, void *buf, size_t cap,
                           uint64_t timeout_ns, int *more);

/*
 * As mote_netdev_recv_wait(), with flags MOTE_NET_WAKE_CONSOLE (console
 * input ends the wait too; see MOTE_FEAT_WAKE_CONSOLE); *ready (if not
 * NULL) gets the monitor's ready bits when the wait ended without a frame.
 */
long mote_netdev_recv_wake(const struct mote_netdev *nd, void *buf, size_t cap,
                           uint64_t timeout_ns, unsigned flags, int *more,
                           uint64_t *ready);

#endif
