/*
 * The file tree: one in-memory tree of nodes holding the bundled files
 * (read-only, in the image), /dev (the disks and a few character devices)
 * and /tmp (writable, in memory). Paths are resolved lexically: ".." of
 * the root is the root, and there are no links.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"

static struct node root = { .name = "/", .kind = NODE_DIR, .ino = 1 };
static struct node *cwd = &root;
static uint64_t next_ino = 2;

struct node *vfs_root(void)
{
    return &root;
}

static struct node *child(struct node *dir, const char *name, size_t len)
{
    for (struct node *c = dir->child; c; c = c->next)
        if (strlen(c->name) == len && !memcmp(c->name, name, len))
            return c;
    return NULL;
}

struct node *vfs_create(struct node *dir, const char *name, enum node_kind kind,
                        int *err)
{
    struct node *n;
    size_t len = strlen(name);

    if (len == 0 || len > NAME_MAX) {
        *err = len ? -ENAMETOOLONG : -ENOENT;
        return NULL;
    }
    if (!(n = calloc(1, sizeof(*n)))) {
        *err = -ENOMEM;
        return NULL;
    }
    memcpy(n->name, name, len + 1);
    n->kind = kind;
    n->writable = dir->writable;
    n->ino = next_ino++;
    n->parent = dir;
    n->next = dir->child;
    n->mtime = (int64_t)(os_realtime_ns() / 1000000000ULL);
    dir->child = n;
    return n;
}

static void free_node(struct node *n)
{
    if (n->kind == NODE_MEM)
        free(n->data);
    free(n);
}

/* Take n out of its directory's list of children. */
static void detach(struct node *n)
{
    struct node **p = &n->parent->child;

    while (*p && *p != n)
        p = &(*p)->next;
    if (*p)
        *p = n->next;
}

void vfs_unlink(struct node *n)
{
    detach(n);
    n->removed = 1;
    if (!n->refs)
        free_node(n);
}

void vfs_put(struct node *n)
{
    if (--n->refs == 0 && n->removed)
        free_node(n);
}

static struct node *start_dir(int dirfd, const char *path, int *err)
{
    struct file *f;

    if (path[0] == '/' || dirfd == AT_FDCWD)
        return path[0] == '/' ? &root : cwd;
    if (!(f = fd_get(dirfd))) {
        *err = -EBADF;
        return NULL;
    }
    if (f->node->kind != NODE_DIR) {
        *err = -ENOTDIR;
        return NULL;
    }
    return f->node;
}

/* Walk one component [s, s + len) from *dir; 0 or -errno. */
static int step(struct node **dir, const char *s, size_t len)
{
    struct node *c;

    if ((*dir)->kind != NODE_DIR)
        return -ENOTDIR;
    if (len > NAME_MAX)
        return -ENAMETOOLONG;
    if (len == 1 && s[0] == '.')
        return 0;
    if (len == 2 && s[0] == '.' && s[1] == '.') {
        if ((*dir)->parent)
            *dir = (*dir)->parent;
        return 0;
    }
    if (!(c = child(*dir, s, len)))
        return -ENOENT;
    *dir = c;
    return 0;
}

struct node *vfs_lookup(int dirfd, const char *path, struct node **parent,
                        const char **last, int *err)
{
    struct node *dir;
    const char *s = path, *e;
    size_t plen = strnlen(path, PATH_MAX);

    *err = 0;
    *last = NULL;
    if (plen == PATH_MAX)
        return *err = -ENAMETOOLONG, NULL;
    if (plen == 0)
        return *err = -ENOENT, NULL;
    if (!(dir = start_dir(dirfd, path, err)))
        return NULL;
    for (;;) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        for (e = s; *e && *e != '/'; e++)
            ;
        *parent = dir;
        *last = s;
        if ((*err = step(&dir, s, (size_t)(e - s))) < 0) {
            const char *rest = e;

            while (*rest == '/')
                rest++;
            if (*err != -ENOENT || *rest) /* not just the last missing */
                *last = NULL;
            return NULL;
        }
        s = e;
    }
    *parent = dir->parent ? dir->parent : dir;
    if (path[plen - 1] == '/' && dir->kind != NODE_DIR)
        return *err = -ENOTDIR, NULL;
    return dir;
}

/* A copy of the last component (up to a slash), for creation. */
static int last_name(const char *last, char *out)
{
    size_t n = strcspn(last, "/");

    if (n > NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(out, last, n);
    out[n] = 0;
    if (!strcmp(out, ".") || !strcmp(out, ".."))
        return -EEXIST;
    return 0;
}

/* Make every directory of path and the leaf; the leaf node or NULL. */
static struct node *make_path(const char *path, enum node_kind kind)
{
    struct node *dir = &root, *c;
    const char *s = path, *e;
    int err;

    for (;;) {
        while (*s == '/')
            s++;
        for (e = s; *e && *e != '/'; e++)
            ;
        if (e == s || (size_t)(e - s) > NAME_MAX)
            return NULL;
        c = child(dir, s, (size_t)(e - s));
        if (!c) {
            char name[NAME_MAX + 1];

            memcpy(name, s, (size_t)(e - s));
            name[e - s] = 0;
            c = vfs_create(dir, name, *e ? NODE_DIR : kind, &err);
            if (!c)
                return NULL;
        } else if (!*e || c->kind != NODE_DIR) {
            return NULL; /* already there, or a file on the way */
        }
        if (!*e)
            return c;
        dir = c;
        s = e;
    }
}

int vfs_add_rom(const char *path, const void *data, uint64_t size)
{
    struct node *n = make_path(path, NODE_ROM);

    if (!n)
        return -EEXIST;
    n->data = (unsigned char *)data;
    n->size = size;
    return 0;
}

int vfs_add_dev(const char *name, enum node_kind kind, unsigned dev)
{
    char path[NAME_MAX + 8] = "dev/";
    struct node *n;

    if (strlen(name) > NAME_MAX)
        return -ENAMETOOLONG;
    strcat(path, name);
    if (!(n = make_path(path, kind)))
        return -EEXIST;
    n->dev = dev;
    return 0;
}

int vfs_init(void)
{
    struct node *tmp = make_path("tmp", NODE_DIR);

    if (!tmp)
        return -ENOMEM;
    tmp->writable = 1;
    tmp->mode = 01777;
    return 0;
}

int vfs_name_of(const char *last, char *out)
{
    return last_name(last, out);
}

void vfs_set_cwd(struct node *n)
{
    cwd = n;
}

struct node *vfs_cwd(void)
{
    return cwd;
}

long vfs_move(struct node *n, struct node *dir, const char *name)
{
    detach(n);
    strcpy(n->name, name);
    n->parent = dir;
    n->next = dir->child;
    dir->child = n;
    return 0;
}
