/* Dropping what the monitor does not need once the guest is set up
 * (sandbox.h). */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "err.h"
#include "sandbox.h"

int sandbox_keep(struct sandbox *sb, int fd)
{
    if (fd < 0)
        return 0;
    if (sb->nkeep == SANDBOX_KEEP_MAX)
        return -ENOSPC;
    sb->keep[sb->nkeep++] = fd;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

int sandbox_fds(const struct sandbox *sb)
{
    int keep[SANDBOX_KEEP_MAX + 1];
    unsigned n = sb->nkeep;
    unsigned lo = 3;
    struct rlimit r;

    memcpy(keep, sb->keep, n * sizeof(int));
    qsort(keep, n, sizeof(int), cmp_int);
    for (unsigned i = 0; i < n; i++) {
        if ((unsigned)keep[i] > lo)
            close_range(lo, (unsigned)keep[i] - 1, 0);
        if ((unsigned)keep[i] + 1 > lo)
            lo = (unsigned)keep[i] + 1;
    }
    close_range(lo, ~0u, 0);
    r.rlim_cur = r.rlim_max = lo + sb->headroom;
    if (setrlimit(RLIMIT_NOFILE, &r) < 0)
        return err_set(errno, "sandbox: RLIMIT_NOFILE: %s", strerror(errno));
    return 0;
}

/* The bounding and ambient sets: only a process with CAP_SETPCAP may
 * shrink the first (a user's has no capability to use anyway). */
static int drop_bounding(void)
{
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    for (int cap = 0; cap <= 63; cap++)
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
            prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            return errno == EPERM ? 0 : -errno;
    return 0;
}

/* Effective, permitted and inheritable: all empty (setuid() to a user
 * clears them already; a monitor that stays uid 0 needs this). */
static int drop_caps(void)
{
    struct __user_cap_header_struct h = { .version =
                                              _LINUX_CAPABILITY_VERSION_3 };
    struct __user_cap_data_struct d[2];

    memset(d, 0, sizeof(d));
    return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

static int become(const struct sandbox *sb)
{
    if (!sb->change)
        return 0;
    if (geteuid() == 0 && setgroups(0, NULL) < 0)
        return -errno;
    if (setgid(sb->gid) < 0 || setuid(sb->uid) < 0)
        return -errno;
    return 0;
}

int sandbox_privs(const struct sandbox *sb)
{
    struct rlimit core = { 0, 0 };
    int rc;

    if (setrlimit(RLIMIT_CORE, &core) < 0)
        return err_set(errno, "sandbox: RLIMIT_CORE: %s", strerror(errno));
    if ((rc = drop_bounding()) < 0)
        return err_set(-rc,
                       "sandbox: cannot drop the capability bounding "
                       "set: %s",
                       strerror(-rc));
    if ((rc = become(sb)) < 0)
        return err_set(-rc, "sandbox: cannot become user %u, group %u: %s",
                       (unsigned)sb->uid, (unsigned)sb->gid, strerror(-rc));
    if ((rc = drop_caps()) < 0)
        return err_set(-rc, "sandbox: cannot clear the capabilities: %s",
                       strerror(-rc));
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return err_set(errno, "sandbox: no_new_privs: %s", strerror(errno));
    return 0;
}
