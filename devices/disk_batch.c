/* MOTE_HC_BLOCK_BATCH: many block requests in one exit, run in order. */
#include <string.h>

#include "devices.h"

/* A flush may only promise durability when no write it covers failed. */
static int64_t flush_one(struct vm *vm, uint32_t dev, uint32_t *failed_wr)
{
    int64_t rc = disk_flush(vm, dev);

    if (dev >= MOTE_MAX_DEVICES)
        return rc;
    if (rc == 0 && (*failed_wr & (1u << dev)))
        rc = -MOTE_EIO;
    *failed_wr &= ~(1u << dev);
    return rc;
}

/*
 * One request of the private copy; failed_wr has bit i set while a write
 * to device i failed after device i's last flush in this batch.
 */
static int64_t run_one(struct vm *vm, const struct mote_block_breq *r,
                       uint32_t *failed_wr)
{
    struct mote_hc_block_io io = {
        .dev = r->dev, .sector = r->sector, .buf = r->buf, .len = r->len
    };
    int64_t rc;

    switch (r->op) {
    case MOTE_BLOCK_READ: return disk_io(vm, &io, 0);
    case MOTE_BLOCK_WRITE:
        rc = disk_io(vm, &io, 1);
        if (rc < 0 && r->dev < MOTE_MAX_DEVICES)
            *failed_wr |= 1u << r->dev;
        return rc;
    case MOTE_BLOCK_FLUSH:
        if (r->sector || r->buf || r->len)
            return -MOTE_EINVAL;
        return flush_one(vm, r->dev, failed_wr);
    }
    return -MOTE_EINVAL;
}

/*
 * The request array is copied into monitor memory once, every request is
 * checked and run from that copy, and the copy (statuses filled in) is
 * written back once: a read whose buffer overlaps the array cannot change
 * a request still to run, and where the two overlap the guest finds the
 * array, not the data.
 */
int hc_block_batch(struct vm *vm, void *arg)
{
    struct mote_hc_block_batch *a = arg;
    struct mote_block_breq r[MOTE_BLOCK_BATCH_MAX];
    uint32_t failed_wr = 0;
    uint64_t size;
    void *p = NULL;

    a->failed = 0;
    a->ret = -MOTE_EINVAL;
    if (a->count > MOTE_BLOCK_BATCH_MAX)
        return 0;
    size = (uint64_t)a->count * sizeof(r[0]);
    if (size && !(p = gpa_wptr(vm, a->reqs, size)))
        return 0;
    if (size)
        memcpy(r, p, size);
    for (uint32_t i = 0; i < a->count; i++) {
        r[i].status = run_one(vm, &r[i], &failed_wr);
        a->failed += r[i].status != 0;
    }
    if (size)
        memcpy(p, r, size);
    a->ret = 0;
    return 0;
}
