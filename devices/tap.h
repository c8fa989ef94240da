/* The TAP device's internals shared by its files (tap.c, tap_xfer.c). */
#ifndef MOTE_TAP_H
#define MOTE_TAP_H

#include <stdint.h>

#include "../monitor/vm.h"

#define ETH_HDR 14

/* Read one frame from d into p[0, cap): its length or -MOTE_E*
 * (-MOTE_EAGAIN: none waiting; -MOTE_EMSGSIZE: longer than cap, dropped). */
int64_t tap_read(struct vm_device *d, uint8_t *p, uint64_t cap);

/* Write one frame, copied from p once and checked in monitor memory: 0,
 * -MOTE_EINVAL (shorter than a header, or its source MAC is not the
 * device's: not sent), -MOTE_EMSGSIZE, -MOTE_EAGAIN (the host's queue is
 * full) or -MOTE_EIO. */
int64_t tap_write(struct vm_device *d, const uint8_t *p, uint64_t len);

/* 1 when fd has input now. */
int tap_readable(int fd);

/* MOTE_HC_NET_XFER (tap_xfer.c). */
int hc_net_xfer(struct vm *vm, void *arg);

#endif
