/*
 * What reading and writing does for each kind of node: files in memory
 * (/tmp), files in the image (read-only), disks (/dev/NAME: fs_disk.c)
 * and character devices.
 */
#include <errno.h>
#include <mote.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"

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

static long disk_read(struct file *f, void *buf, size_t len, uint64_t off)
{
    return fs_disk_io(f->node->dev, buf, len, off, 0);
}

static long disk_write(struct file *f, const void *buf, size_t len,
                       uint64_t off)
{
    return fs_disk_io(f->node->dev, (void *)buf, len, off, 1);
}

static long disk_rwv(struct file *f, const struct iovec *iov, int cnt,
                     uint64_t off, int wr)
{
    return fs_disk_iov(f->node->dev, iov, cnt, off, wr);
}

static long disk_sync(struct file *f)
{
    return fs_disk_sync(f->node->dev);
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
    [NODE_DIR] = { NULL, no_write, no_sync, no_truncate, NULL, NULL },
    [NODE_MEM] = { mem_read, mem_write, no_sync, mem_truncate, NULL, NULL },
    [NODE_ROM] = { mem_read, no_write, no_sync, no_truncate, NULL, NULL },
    [NODE_DISK] = { disk_read, disk_write, disk_sync, no_truncate, NULL,
                    disk_rwv },
    [NODE_CHR] = { chr_read, chr_write, no_sync, no_truncate, NULL, NULL },
};

const struct file_ops *fs_ops(enum node_kind kind)
{
    return &ops[kind];
}
