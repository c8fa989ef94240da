/* libOS: block devices (virtual disks) through the block hypercalls. */
#ifndef MOTE_BLOCK_H
#define MOTE_BLOCK_H

#include <stddef.h>
#include <stdint.h>

struct mote_block {
    unsigned dev;         /* index in the boot info */
    uint32_t sector_size; /* bytes per sector */
    uint64_t sectors;     /* capacity */
    int read_only;
};

/*
 * Open the block device named name (NULL: the first one) and ask the
 * monitor for its geometry. Returns 0 or a negative errno (-ENODEV, -EIO).
 */
int mote_block_open(const char *name, struct mote_block *b);

/*
 * Read or write len bytes (a multiple of the sector size) at sector.
 * Requests outside the disk or misaligned fail with -EINVAL before any
 * hypercall; the monitor's errors (-EIO, -EROFS, ...) are returned as is.
 */
int mote_block_read(const struct mote_block *b, uint64_t sector, void *buf,
                    size_t len);
int mote_block_write(const struct mote_block *b, uint64_t sector,
                     const void *buf, size_t len);

/* Make every completed write durable on the host. Returns 0 or -errno. */
int mote_block_flush(const struct mote_block *b);

/* One request of a batch (op: MOTE_BLOCK_READ, _WRITE or _FLUSH). */
struct mote_block_req {
    int op;
    uint64_t sector; /* read, write: first sector */
    void *buf;       /* read, write */
    size_t len;      /* read, write: bytes, a multiple of the sector size */
    int status;      /* out: 0 or a negative errno, as the single calls */
};

/*
 * Run n requests on b in array order, each complete before the next
 * starts, in as few exits as the monitor allows: one per
 * MOTE_BLOCK_BATCH_MAX requests when it offers block-batch, one a request
 * otherwise. Every request gets its status; a failed one does not stop the
 * ones after it. A flush makes every write before it durable, and its
 * status is -EIO when a write before it in this call (after the previous
 * flush) failed, so that 0 always means all of them are durable. Returns
 * 0 when every request succeeded, else the first failure's status.
 */
int mote_block_submit(const struct mote_block *b, struct mote_block_req *reqs,
                      size_t n);

/* 1 when mote_block_submit() takes one exit for many requests. */
int mote_block_batched(void);

#endif
