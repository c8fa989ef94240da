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

#endif
