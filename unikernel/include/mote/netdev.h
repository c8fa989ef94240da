/* libOS: network devices (whole Ethernet frames) through hypercalls. */
#ifndef MOTE_NETDEV_H
#define MOTE_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#include <mote/abi.h>

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

/*
 * Batched transfer, when the monitor offers MOTE_FEAT_NET_XFER
 * (mote_netdev_can_xfer()): frames are queued in the libOS instead of
 * sent one exit each, and the queue goes out on the next
 * mote_netdev_xfer(), which also receives, so that a send rides on the
 * next receive or wait. The queue also goes out (mote_netdev_flush) when
 * it is full, before any other wait in the monitor (MOTE_HC_POLL, a
 * console read that waits) and before the guest exits.
 */
#define MOTE_NETDEV_TXQ 32     /* frames the transmit queue holds */
#define MOTE_NETDEV_FRAME 1536 /* bytes a queued frame may have */

/* 1 when the monitor offers MOTE_HC_NET_XFER. */
int mote_netdev_can_xfer(void);

/*
 * Queue one frame (copied) for the next transfer; a full queue is sent
 * first (one exit). 0, or -EMSGSIZE (over MOTE_NETDEV_FRAME). Whether the
 * monitor could send it is not reported: a frame it refuses is dropped,
 * as a NIC drops one.
 */
int mote_netdev_queue(const struct mote_netdev *nd, const void *frame,
                      size_t len);

/*
 * Send the queue now (one exit; none when it is empty). Returns the
 * monitor's ready bits of the call (MOTE_READY_SHUTDOWN, _MOVED, which
 * also set mote_stop_asked and mote_moved), 0 when nothing was queued.
 */
uint64_t mote_netdev_flush(void);

/*
 * One exit: send the queue, then receive up to nrx frames into rx[i].buf
 * (rx[i].len bytes each), waiting up to timeout_ns when none is there
 * (flags: MOTE_NET_WAKE_CONSOLE). Returns how many rx descriptors were
 * used (rx[i].ret: a frame length or -errno, for i below it), 0 when no
 * frame came, or -errno. *more is set when more frames wait; *ready (if
 * not NULL) gets the monitor's ready bits when no frame came.
 */
long mote_netdev_xfer(const struct mote_netdev *nd, struct mote_net_desc *rx,
                      unsigned nrx, uint64_t timeout_ns, unsigned flags,
                      int *more, uint64_t *ready);

#endif
