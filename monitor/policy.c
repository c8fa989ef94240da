/* The site policy file, and the floors it and the host's board set. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "policy.h"

#define POLICY_MAX 4096

static int policy_key(char *key, char *v, void *ctx)
{
    struct policy *p = ctx;
    struct board b;

    if (!strcmp(key, "allow-unsigned"))
        return board_parse_yesno(v, &p->lim.allow_unsigned);
    if (!strcmp(key, "mem-max"))
        return board_parse_mem(v, &p->lim.mem_max);
    if (!strcmp(key, "cpus"))
        return board_parse_cpus(v, &p->lim.cpus);
    if (!strcmp(key, "console-rate-max"))
        return board_parse_rate(v, &p->lim.console_rate_max);
    if (!strcmp(key, "board")) {
        if (strlen(v) >= sizeof(p->board) || board_by_name(v, &b) < 0)
            return -EINVAL;
        strcpy(p->board, v);
        return 0;
    }
    return -ENOENT;
}

int policy_parse(const char *text, const char *origin, struct policy *p)
{
    p->lim = (struct board_limits){ .allow_unsigned = 1 };
    p->board[0] = '\0';
    return board_lines(text, origin, policy_key, p);
}

int policy_check_stat(const struct stat *st, const char *path, int is_dir)
{
    const char *what = is_dir ? "the folder" : "the site policy";

    if (is_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
        return err_set(EPERM, "%s %s: not a %s", what, path,
                       is_dir ? "folder" : "regular file");
    if (st->st_uid != 0)
        return err_set(EPERM,
                       "%s %s is owned by uid %u: it must be owned by root "
                       "(see boards/README.md)",
                       what, path, (unsigned)st->st_uid);
    /* A sticky folder (/tmp) lets no one else rename what root owns. */
    if (st->st_mode & 022 && !(is_dir && st->st_mode & S_ISVTX))
        return err_set(EPERM,
                       "%s %s has mode %04o: it must not be writable by "
                       "group or others (see boards/README.md)",
                       what, path, (unsigned)(st->st_mode & 07777));
    return 0;
}

/* Every folder from path's own up to / must be safe from other users. */
static int check_folders(const char *path)
{
    char dir[PATH_MAX], *real, *slash;
    struct stat st;
    int rc = 0;

    if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
        return err_set(ENAMETOOLONG, "%s: path too long", path);
    slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else
        slash[slash == dir] = '\0'; /* "/policy": keep the root */
    if (!(real = realpath(dir, NULL)))
        return err_set(errno, "%s: %s", dir, strerror(errno));
    for (;;) {
        if (stat(real, &st) < 0) {
            rc = err_set(errno, "%s: %s", real, strerror(errno));
            break;
        }
        if ((rc = policy_check_stat(&st, real, 1)) < 0 || !strcmp(real, "/"))
            break;
        slash = strrchr(real, '/');
        slash[slash == real] = '\0';
    }
    free(real);
    return rc;
}

/* Read the open policy file fd whole into text[0, size), NUL-terminated. */
static int read_text(int fd, const char *path, char *text, size_t size)
{
    size_t n = 0;

    for (;;) {
        ssize_t k = read(fd, text + n, size - 1 - n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return err_set(errno, "cannot read the site policy %s: %s", path,
                           strerror(errno));
        if (k == 0)
            break;
        n += (size_t)k;
        if (n == size - 1)
            return err_set(EFBIG, "the site policy %s is too long", path);
    }
    text[n] = '\0';
    if (strlen(text) != n)
        return err_set(EINVAL, "the site policy %s is not a text file", path);
    return 0;
}

static int open_policy(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

    if (fd >= 0)
        return fd;
    if (errno == ENOENT || errno == ENOTDIR)
        return -ENOENT;
    if (errno == ELOOP)
        return err_set(EPERM,
                       "the site policy %s is a symbolic link: it must be "
                       "a regular file owned by root",
                       path);
    return err_set(errno,
                   "cannot read the site policy %s: %s (every user of "
                   "mote must be able to read it: mode 0644)",
                   path, strerror(errno));
}

int policy_load(const char *path, struct policy *p)
{
    char text[POLICY_MAX];
    struct stat st;
    int fd, rc;

    memset(p, 0, sizeof(*p));
    p->lim.allow_unsigned = 1;
    snprintf(p->origin, sizeof(p->origin), "the site policy %s", path);
    if ((fd = open_policy(path)) == -ENOENT)
        return 0;
    if (fd < 0)
        return fd;
    if (fstat(fd, &st) < 0)
        rc = err_set(errno, "%s: %s", path, strerror(errno));
    else if ((rc = policy_check_stat(&st, path, 0)) == 0 &&
             (rc = check_folders(path)) == 0 &&
             (rc = read_text(fd, path, text, sizeof(text))) == 0)
        rc = policy_parse(text, path, p);
    close(fd);
    p->present = rc == 0;
    return rc;
}

/* The host's board: the one the site policy names, else detected. */
static int host_board(const struct board_request *r, const struct policy *p,
                      const char *arch, struct board *b, char *why,
                      size_t why_size)
{
    int rc;

    if (!p->board[0])
        return board_detect_at(r->root, arch, b, why, why_size);
    if ((rc = board_by_name(p->board, b)) < 0)
        return rc;
    if (strcmp(b->arch, arch))
        return err_set(EINVAL, "%s names board %s, which is for %s hosts",
                       p->origin, b->name, b->arch);
    snprintf(why, why_size, "board %s: named by %s", b->name, p->origin);
    return 0;
}

int policy_board(const struct board_request *r, const char *arch,
                 struct board *b, char *why, size_t why_size)
{
    struct board host;
    struct board_limits l;
    struct policy p;
    char by[64], hwhy[200];
    int rc;

    if ((rc = policy_load(r->policy, &p)) < 0 ||
        (rc = host_board(r, &p, arch, &host, hwhy, sizeof(hwhy))) < 0)
        return rc;
    if (r->board) {
        if ((rc = board_select(r->board, arch, b)) < 0)
            return rc;
        snprintf(by, sizeof(by), "this host's board %s", host.name);
        board_limits_of(&host, &l);
        if ((rc = board_limit(b, &l, by)) < 0)
            return rc;
        snprintf(why, why_size, "board %s: chosen with --board, within %s",
                 b->name, by);
    } else {
        *b = host;
        snprintf(why, why_size, "%s", hwhy);
    }
    if (p.present) {
        if ((rc = board_limit(b, &p.lim, p.origin)) < 0)
            return rc;
        snprintf(why + strlen(why), why_size - strlen(why), ", and %s",
                 p.origin);
    }
    if (r->allow_unsigned && !b->allow_unsigned)
        return err_set(EPERM, "%s forbids --allow-unsigned", b->unsigned_by);
    return 0;
}
