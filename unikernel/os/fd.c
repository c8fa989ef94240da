/* File descriptors and the system calls that take one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "os.h"

#define FD_MAX 256

static struct file *fds[FD_MAX];

struct file *fd_get(int fd)
{
    return fd >= 0 && fd < FD_MAX ? fds[fd] : NULL;
}

int fd_install(struct file *f, int min)
{
    for (int fd = min < 0 ? 0 : min; fd < FD_MAX; fd++)
        if (!fds[fd]) {
            fds[fd] = f;
            f->refs++;
            return fd;
        }
    return -EMFILE;
}

struct file *file_new(struct node *n, int flags)
{
    struct file *f = calloc(1, sizeof(*f));

    if (!f)
        return NULL;
    f->ops = fs_ops(n->kind);
    f->node = n;
    f->flags = flags;
    f->seekable = n->kind != NODE_CHR;
    n->refs++;
    return f;
}

void file_put(struct file *f)
{
    if (--f->refs)
        return;
    if (f->ops->release)
        f->ops->release(f);
    vfs_put(f->node);
    free(f);
}

static int can(const struct file *f, int wr)
{
    int acc = f->flags & O_ACCMODE;

    return wr ? acc != O_RDONLY : acc != O_WRONLY;
}

/* One read or write at off (the file position when off < 0). */
static long rw(int fd, void *buf, size_t len, long long off, int wr)
{
    struct file *f = fd_get(fd);
    uint64_t at;
    long n;

    if (!f || !can(f, wr))
        return -EBADF;
    if (f->node->kind == NODE_DIR)
        return -EISDIR;
    if (off >= 0 && !f->seekable)
        return -ESPIPE;
    if (len > 0x7ffff000)
        len = 0x7ffff000;
    at = off >= 0 ? (uint64_t)off : f->pos;
    if (wr && off < 0 && (f->flags & O_APPEND))
        at = f->node->size;
    n = wr ? f->ops->write(f, buf, len, at) : f->ops->read(f, buf, len, at);
    if (n > 0 && off < 0)
        f->pos = at + (uint64_t)n;
    return n;
}

long sys_read(const long *a)
{
    return rw((int)a[0], (void *)a[1], (size_t)a[2], -1, 0);
}

long sys_write(const long *a)
{
    return rw((int)a[0], (void *)a[1], (size_t)a[2], -1, 1);
}

long sys_pread64(const long *a)
{
    return a[3] < 0 ? -EINVAL
                    : rw((int)a[0], (void *)a[1], (size_t)a[2], a[3], 0);
}

long sys_pwrite64(const long *a)
{
    return a[3] < 0 ? -EINVAL
                    : rw((int)a[0], (void *)a[1], (size_t)a[2], a[3], 1);
}

/* A whole vector in one call of the file's rwv (disks: one batch). */
static long rwv_at_once(struct file *f, const struct iovec *iov, int cnt,
                        long long off, int wr)
{
    uint64_t at = off >= 0 ? (uint64_t)off : f->pos;
    long n;

    if (wr && off < 0 && (f->flags & O_APPEND))
        at = f->node->size;
    n = f->ops->rwv(f, iov, cnt, at, wr);
    if (n > 0 && off < 0)
        f->pos = at + (uint64_t)n;
    return n;
}

/* readv and writev (off < 0: at the file position), preadv and pwritev. */
static long rwv(const long *a, long long off, int wr)
{
    const struct iovec *iov = (const void *)a[1];
    struct file *f = fd_get((int)a[0]);
    long total = 0;

    if (a[2] < 0 || a[2] > 1024)
        return -EINVAL;
    if (f && can(f, wr) && f->ops->rwv && (off < 0 || f->seekable)) {
        long n = rwv_at_once(f, iov, (int)a[2], off, wr);

        if (n != -EOPNOTSUPP)
            return n;
    }
    for (long i = 0; i < a[2]; i++) {
        long n;

        if (iov[i].iov_len == 0)
            continue;
        n = rw((int)a[0], iov[i].iov_base, iov[i].iov_len,
               off < 0 ? -1 : off + total, wr);
        if (n < 0)
            return total ? total : n;
        total += n;
        if ((size_t)n < iov[i].iov_len)
            break;
    }
    return total;
}

long sys_readv(const long *a)
{
    return rwv(a, -1, 0);
}

long sys_writev(const long *a)
{
    return rwv(a, -1, 1);
}

/* On 64-bit Linux the offset is whole in a[3] (a[4]: its high half, 0). */
long sys_preadv(const long *a)
{
    return a[3] < 0 ? -EINVAL : rwv(a, a[3], 0);
}

long sys_pwritev(const long *a)
{
    return a[3] < 0 ? -EINVAL : rwv(a, a[3], 1);
}

long sys_lseek(const long *a)
{
    struct file *f = fd_get((int)a[0]);
    long long base;

    if (!f)
        return -EBADF;
    if (!f->seekable)
        return -ESPIPE;
    switch (a[2]) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (long long)f->pos; break;
    case SEEK_END:
        base = (long long)f->node->size;
        if (f->node->kind == NODE_DISK)
            base = (long long)os_disk_size(f->node->dev);
        break;
    default: return -EINVAL;
    }
    if ((a[1] < 0 && base + a[1] < 0) || (a[1] > 0 && base + a[1] < base))
        return -EINVAL;
    f->pos = (uint64_t)(base + a[1]);
    return (long)f->pos;
}

long sys_close(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    if (!f)
        return -EBADF;
    fds[a[0]] = NULL;
    file_put(f);
    return 0;
}

long sys_fstat(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    if (!f)
        return -EBADF;
    vfs_stat(f->node, (struct stat *)a[1]);
    return 0;
}

long sys_dup(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    return f ? fd_install(f, 0) : -EBADF;
}

long sys_dup3(const long *a)
{
    struct file *f = fd_get((int)a[0]), *old;

    if (!f || a[1] < 0 || a[1] >= FD_MAX)
        return -EBADF;
    if (a[0] == a[1] || (a[2] & ~O_CLOEXEC))
        return -EINVAL;
    old = fds[a[1]];
    fds[a[1]] = f;
    f->refs++;
    if (old)
        file_put(old);
    return a[1];
}

long sys_fcntl(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    if (!f)
        return -EBADF;
    switch (a[1]) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: return fd_install(f, (int)a[2]);
    case F_GETFD:
    case F_SETFD:
        return 0; /* nothing is ever executed: close-on-exec is moot */
    case F_GETFL: return f->flags;
    case F_SETFL:
        f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) |
                   (int)(a[2] & (O_APPEND | O_NONBLOCK));
        return 0;
    }
    return -EINVAL;
}

long sys_ioctl(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    if (!f)
        return -EBADF;
    if (f->node->kind == NODE_CHR && f->node->dev == CHR_CONSOLE &&
        a[1] == TIOCGWINSZ) { /* a terminal: stdio buffers by line */
        struct winsize *w = (void *)a[2];

        *w = (struct winsize){ .ws_row = 24, .ws_col = 80 };
        return 0;
    }
    return -ENOTTY;
}

long sys_fsync(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    return f ? f->ops->sync(f) : -EBADF;
}

long sys_ftruncate(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    if (!f || !can(f, 1))
        return f ? -EINVAL : -EBADF;
    return a[1] < 0 ? -EINVAL : f->ops->truncate(f, (uint64_t)a[1]);
}

/* One linux_dirent64 record (struct dirent's layout); its size or 0. */
static size_t dirent_put(void *buf, size_t room, uint64_t ino, uint64_t off,
                         unsigned char type, const char *name)
{
    struct dirent *d = buf;
    size_t len = strlen(name);
    size_t size = (offsetof(struct dirent, d_name) + len + 1 + 7) & ~7UL;

    if (size > room)
        return 0;
    d->d_ino = ino;
    d->d_off = (off_t)off;
    d->d_reclen = (unsigned short)size;
    d->d_type = type;
    memcpy(d->d_name, name, len + 1);
    return size;
}

static unsigned char dtype(const struct node *n)
{
    static const unsigned char t[] = {
        [NODE_DIR] = DT_DIR,  [NODE_MEM] = DT_REG, [NODE_ROM] = DT_REG,
        [NODE_DISK] = DT_BLK, [NODE_CHR] = DT_CHR, [NODE_SOCK] = DT_SOCK,
    };

    return t[n->kind];
}

/* A directory's position counts entries: ".", "..", then its children. */
long sys_getdents64(const long *a)
{
    struct file *f = fd_get((int)a[0]);
    unsigned char *buf = (void *)a[1];
    size_t room = (size_t)a[2], used = 0, put;
    struct node *dir, *c;
    uint64_t i = 0;

    if (!f)
        return -EBADF;
    if ((dir = f->node)->kind != NODE_DIR)
        return -ENOTDIR;
    for (c = dir->child;; i++) {
        const struct node *n = i == 0 ? dir : i == 1 ? dir->parent : c;

        if (i >= 2 && !c)
            break;
        if (i >= f->pos) {
            put = dirent_put(buf + used, room - used, (n ? n : dir)->ino, i + 1,
                             i < 2 ? DT_DIR : dtype(c),
                             i == 0   ? "."
                             : i == 1 ? ".."
                                      : c->name);
            if (!put)
                return used ? (long)used : -EINVAL;
            used += put;
            f->pos = i + 1;
        }
        if (i >= 2)
            c = c->next;
    }
    return (long)used;
}
