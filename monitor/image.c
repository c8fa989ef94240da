/* Reading an image file whole into monitor memory, once. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "boot.h"
#include "err.h"
#include "fileio.h"

static int read_all(int fd, uint8_t *buf, size_t len, const char *path)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return err_set(errno, "%s: read failed: %s", path, strerror(errno));
        if (n == 0)
            return err_set(EIO, "%s: file shrank while being read", path);
        done += (size_t)n;
    }
    return 0;
}

int image_read(const char *path, uint64_t max, uint8_t **buf, size_t *len)
{
    struct stat st;
    int fd, rc;

    fd = fileio_open_regular(path, O_RDONLY, &st);
    if (fd < 0)
        return err_prefix(fd, path);
    if ((uint64_t)st.st_size > max) {
        rc = err_set(EFBIG, "%s: too large for guest memory (%lld bytes)", path,
                     (long long)st.st_size);
        goto out;
    }
    *len = (size_t)st.st_size;
    *buf = malloc(*len ? *len : 1);
    if (!*buf) {
        rc = err_set(ENOMEM, "%s: out of memory", path);
        goto out;
    }
    rc = read_all(fd, *buf, *len, path);
    if (rc < 0) {
        free(*buf);
        *buf = NULL;
    }
out:
    close(fd);
    return rc;
}
