/*
 * Disks as files (/dev/NAME): byte-granular reads and writes over whole
 * sectors, in as few exits as a request allows. Its partial first and last
 * sectors go through bounce buffers, its middle straight to and from the
 * caller's memory in DISK_CHUNK pieces, all in one mote_block_submit(); a
 * write with a partial sector reads that sector first (a second batch).
 */
#include <errno.h>
#include <mote.h>
#include <mote/block.h>
#include <string.h>
#include <sys/uio.h>

#include "os.h"

#define DISK_CHUNK (1u << 20) /* bytes one request moves at most */
#define PLAN_MAX 64           /* requests gathered before they go out */
#define IO_MAX 0x7ffff000u    /* bytes one call moves at most, as Linux */

/* One block device's geometry, asked once; -EROFS for a write to ro. */
static int disk_open(unsigned dev, int wr, struct mote_block *b)
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
    return wr && b->read_only ? -EROFS : 0;
}

/* Trim len to the disk's end: 1 to go on, else 0 or -ENOSPC to return. */
static long clamp(const struct mote_block *b, size_t *len, uint64_t off, int wr)
{
    uint64_t size = b->sectors * b->sector_size;

    if (off >= size)
        return wr && *len ? -ENOSPC : 0;
    if (*len > size - off)
        *len = (size_t)(size - off);
    return 1;
}

/*
 * Requests gathered in file order; user[i] is how many of the caller's
 * bytes request i moves. done counts the bytes of the requests that
 * succeeded before the first failure, err is that failure.
 */
struct plan {
    const struct mote_block *b;
    int op;
    struct mote_block_req r[PLAN_MAX];
    size_t user[PLAN_MAX];
    unsigned n;
    size_t done;
    int err;
};

static void plan_go(struct plan *pl)
{
    if (pl->n && !pl->err) {
        mote_block_submit(pl->b, pl->r, pl->n);
        for (unsigned i = 0; i < pl->n && !pl->err; i++) {
            if (pl->r[i].status < 0)
                pl->err = pl->r[i].status;
            else
                pl->done += pl->user[i];
        }
    }
    pl->n = 0;
}

static void plan_add(struct plan *pl, uint64_t sector, void *buf, size_t len,
                     size_t user)
{
    if (pl->n == PLAN_MAX)
        plan_go(pl);
    pl->r[pl->n] = (struct mote_block_req){
        .op = pl->op, .sector = sector, .buf = buf, .len = len
    };
    pl->user[pl->n++] = user;
}

/* Whole sectors at off (sector-aligned) in DISK_CHUNK pieces. */
static void plan_whole(struct plan *pl, unsigned char *p, uint64_t off,
                       size_t len)
{
    uint32_t ss = pl->b->sector_size;

    for (size_t at = 0; at < len;) {
        size_t n = len - at < DISK_CHUNK ? len - at : DISK_CHUNK;

        plan_add(pl, (off + at) / ss, p + at, n, n);
        at += n;
    }
}

static unsigned char bounce[2][4096] __attribute__((aligned(16)));

/* Part of one sector: len bytes from byte at of sector. */
struct part {
    uint64_t sector;
    size_t at, len;
};

/* A write's partial sectors, read before they are patched. */
static int fill(const struct mote_block *b, const struct part *h,
                const struct part *t)
{
    struct mote_block_req r[2];
    unsigned n = 0;

    if (h->len)
        r[n++] = (struct mote_block_req){ .op = MOTE_BLOCK_READ,
                                          .sector = h->sector,
                                          .buf = bounce[0],
                                          .len = b->sector_size };
    if (t->len)
        r[n++] = (struct mote_block_req){ .op = MOTE_BLOCK_READ,
                                          .sector = t->sector,
                                          .buf = bounce[1],
                                          .len = b->sector_size };
    return mote_block_submit(b, r, n);
}

/* len bytes at off, inside the disk. */
static long disk_io(const struct mote_block *b, unsigned char *buf, size_t len,
                    uint64_t off, int wr)
{
    uint32_t ss = b->sector_size;
    struct part h = { off / ss, (size_t)(off % ss), 0 }, t;
    struct plan pl = { .b = b, .op = wr ? MOTE_BLOCK_WRITE : MOTE_BLOCK_READ };
    size_t mid;
    int rc;

    if (ss > sizeof(bounce[0]))
        return -EIO;
    if (h.at)
        h.len = len < ss - h.at ? len : ss - h.at;
    mid = (len - h.len) / ss * ss;
    t = (struct part){ (off + h.len + mid) / ss, 0, len - h.len - mid };
    if (wr && (rc = fill(b, &h, &t)) < 0)
        return rc;
    if (h.len && wr)
        memcpy(bounce[0] + h.at, buf, h.len);
    if (t.len && wr)
        memcpy(bounce[1], buf + h.len + mid, t.len);
    if (h.len)
        plan_add(&pl, h.sector, bounce[0], ss, h.len);
    plan_whole(&pl, buf + h.len, off + h.len, mid);
    if (t.len)
        plan_add(&pl, t.sector, bounce[1], ss, t.len);
    plan_go(&pl);
    if (!wr && h.len && pl.done >= h.len)
        memcpy(buf, bounce[0] + h.at, h.len);
    if (!wr && t.len && !pl.err)
        memcpy(buf + h.len + mid, bounce[1], t.len);
    return pl.done ? (long)pl.done : pl.err;
}

long fs_disk_io(unsigned dev, void *buf, size_t len, uint64_t off, int wr)
{
    struct mote_block b;
    long rc = disk_open(dev, wr, &b);

    if (rc < 0 || (rc = clamp(&b, &len, off, wr)) <= 0)
        return rc;
    return disk_io(&b, buf, len, off, wr);
}

/* The vector's bytes when it is whole sectors at a sector, else 0. */
static size_t whole_sectors(const struct mote_block *b, const struct iovec *iov,
                            int cnt, uint64_t off)
{
    size_t total = 0;

    if (off % b->sector_size)
        return 0;
    for (int i = 0; i < cnt; i++) {
        if (iov[i].iov_len % b->sector_size || iov[i].iov_len > IO_MAX - total)
            return 0;
        total += iov[i].iov_len;
    }
    return total;
}

/* A vector of whole sectors: every piece in the same batches. */
static long disk_iov_whole(const struct mote_block *b, const struct iovec *iov,
                           int cnt, uint64_t off, size_t total, int wr)
{
    struct plan pl = { .b = b, .op = wr ? MOTE_BLOCK_WRITE : MOTE_BLOCK_READ };
    long rc = clamp(b, &total, off, wr);

    if (rc <= 0)
        return rc;
    for (int i = 0; i < cnt && total; i++) {
        size_t n = iov[i].iov_len < total ? iov[i].iov_len : total;

        plan_whole(&pl, iov[i].iov_base, off, n);
        off += n;
        total -= n;
    }
    plan_go(&pl);
    return pl.done ? (long)pl.done : pl.err;
}

long fs_disk_iov(unsigned dev, const struct iovec *iov, int cnt, uint64_t off,
                 int wr)
{
    struct mote_block b;
    long rc = disk_open(dev, wr, &b);
    size_t whole;

    if (rc < 0)
        return rc;
    if ((whole = whole_sectors(&b, iov, cnt, off)) == 0)
        return -EOPNOTSUPP; /* the caller goes piece by piece */
    return disk_iov_whole(&b, iov, cnt, off, whole, wr);
}

long fs_disk_sync(unsigned dev)
{
    struct mote_block b;
    long rc = disk_open(dev, 0, &b);

    return rc < 0 ? rc : mote_block_flush(&b);
}
