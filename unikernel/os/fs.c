/*
 * What reading and writing does for each kind of node: files in memory
 * (/tmp), files in the image (read-only), disks (/dev/NAME, byte-granular
 * over whole-sector hypercalls) and character devices.
 */
#include <errno.h>
#include <mote.h>
#include <mote/block.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"

#define DISK_CHUNK (1u << 20) /* bytes one block hypercall moves at most */

static long mem_read(struct file *f, void *buf, size_t len, uint64_t off)
{
    struct node *n = f->node;

    if (off >= n->size)
        return 0;
    if (len > n->size - off)
        len = (size_t)(n->size - off);
    memcpy(buf, n->data + off, len);
    return (long)len;
}

/* Room for size bytes, zero-filled past the old size. */
static long mem_reserve(struct node *n, uint64_t size)
{
    if (size > n->cap) {
        uint64_t cap = n->cap ? n->cap : 256;
        unsigned char *p;

        while (cap < size)
            cap *= 2;
        if (cap > (1ULL << 40) || !(p = realloc(n->data, (size_t)cap)))
            return -ENOSPC;
        n->data = p;
        n->cap = cap;
    }
    if (size > n->size)
        memset(n->data + n->size, 0, (size_t)(size - n->size));
    return 0;
}

static long mem_write(struct file *f, const void *buf, size_t len, uint64_t off)
{
    struct node *n = f->node;
    long rc;

    if (len == 0)
        return 0;
    if (off + len < off || (rc = mem_reserve(n, off + len)) < 0)
        return off + len < off ? -EFBIG : rc;
    memcpy(n->data + off, buf, len);
    if (off + len > n->size)
        n->size = off + len;
    n->mtime = (int64_t)(os_realtime_ns() / 1000000000ULL);
    return (long)len;
}

static long mem_truncate(struct file *f, uint64_t size)
{
    struct node *n = f->node;
    long rc = mem_reserve(n, size);

    if (rc == 0)
        n->size = size;
    return rc;
}

static long no_write(struct file *f, const void *buf, size_t len, uint64_t off)
{
    (void)f, (void)buf, (void)len, (void)off;
    return -EROFS;
}

static long no_sync(struct file *f)
{
    (void)f;
    return 0;
}

static long no_truncate(struct file *f, uint64_t size)
{
    (void)f, (void)size;
    return -EROFS;
}

/* One block device's geometry, asked once. */
static int disk_geometry(unsigned dev, struct mote_block *b)
{
    static struct mote_block known[MOTE_MAX_DEVICES];
    static uint32_t have;
    int rc;

    if (dev >= MOTE_MAX_DEVICES)
        return -ENODEV;
    if (!(have & (1u << dev))) {
        const struct mote_device *d = &mote_bootinfo()->devices[dev];

        if ((rc = mote_block_open(d->name, &known[dev])) < 0)
            return rc;
        have |= 1u << dev;
    }
    *b = known[dev];
    return 0;
}

/* Part of one sector, through a bounce buffer: read, patch, write. */
static long disk_partial(const struct mote_block *b, unsigned char *buf,
                         size_t len, uint64_t off, int wr)
{
    static unsigned char sec[4096] __attribute__((aligned(16)));
    uint64_t s = off / b->sector_size;
    size_t at = (size_t)(off % b->sector_size);
    int rc;

    if (b->sector_size > sizeof(sec))
        return -EIO;
    if (len > b->sector_size - at)
        len = b->sector_size - at;
    if ((rc = mote_block_read(b, s, sec, b->sector_size)) < 0)
        return rc;
    if (!wr) {
        memcpy(buf, sec + at, len);
        return (long)len;
    }
    memcpy(sec + at, buf, len);
    rc = mote_block_write(b, s, sec, b->sector_size);
    return rc < 0 ? rc : (long)len;
}

long fs_disk_io(unsigned dev, void *buf, size_t len, uint64_t off, int wr)
{
    struct mote_block b;
    uint64_t size;
    size_t done = 0;
    long rc = disk_geometry(dev, &b);

    if (rc < 0)
        return rc;
    if (wr && b.read_only)
        return -EROFS;
    size = b.sectors * b.sector_size;
    if (off >= size)
        return wr && len ? -ENOSPC : 0;
    if (len > size - off)
        len = (size_t)(size - off);
    while (done < len) {
        unsigned char *p = (unsigned char *)buf + done;
        uint64_t at = off + done;
        size_t n = (len - done) / b.sector_size * b.sector_size;

        if (at % b.sector_size || n == 0) {
            rc = disk_partial(&b, p, len - done, at, wr);
        } else {
            n = n < DISK_CHUNK ? n : DISK_CHUNK;
            rc = wr ? mote_block_write(&b, at / b.sector_size, p, n)
                    : mote_block_read(&b, at / b.sector_size, p, n);
            rc = rc < 0 ? rc : (long)n;
        }
        if (rc <= 0)
            return done ? (long)done : rc;
        done += (size_t)rc;
    }
    return (long)done;
}

static long disk_read(struct file *f, void *buf, size_t len, uint64_t off)
{
    return fs_disk_io(f->node->dev, buf, len, off, 0);
}

static long disk_write(struct file *f, const void *buf, size_t len,
                       uint64_t off)
{
    return fs_disk_io(f->node->dev, (void *)buf, len, off, 1);
}

static long disk_sync(struct file *f)
{
    struct mote_block b;
    long rc = disk_geometry(f->node->dev, &b);

    return rc < 0 ? rc : mote_block_flush(&b);
}

static long chr_read(struct file *f, void *buf, size_t len, uint64_t off)
{
    long a[6] = { (long)buf, (long)len };

    (void)off;
    switch (f->node->dev) {
    case CHR_ZERO: memset(buf, 0, len); return (long)len;
    case CHR_RANDOM: return sys_getrandom(a);
    case CHR_CONSOLE: return os_console_read(buf, len);
    }
    return 0;
}

static long chr_write(struct file *f, const void *buf, size_t len, uint64_t off)
{
    (void)off;
    if (f->node->dev != CHR_CONSOLE)
        return (long)len;
    return os_console_write(buf, len);
}

static const struct file_ops ops[] = {
    [NODE_DIR] = { NULL, no_write, no_sync, no_truncate, NULL },
    [NODE_MEM] = { mem_read, mem_write, no_sync, mem_truncate, NULL },
    [NODE_ROM] = { mem_read, no_write, no_sync, no_truncate, NULL },
    [NODE_DISK] = { disk_read, disk_write, disk_sync, no_truncate, NULL },
    [NODE_CHR] = { chr_read, chr_write, no_sync, no_truncate, NULL },
};

const struct file_ops *fs_ops(enum node_kind kind)
{
    return &ops[kind];
}
