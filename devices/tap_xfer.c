/*
 * MOTE_HC_NET_XFER: many frames out and in for one exit (see mote/abi.h).
 * Both descriptor arrays are copied into monitor memory once, checked
 * there, used from there and written back once at the end, so nothing the
 * call writes into guest memory (a frame over an array, say) changes what
 * it checked.
 */
#include <string.h>

#include "../monitor/ctl.h"
#include "tap.h"

/* One descriptor array: the monitor's copy and where it came from. */
struct xfer_arr {
    struct mote_net_desc d[MOTE_NET_XFER_MAX];
    void *guest; /* NULL when n is 0 */
    uint32_t n;
};

/* Copy the n descriptors at gpa into a: 0, or -MOTE_EINVAL. */
static int arr_in(struct vm *vm, uint64_t gpa, uint32_t n, struct xfer_arr *a)
{
    a->n = 0;
    a->guest = NULL;
    if (n > MOTE_NET_XFER_MAX)
        return -MOTE_EINVAL;
    if (n == 0)
        return 0;
    a->guest = gpa_wptr(vm, gpa, (uint64_t)n * sizeof(a->d[0]));
    if (!a->guest)
        return -MOTE_EINVAL;
    memcpy(a->d, a->guest, n * sizeof(a->d[0]));
    a->n = n;
    return 0;
}

static void arr_out(const struct xfer_arr *a)
{
    if (a->n)
        memcpy(a->guest, a->d, a->n * sizeof(a->d[0]));
}

/* Step 1: every frame of tx, in order, each with its own status. */
static void send_all(struct vm *vm, struct vm_device *d, struct xfer_arr *tx)
{
    uint64_t max = (uint64_t)d->desc.mtu + ETH_HDR;

    for (uint32_t i = 0; i < tx->n; i++) {
        struct mote_net_desc *e = &tx->d[i];
        const uint8_t *p;

        if (e->len < ETH_HDR || e->len > max)
            e->ret = -MOTE_EMSGSIZE;
        else if (!(p = gpa_ptr(vm, e->buf, e->len)))
            e->ret = -MOTE_EINVAL;
        else
            e->ret = tap_write(d, p, e->len);
    }
}

/* Where each rx descriptor's room is (NULL: not inside guest RAM, marked
 * -MOTE_EINVAL); the others start as -MOTE_EAGAIN, no frame. */
static void rx_check(struct vm *vm, struct xfer_arr *rx, uint8_t **room)
{
    for (uint32_t i = 0; i < rx->n; i++) {
        room[i] = gpa_wptr(vm, rx->d[i].buf, rx->d[i].len);
        rx->d[i].ret = room[i] ? -MOTE_EAGAIN : -MOTE_EINVAL;
    }
}

/* Step 2: waiting frames into rx from *used on, until none is left, the
 * device fails or the descriptors run out; *used: one past the last
 * descriptor that took a frame. */
static void recv_all(struct vm_device *d, struct xfer_arr *rx, uint8_t **room,
                     uint32_t *used)
{
    for (uint32_t i = *used; i < rx->n; i++) {
        int64_t r;

        if (!room[i])
            continue;
        r = tap_read(d, room[i], rx->d[i].len);
        if (r == -MOTE_EAGAIN)
            return;
        rx->d[i].ret = r;
        *used = i + 1;
        if (r == -MOTE_EIO)
            return;
    }
}

int hc_net_xfer(struct vm *vm, void *arg)
{
    static struct xfer_arr tx, rx; /* the vCPU thread's alone */
    struct mote_hc_net_xfer *a = arg;
    struct vm_device *d = vm_dev(vm, a->dev, MOTE_DEV_NET);
    int console = (a->flags & MOTE_NET_WAKE_CONSOLE) != 0;
    uint8_t *room[MOTE_NET_XFER_MAX];
    uint32_t used = 0;
    int64_t err = 0;

    a->ready = 0;
    if (!d || (a->flags & ~(uint32_t)MOTE_NET_WAKE_CONSOLE) ||
        arr_in(vm, a->tx, a->ntx, &tx) < 0 ||
        arr_in(vm, a->rx, a->nrx, &rx) < 0) {
        a->ret = d ? -MOTE_EINVAL : -MOTE_ENODEV;
        a->flags = 0;
        return 0;
    }
    a->flags = 0;
    rx_check(vm, &rx, room);
    send_all(vm, d, &tx);
    recv_all(d, &rx, room, &used);
    if (used == 0 && a->timeout_ns) {
        /* (a failed poll, which cannot really happen, ends the wait) */
        a->ready = vm_poll(vm, a->timeout_ns, console, &err);
        if (a->ready & (1ULL << a->dev))
            recv_all(d, &rx, room, &used);
    }
    if (used && tap_readable(d->fd))
        a->flags = MOTE_NET_MORE;
    a->ready |= ctl_ready(vm);
    a->ret = used;
    arr_out(&tx);
    arr_out(&rx);
    return 0;
}
