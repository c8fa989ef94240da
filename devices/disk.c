/* Virtual disks: a host file served by the block hypercalls, whole sectors. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../monitor/devkind.h"
#include "../monitor/err.h"
#include "../monitor/fileio.h"
#include "devices.h"

/* The guest buffer and file offset of a request, or an error code. */
static int64_t io_check(struct vm *vm, const struct mote_hc_block_io *a,
                        int write, struct vm_device **d, uint8_t **p)
{
    *d = vm_dev(vm, a->dev, MOTE_DEV_BLOCK);
    if (!*d)
        return -MOTE_ENODEV;
    if (a->len == 0 || a->len % DISK_SECTOR || a->len > DISK_IO_MAX)
        return -MOTE_EINVAL;
    if (a->sector > (*d)->desc.sectors ||
        a->len / DISK_SECTOR > (*d)->desc.sectors - a->sector)
        return -MOTE_EINVAL;
    /* a disk write reads the guest's buffer; a read writes it */
    *p = write ? gpa_ptr(vm, a->buf, a->len) : gpa_wptr(vm, a->buf, a->len);
    return *p ? 0 : -MOTE_EINVAL;
}

static int64_t rw_all(int fd, uint8_t *p, uint64_t len, uint64_t off, int write)
{
    while (len > 0) {
        ssize_t n = write ? pwrite(fd, p, len, (off_t)off)
                          : pread(fd, p, len, (off_t)off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -MOTE_EIO;
        p += n;
        off += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return 0;
}

int64_t disk_io(struct vm *vm, const struct mote_hc_block_io *a, int write)
{
    struct vm_device *d;
    uint8_t *p;
    int64_t rc = io_check(vm, a, write, &d, &p);

    if (rc == 0 && write && (d->desc.flags & MOTE_DEV_RO))
        rc = -MOTE_EROFS;
    if (rc == 0)
        rc = rw_all(d->fd, p, a->len, a->sector * DISK_SECTOR, write);
    return rc;
}

int64_t disk_flush(struct vm *vm, uint32_t dev)
{
    struct vm_device *d = vm_dev(vm, dev, MOTE_DEV_BLOCK);

    if (!d)
        return -MOTE_ENODEV;
    if (d->desc.flags & MOTE_DEV_RO)
        return 0;
    return fdatasync(d->fd) < 0 ? -MOTE_EIO : 0;
}

static int hc_block_io(struct vm *vm, void *arg, int write)
{
    struct mote_hc_block_io *a = arg;

    a->ret = disk_io(vm, a, write);
    return 0;
}

static int hc_block_read(struct vm *vm, void *arg)
{
    return hc_block_io(vm, arg, 0);
}

static int hc_block_write(struct vm *vm, void *arg)
{
    return hc_block_io(vm, arg, 1);
}

static int hc_block_flush(struct vm *vm, void *arg)
{
    struct mote_hc_block_io *a = arg;

    a->ret = disk_flush(vm, a->dev);
    return 0;
}

static int hc_block_info(struct vm *vm, void *arg)
{
    struct mote_hc_block_info *a = arg;
    struct vm_device *d = vm_dev(vm, a->dev, MOTE_DEV_BLOCK);

    if (!d) {
        a->ret = -MOTE_ENODEV;
        return 0;
    }
    a->flags = d->desc.flags;
    a->sector_size = d->desc.sector_size;
    a->sectors = d->desc.sectors;
    a->ret = 0;
    return 0;
}

/* The block hypercalls are registered at every boot, disks or not: with
 * none attached every one answers -MOTE_ENODEV. */
static const struct hc_def disk_hc[] = {
    { MOTE_HC_BLOCK_INFO, "block-info", sizeof(struct mote_hc_block_info),
      hc_block_info },
    { MOTE_HC_BLOCK_READ, "block-read", sizeof(struct mote_hc_block_io),
      hc_block_read },
    { MOTE_HC_BLOCK_WRITE, "block-write", sizeof(struct mote_hc_block_io),
      hc_block_write },
    { MOTE_HC_BLOCK_FLUSH, "block-flush", sizeof(struct mote_hc_block_io),
      hc_block_flush },
    { MOTE_HC_BLOCK_BATCH, "block-batch", sizeof(struct mote_hc_block_batch),
      hc_block_batch },
};

int disk_register(struct vm *vm)
{
    int rc = hc_register_all(vm, disk_hc, sizeof(disk_hc) / sizeof(disk_hc[0]));

    return rc < 0 ? err_set(-rc, "cannot register the block hypercalls") : 0;
}

static int open_disk(const char *path, int ro, uint64_t *size)
{
    struct stat st;
    int fd = fileio_open_regular(path, ro ? O_RDONLY : O_RDWR, &st);

    if (fd < 0) {
        char what[PATH_MAX + 8];

        snprintf(what, sizeof(what), "disk %s", path);
        return err_prefix(fd, what);
    }
    if (st.st_size == 0 || st.st_size % DISK_SECTOR) {
        close(fd);
        return err_set(EINVAL,
                       "disk %s: size %lld is not a positive "
                       "multiple of %d bytes",
                       path, (long long)st.st_size, DISK_SECTOR);
    }
    *size = (uint64_t)st.st_size;
    return fd;
}

int disk_attach(struct vm *vm, const char *name, const char *path, int ro)
{
    uint64_t size = 0;
    int fd, idx, rc;

    if ((fd = open_disk(path, ro, &size)) < 0)
        return fd;
    if ((rc = disk_lock(fd, path, ro)) < 0) {
        close(fd);
        return rc;
    }
    idx = vm_dev_add(vm, MOTE_DEV_BLOCK, name, fd);
    if (idx < 0) {
        close(fd);
        return err_set(-idx, "disk %s: cannot add device '%s': %s", path, name,
                       strerror(-idx));
    }
    vm->dev[idx].desc.flags = ro ? MOTE_DEV_RO : 0;
    vm->dev[idx].desc.sector_size = DISK_SECTOR;
    vm->dev[idx].desc.sectors = size / DISK_SECTOR;
    return idx;
}

static int disk_flag(struct devspec *d, const char *flag)
{
    if (strcmp(flag, "ro") != 0)
        return err_set(EINVAL, "--disk: unknown flag '%s' (want ro)", flag);
    d->flags |= MOTE_DEV_RO;
    return 0;
}

static int disk_attach_spec(struct vm *vm, const struct devspec *d)
{
    return disk_attach(vm, d->name, d->target, (d->flags & MOTE_DEV_RO) != 0);
}

/* A restored guest's disk: the size and mode it had. */
static int disk_restore(struct vm_device *d, const struct mote_device *w)
{
    if (d->desc.sectors == w->sectors &&
        d->desc.sector_size == w->sector_size && d->desc.flags == w->flags)
        return 0;
    return err_set(EPERM,
                   "disk '%s' changed since the snapshot (%llu sectors%s, "
                   "was %llu%s)",
                   d->desc.name, (unsigned long long)d->desc.sectors,
                   d->desc.flags & MOTE_DEV_RO ? ", ro" : "",
                   (unsigned long long)w->sectors,
                   w->flags & MOTE_DEV_RO ? ", ro" : "");
}

DEV_KIND(disk) = {
    .id = MOTE_DEV_BLOCK,
    .keyword = "disk",
    .short_opt = 'd',
    .noun = "disk",
    .target = "FILE",
    .help =
        "  -d, --disk NAME=FILE[,ro]\n"
        "                   attach FILE as block device NAME (read-only with\n"
        "                   ro); the file is locked while the guest runs\n",
    .manifest_flags = MOTE_DEV_RO,
    .hc = disk_hc,
    .nhc = sizeof(disk_hc) / sizeof(disk_hc[0]),
    .flag = disk_flag,
    .attach = disk_attach_spec,
    .restore = disk_restore,
};
