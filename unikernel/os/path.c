/* The system calls that take a path: open, stat, mkdir, unlink, rename. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/statfs.h>

#include "os.h"

/* Linked only with the network: see os.h. */
#pragma weak net_up

void vfs_stat(const struct node *n, struct stat *st)
{
    static const mode_t type[] = {
        [NODE_DIR] = S_IFDIR,  [NODE_MEM] = S_IFREG, [NODE_ROM] = S_IFREG,
        [NODE_DISK] = S_IFBLK, [NODE_CHR] = S_IFCHR, [NODE_SOCK] = S_IFSOCK,
    };
    mode_t perm = n->kind == NODE_DIR ? 0755 : 0444;

    if (n->writable)
        perm = n->parent && n->parent->writable ? n->mode : 01777;
    if (n->kind == NODE_DISK || n->kind == NODE_CHR || n->kind == NODE_SOCK)
        perm = n->kind == NODE_SOCK ? 0777 : 0666;
    memset(st, 0, sizeof(*st));
    st->st_ino = n->ino;
    st->st_mode = type[n->kind] | perm;
    st->st_nlink = n->kind == NODE_DIR ? 2 : 1;
    st->st_size =
        (off_t)(n->kind == NODE_DISK ? os_disk_size(n->dev) : n->size);
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t)((n->size + 511) / 512);
    st->st_mtim.tv_sec = st->st_atim.tv_sec = st->st_ctim.tv_sec = n->mtime;
    st->st_dev = 1;
}

static mode_t umask_bits = 022;

long sys_umask(const long *a)
{
    mode_t old = umask_bits;

    umask_bits = (mode_t)a[0] & 0777;
    return old;
}

static long set_mode(struct node *n, long mode)
{
    if (!n->writable || !n->parent || !n->parent->writable)
        return -EROFS;
    n->mode = (unsigned)mode & 07777;
    return 0;
}

long sys_fchmod(const long *a)
{
    struct file *f = fd_get((int)a[0]);

    return f ? set_mode(f->node, a[1]) : -EBADF;
}

long sys_fchmodat(const long *a)
{
    struct node *parent, *n;
    const char *last;
    int err;

    n = vfs_lookup((int)a[0], (const char *)a[1], &parent, &last, &err);
    return n ? set_mode(n, a[2]) : err;
}

/* A new file in parent, named by the component at last, with the
 * permissions mode less the umask. */
static struct node *create(struct node *parent, const char *last,
                           enum node_kind kind, long mode, int *err)
{
    char name[NAME_MAX + 1];
    struct node *n;

    if (!last)
        return NULL; /* a directory on the way is missing: *err is set */
    if ((*err = vfs_name_of(last, name)) < 0)
        return NULL;
    if (!parent->writable) {
        *err = -EROFS;
        return NULL;
    }
    if ((n = vfs_create(parent, name, kind, err)))
        n->mode = (unsigned)mode & 07777 & ~umask_bits;
    return n;
}

static long open_node(struct node *n, int flags)
{
    struct file *f;
    int fd, wr = (flags & O_ACCMODE) != O_RDONLY;

    if (n->kind == NODE_DIR && (wr || (flags & O_CREAT)))
        return -EISDIR;
    if ((flags & O_DIRECTORY) && n->kind != NODE_DIR)
        return -ENOTDIR;
    if (wr && (n->kind == NODE_ROM || (n->kind == NODE_MEM && !n->writable)))
        return -EROFS;
    if ((flags & O_TRUNC) && wr && n->kind == NODE_MEM)
        n->size = 0;
    if (!(f = file_new(n, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK))))
        return -ENOMEM;
    if ((fd = fd_install(f, 0)) < 0) {
        f->refs = 1;
        file_put(f);
    }
    return fd;
}

long sys_openat(const long *a)
{
    struct node *parent, *n;
    const char *last;
    int err, flags = (int)a[2];

    /* The C library's resolver reads /etc/resolv.conf before it makes its
     * first socket: bring the network up (which writes it) first. */
    if (net_up && !strcmp((const char *)a[1], "/etc/resolv.conf"))
        net_up();
    n = vfs_lookup((int)a[0], (const char *)a[1], &parent, &last, &err);
    if (n && (flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (!n && err == -ENOENT && (flags & O_CREAT)) {
        if (last && last[strcspn(last, "/")])
            return -EISDIR; /* "name/" cannot be a new file */
        n = create(parent, last, NODE_MEM, a[3], &err);
    }
    return n ? open_node(n, flags) : err;
}

long sys_newfstatat(const long *a)
{
    struct node *parent, *n;
    const char *last, *path = (const char *)a[1];
    int err;

    if (!path[0] && (a[3] & AT_EMPTY_PATH)) {
        long b[6] = { a[0], a[2] };

        return sys_fstat(b);
    }
    n = vfs_lookup((int)a[0], path, &parent, &last, &err);
    if (!n)
        return err;
    vfs_stat(n, (struct stat *)a[2]);
    return 0;
}

long sys_faccessat(const long *a)
{
    struct node *parent, *n;
    const char *last;
    int err;

    n = vfs_lookup((int)a[0], (const char *)a[1], &parent, &last, &err);
    if (!n)
        return err;
    if ((a[2] & W_OK) && !n->writable && n->kind != NODE_DISK &&
        n->kind != NODE_CHR)
        return -EROFS;
    if ((a[2] & X_OK) && n->kind != NODE_DIR)
        return -EACCES;
    return 0;
}

long sys_mkdirat(const long *a)
{
    struct node *parent, *n;
    const char *last;
    int err;

    n = vfs_lookup((int)a[0], (const char *)a[1], &parent, &last, &err);
    if (n)
        return -EEXIST;
    if (err != -ENOENT)
        return err;
    return create(parent, last, NODE_DIR, a[2], &err) ? 0 : err;
}

long sys_unlinkat(const long *a)
{
    struct node *parent, *n;
    const char *last;
    int err, rmdir = (int)(a[2] & AT_REMOVEDIR);

    n = vfs_lookup((int)a[0], (const char *)a[1], &parent, &last, &err);
    if (!n)
        return err;
    if (rmdir && n->kind != NODE_DIR)
        return -ENOTDIR;
    if (!rmdir && n->kind == NODE_DIR)
        return -EISDIR;
    if (n == vfs_root() || !parent->writable || !n->writable)
        return n == vfs_root() ? -EBUSY : -EROFS;
    if (rmdir && n->child)
        return -ENOTEMPTY;
    if (n == vfs_cwd())
        return -EBUSY;
    vfs_unlink(n);
    return 0;
}

/* Is a inside (or) b's subtree? */
static int within(const struct node *a, const struct node *b)
{
    for (; a; a = a->parent)
        if (a == b)
            return 1;
    return 0;
}

long sys_renameat(const long *a)
{
    struct node *op, *np, *from, *to;
    const char *ol, *nl;
    char name[NAME_MAX + 1];
    int err;

    if (!(from = vfs_lookup((int)a[0], (const char *)a[1], &op, &ol, &err)))
        return err;
    to = vfs_lookup((int)a[2], (const char *)a[3], &np, &nl, &err);
    if (!to && (err != -ENOENT || !nl))
        return err;
    if (!from->writable || !np->writable || from == vfs_root())
        return -EROFS;
    if (to == from)
        return 0;
    if (within(np, from))
        return -EINVAL;
    if (to && (to->kind == NODE_DIR) != (from->kind == NODE_DIR))
        return to->kind == NODE_DIR ? -EISDIR : -ENOTDIR;
    if (to && to->kind == NODE_DIR && to->child)
        return -ENOTEMPTY;
    if ((err = vfs_name_of(to ? to->name : nl, name)) < 0)
        return err;
    if (to)
        vfs_unlink(to);
    return vfs_move(from, np, name);
}

long sys_getcwd(const long *a)
{
    char path[PATH_MAX], *buf = (char *)a[0];
    size_t at = sizeof(path) - 1;

    path[at] = 0;
    for (struct node *n = vfs_cwd(); n->parent; n = n->parent) {
        size_t len = strlen(n->name);

        if (len + 1 > at)
            return -ENAMETOOLONG;
        at -= len;
        memcpy(path + at, n->name, len);
        path[--at] = '/';
    }
    if (at == sizeof(path) - 1)
        path[--at] = '/';
    if (sizeof(path) - at > (size_t)a[1])
        return -ERANGE;
    memcpy(buf, path + at, sizeof(path) - at);
    return (long)(sizeof(path) - at);
}

long sys_chdir(const long *a)
{
    struct node *parent, *n;
    const char *last;
    int err;

    if (!(n = vfs_lookup(AT_FDCWD, (const char *)a[0], &parent, &last, &err)))
        return err;
    if (n->kind != NODE_DIR)
        return -ENOTDIR;
    vfs_set_cwd(n);
    return 0;
}

long sys_readlinkat(const long *a)
{
    struct node *parent, *n;
    const char *last;
    int err;

    n = vfs_lookup((int)a[0], (const char *)a[1], &parent, &last, &err);
    return n ? -EINVAL : err; /* there are no links */
}

long sys_statfs(const long *a)
{
    struct statfs *s = (void *)a[1];

    memset(s, 0, sizeof(*s));
    s->f_type = 0x01021994; /* as tmpfs */
    s->f_bsize = 4096;
    s->f_namelen = NAME_MAX;
    return 0;
}
