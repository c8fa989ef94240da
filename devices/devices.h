/* Host-side device backends behind the hypercalls: one setup call each. */
#ifndef MOTE_DEVICES_H
#define MOTE_DEVICES_H

#include <stdint.h>

#include "../monitor/vm.h"

#define DISK_SECTOR 512
#define DISK_IO_MAX (4u << 20) /* bytes one read or write may move */

/* Console: guest writes go to out_fd (normally stdout), reads come from
 * in_fd (normally stdin; -1: the guest reads an empty input). */
int console_setup(struct vm *vm, int out_fd, int in_fd);

/* Entropy: the host's getrandom(). */
int entropy_setup(struct vm *vm);

/*
 * Register the block hypercalls (the VMM core registers every kind's);
 * 0, or a negative errno with the reason in err_msg().
 */
int disk_register(struct vm *vm);

/*
 * One block read or write (MOTE_HC_BLOCK_READ/_WRITE's checks and work) and
 * one flush: 0 or -MOTE_E*. Shared by the single and batched calls.
 */
int64_t disk_io(struct vm *vm, const struct mote_hc_block_io *a, int write);
int64_t disk_flush(struct vm *vm, uint32_t dev);

/* The MOTE_HC_BLOCK_BATCH handler (devices/disk_batch.c). */
int hc_block_batch(struct vm *vm, void *arg);

/*
 * Attach FILE as block device NAME (read-only if ro), locked against other
 * writers for as long as it is open.
 */
int disk_attach(struct vm *vm, const char *name, const char *path, int ro);

/*
 * Attach the existing TAP interface ifname as network device NAME. mac is
 * 6 bytes, or NULL for a random locally administered address.
 */
int tap_attach(struct vm *vm, const char *name, const char *ifname,
               const uint8_t *mac);

/* The MAC address a --net option gave (1), or 0 when it gave none. */
struct devspec;
int tap_spec_mac(const struct devspec *d, uint8_t mac[6]);

/*
 * Register the network hypercalls (the VMM core registers every kind's);
 * 0, or a negative errno with the reason in err_msg().
 */
int tap_register(struct vm *vm);

/* Disk images on the host (`mote disk`). */
struct disk_stat {
    uint64_t size;      /* bytes */
    uint64_t allocated; /* bytes the host file system really holds */
};
int disk_create(const char *path, uint64_t size);
int disk_resize(const char *path, uint64_t size, int force);
int disk_stat(const char *path, struct disk_stat *st);

/* Take a lock on an open disk file: shared when ro, else exclusive. */
int disk_lock(int fd, const char *path, int ro);

#endif
