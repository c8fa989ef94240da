/* Disk image files on the host: create, resize, inspect, lock. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "../monitor/err.h"
#include "devices.h"

/* Both kinds of lock Linux keeps apart: an open-file-description lock (as
 * QEMU takes: fcntl, OFD or not) and a flock(2) one (flock(1), many
 * tools); a holder of either is seen. */
int disk_lock(int fd, const char *path, int ro)
{
    struct flock fl = { .l_type = ro ? F_RDLCK : F_WRLCK,
                        .l_whence = SEEK_SET };

    if (fcntl(fd, F_OFD_SETLK, &fl) == 0) {
        if (flock(fd, (ro ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0)
            return 0;
        int e = errno;

        fl.l_type = F_UNLCK; /* neither, then */
        fcntl(fd, F_OFD_SETLK, &fl);
        errno = e;
    }
    if (errno == EAGAIN || errno == EACCES || errno == EWOULDBLOCK)
        return err_set(EBUSY,
                       "disk %s is in use by another program "
                       "(locked)",
                       path);
    return err_set(errno, "disk %s: cannot lock: %s", path, strerror(errno));
}

static int check_size(const char *path, uint64_t size)
{
    if (size == 0 || size % DISK_SECTOR)
        return err_set(EINVAL,
                       "disk %s: size must be a positive multiple "
                       "of %d bytes",
                       path, DISK_SECTOR);
    if (size > (uint64_t)INT64_MAX)
        return err_set(EFBIG, "disk %s: size too large", path);
    return 0;
}

int disk_create(const char *path, uint64_t size)
{
    int fd, rc;

    if ((rc = check_size(path, size)) < 0)
        return rc;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(errno, "disk %s: %s", path, strerror(errno));
    if (ftruncate(fd, (off_t)size) < 0) {
        rc = err_set(errno, "disk %s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return rc;
    }
    close(fd);
    return 0;
}

int disk_resize(const char *path, uint64_t size, int force)
{
    struct stat st;
    int fd, rc;

    if ((rc = check_size(path, size)) < 0)
        return rc;
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return err_set(errno, "disk %s: %s", path, strerror(errno));
    if ((rc = disk_lock(fd, path, 0)) < 0)
        goto out;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = err_set(EINVAL, "disk %s: not a regular file", path);
        goto out;
    }
    if (size < (uint64_t)st.st_size && !force) {
        rc = err_set(EPERM,
                     "disk %s: shrinking from %lld to %llu bytes "
                     "loses data; add --force",
                     path, (long long)st.st_size, (unsigned long long)size);
        goto out;
    }
    if (ftruncate(fd, (off_t)size) < 0)
        rc = err_set(errno, "disk %s: %s", path, strerror(errno));
out:
    close(fd);
    return rc;
}

int disk_stat(const char *path, struct disk_stat *ds)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return err_set(errno, "disk %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return err_set(EINVAL, "disk %s: not a regular file", path);
    ds->size = (uint64_t)st.st_size;
    ds->allocated = (uint64_t)st.st_blocks * 512;
    return 0;
}
