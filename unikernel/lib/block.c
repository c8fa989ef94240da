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
