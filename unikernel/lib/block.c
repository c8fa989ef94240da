/* libOS: block device wrappers over the block hypercalls. */
#include <errno.h>
#include <mote.h>
#include <mote/block.h>
#include <mote/device.h>

int mote_block_open(const char *name, struct mote_block *b)
{
    int idx = mote_device_find(name, MOTE_DEV_BLOCK);
    struct mote_hc_block_info a = { 0 };

    if (idx < 0)
        return idx;
    a.dev = (uint32_t)idx;
    mote_hypercall(MOTE_HC_BLOCK_INFO, &a);
    if (a.ret < 0)
        return (int)a.ret;
    if (a.sector_size == 0 || a.sector_size > 65536)
        return -EIO;
    b->dev = (unsigned)idx;
    b->sector_size = (uint32_t)a.sector_size;
    b->sectors = a.sectors;
    b->read_only = !!(a.flags & MOTE_DEV_RO);
    return 0;
}

/* Whole sectors inside the disk, checked without overflow. */
static int in_range(const struct mote_block *b, uint64_t sector, size_t len)
{
    uint64_t n = len / b->sector_size;

    return len % b->sector_size == 0 && sector <= b->sectors &&
           n <= b->sectors - sector;
}

static int io(const struct mote_block *b, unsigned nr, uint64_t sector,
              const void *buf, size_t len)
{
    struct mote_hc_block_io a = {
        .dev = b->dev, .sector = sector, .buf = (uintptr_t)buf, .len = len
    };

    if (!in_range(b, sector, len))
        return -EINVAL;
    if (len == 0)
        return 0;
    mote_hypercall(nr, &a);
    return a.ret < 0 ? (int)a.ret : 0;
}

int mote_block_read(const struct mote_block *b, uint64_t sector, void *buf,
                    size_t len)
{
    return io(b, MOTE_HC_BLOCK_READ, sector, buf, len);
}

int mote_block_write(const struct mote_block *b, uint64_t sector,
                     const void *buf, size_t len)
{
    if (b->read_only)
        return -EROFS;
    return io(b, MOTE_HC_BLOCK_WRITE, sector, buf, len);
}

int mote_block_flush(const struct mote_block *b)
{
    struct mote_hc_block_io a = { .dev = b->dev };

    mote_hypercall(MOTE_HC_BLOCK_FLUSH, &a);
    return a.ret < 0 ? (int)a.ret : 0;
}

int mote_block_batched(void)
{
    return !!(mote_bootinfo()->features & MOTE_FEAT_BLOCK_BATCH);
}

/* Checks the monitor would make anyway: 1 when r needs the monitor. */
static int precheck(const struct mote_block *b, struct mote_block_req *r)
{
    r->status = 0;
    if (r->op == MOTE_BLOCK_FLUSH)
        return 1;
    if (r->op != MOTE_BLOCK_READ && r->op != MOTE_BLOCK_WRITE)
        r->status = -EINVAL;
    else if (r->op == MOTE_BLOCK_WRITE && b->read_only)
        r->status = -EROFS;
    else if (!in_range(b, r->sector, r->len))
        r->status = -EINVAL;
    return r->status == 0 && r->len > 0;
}

/* On a monitor without block-batch: one exit. */
static void single(const struct mote_block *b, struct mote_block_req *r)
{
    static const unsigned nr[] = { [MOTE_BLOCK_READ] = MOTE_HC_BLOCK_READ,
                                   [MOTE_BLOCK_WRITE] = MOTE_HC_BLOCK_WRITE,
                                   [MOTE_BLOCK_FLUSH] = MOTE_HC_BLOCK_FLUSH };
    struct mote_hc_block_io a = { .dev = b->dev };

    if (r->op != MOTE_BLOCK_FLUSH) {
        a.sector = r->sector;
        a.buf = (uintptr_t)r->buf;
        a.len = r->len;
    }
    mote_hypercall(nr[r->op], &a);
    r->status = a.ret < 0 ? (int)a.ret : 0;
}

/* Up to MOTE_BLOCK_BATCH_MAX requests in one exit. */
static void batch(const struct mote_block *b, struct mote_block_req **rs,
                  unsigned n)
{
    struct mote_block_breq v[MOTE_BLOCK_BATCH_MAX];
    struct mote_hc_block_batch a = { .reqs = (uintptr_t)v, .count = n };

    for (unsigned i = 0; i < n; i++) {
        const struct mote_block_req *r = rs[i];
        int flush = r->op == MOTE_BLOCK_FLUSH;

        v[i] = (struct mote_block_breq){ .op = (uint32_t)r->op,
                                         .dev = b->dev,
                                         .sector = flush ? 0 : r->sector,
                                         .buf = flush ? 0 : (uintptr_t)r->buf,
                                         .len = flush ? 0 : r->len };
    }
    mote_hypercall(MOTE_HC_BLOCK_BATCH, &a);
    for (unsigned i = 0; i < n; i++)
        rs[i]->status = a.ret < 0 ? (int)a.ret : (int)v[i].status;
}

/* A flush after a failed write fails; the first failure, or 0. */
static int settle(struct mote_block_req *reqs, size_t n)
{
    int failed_write = 0, first = 0;

    for (size_t i = 0; i < n; i++) {
        struct mote_block_req *r = &reqs[i];

        if (r->op == MOTE_BLOCK_FLUSH) {
            if (failed_write && r->status == 0)
                r->status = -EIO;
            failed_write = 0;
        } else if (r->op == MOTE_BLOCK_WRITE && r->status < 0) {
            failed_write = 1;
        }
        if (r->status < 0 && !first)
            first = r->status;
    }
    return first;
}

int mote_block_submit(const struct mote_block *b, struct mote_block_req *reqs,
                      size_t n)
{
    struct mote_block_req *todo[MOTE_BLOCK_BATCH_MAX];
    int batched = mote_block_batched();
    unsigned k = 0;

    for (size_t i = 0; i < n; i++) {
        if (!precheck(b, &reqs[i]))
            continue;
        if (!batched) {
            single(b, &reqs[i]);
            continue;
        }
        todo[k++] = &reqs[i];
        if (k == MOTE_BLOCK_BATCH_MAX) {
            batch(b, todo, k);
            k = 0;
        }
    }
    if (k)
        batch(b, todo, k);
    return settle(reqs, n);
}
