/* Regular files only, opened without blocking (fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fileio.h"

static const char *kind(mode_t m)
{
    return S_ISDIR(m)    ? "a directory"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a file";
}

int fileio_open_regular(const char *path, int flags, struct stat *st)
{
    int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC), e;

    if (fd < 0)
        return err_set(errno, "%s", strerror(errno));
    if (fstat(fd, st) < 0) {
        e = errno;
        close(fd);
        return err_set(e, "%s", strerror(e));
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return err_set(EINVAL, "not a regular file: %s", kind(st->st_mode));
    }
    if (fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        e = errno;
        close(fd);
        return err_set(e, "%s", strerror(e));
    }
    return fd;
}

int fileio_read_small(const char *path, size_t max, uint8_t **buf, size_t *len)
{
    struct stat st;
    size_t done = 0;
    int fd = fileio_open_regular(path, O_RDONLY, &st), rc = 0;

    if (fd < 0)
        return err_prefix(fd, path);
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return err_set(EFBIG, "%s: %lld bytes, more than the %zu allowed", path,
                       (long long)st.st_size, max);
    }
    if (!(*buf = malloc((size_t)st.st_size + 1))) {
        close(fd);
        return err_set(ENOMEM, "%s: out of memory", path);
    }
    while (done < (size_t)st.st_size) {
        ssize_t n = read(fd, *buf + done, (size_t)st.st_size - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? err_set(errno, "%s: %s", path, strerror(errno))
                       : err_set(EIO, "%s: file shrank while being read", path);
            break;
        }
        done += (size_t)n;
    }
    close(fd);
    if (rc < 0) {
        free(*buf);
        *buf = NULL;
        return rc;
    }
    (*buf)[done] = '\0';
    *len = done;
    return 0;
}
