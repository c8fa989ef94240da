/* The container process into the cgroup the engine named (config.json's
 * linux.cgroupsPath), with its memory and pids limits, so the engine's
 * accounting and limits hold for the monitor and its guest's memory.
 * cgroup v2 (unified), or v1 hierarchies joined one by one. The
 * directories joined are listed in the state directory's "cgroups" file,
 * and delete removes them (as runc does; their parents are the engine's). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "err.h"
#include "oci.h"

#define CG "/sys/fs/cgroup"
#define LIST "cgroups"

static int put(const char *dir, const char *file, const char *val)
{
    char path[PATH_MAX + 64];
    int fd, rc = 0;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
        return -errno;
    if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
        rc = -errno;
    close(fd);
    return rc;
}

/* mkdir -p base/rel; with v2, each level's parent hands down the memory
 * and pids controllers (best effort: a parent may not have them). */
static int make(const char *base, const char *rel, int v2)
{
    char path[PATH_MAX], parent[PATH_MAX];
    const char *p = rel;

    snprintf(parent, sizeof(parent), "%s", base);
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);

        if (n && snprintf(path, sizeof(path), "%s/%.*s", parent, (int)n, p) <
                     (int)sizeof(path)) {
            if (v2) {
                put(parent, "cgroup.subtree_control", "+memory");
                put(parent, "cgroup.subtree_control", "+pids");
            }
            if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
            snprintf(parent, sizeof(parent), "%s", path);
        }
        p += n + (slash != NULL);
    }
    return 0;
}

/* systemd's slice:prefix:name into a path: a-b.slice is a.slice/a-b.slice
 * (the directories systemd would make; systemd itself is not asked). */
static int systemd_path(const char *s, char *out, size_t n)
{
    char slice[256], prefix[256], name[256];
    size_t used = 0, len;

    if (sscanf(s, "%255[^:]:%255[^:]:%255s", slice, prefix, name) != 3)
        return -EINVAL;
    len = strlen(slice);
    if (len < 6 || strcmp(slice + len - 6, ".slice") != 0)
        return -EINVAL;
    len -= 6;
    out[0] = 0;
    for (size_t i = 0; strcmp(slice, "-.slice") != 0 && i <= len; i++)
        if ((i == len || slice[i] == '-') && used < n)
            used += (size_t)snprintf(out + used, n - used, "%.*s.slice/",
                                     (int)i, slice);
    if (used >= n)
        return -ENAMETOOLONG;
    used += (size_t)snprintf(out + used, n - used, "%s-%s.scope", prefix, name);
    return used < n ? 0 : -ENAMETOOLONG;
}

/* Append the joined directory to the state directory's list. */
static int record(const char *state, const char *dir)
{
    char path[PATH_MAX + 16];
    FILE *f;
    int rc;

    snprintf(path, sizeof(path), "%s/" LIST, state);
    if (!(f = fopen(path, "ae")))
        return -errno;
    rc = fprintf(f, "%s\n", dir) < 0 ? -EIO : 0;
    if (fclose(f) != 0 && rc == 0)
        rc = -errno;
    return rc;
}

static int join(const char *base, const char *rel, int v2, int is_mem,
                const struct oci_spec *s, pid_t pid, const char *state)
{
    char dir[PATH_MAX + 256], val[32];
    int rc;

    if ((rc = make(base, rel, v2)) < 0)
        return rc;
    snprintf(dir, sizeof(dir), "%s/%s", base, rel);
    if (s->mem_limit && (v2 || is_mem)) {
        snprintf(val, sizeof(val), "%llu", (unsigned long long)s->mem_limit);
        if ((rc = put(dir, v2 ? "memory.max" : "memory.limit_in_bytes", val)) <
            0)
            return rc;
    }
    if (s->pids_limit && (v2 || strstr(base, "pids"))) {
        snprintf(val, sizeof(val), "%lld", (long long)s->pids_limit);
        put(dir, "pids.max", val); /* no pids controller: no limit */
    }
    snprintf(val, sizeof(val), "%d", (int)pid);
    if ((rc = put(dir, "cgroup.procs", val)) < 0)
        return rc;
    return record(state, dir);
}

/* cgroup v1: every hierarchy under /sys/fs/cgroup but cpuset (which needs
 * its cpus and mems set first) and v2's "unified". */
static int join_v1(const char *rel, const struct oci_spec *s, pid_t pid,
                   const char *state)
{
    DIR *d = opendir(CG);
    struct dirent *e;
    char base[PATH_MAX], probe[PATH_MAX + 16];
    int rc = 0;

    if (!d)
        return -errno;
    while (rc == 0 && (e = readdir(d))) {
        struct stat st;

        if (e->d_name[0] == '.' || !strcmp(e->d_name, "unified") ||
            strstr(e->d_name, "cpuset"))
            continue;
        snprintf(base, sizeof(base), CG "/%s", e->d_name);
        snprintf(probe, sizeof(probe), "%s/cgroup.procs", base);
        if (lstat(base, &st) < 0 || !S_ISDIR(st.st_mode) ||
            access(probe, F_OK) < 0)
            continue;
        rc = join(base, rel, 0, strstr(e->d_name, "memory") != NULL, s, pid,
                  state);
    }
    closedir(d);
    return rc;
}

int oci_cgroup_join(const struct oci_opts *o, const struct oci_spec *s,
                    pid_t pid, const char *state)
{
    char rel[PATH_MAX];
    int rc;

    if (!s->cgroups_path || !s->cgroups_path[0])
        return 0;
    if (o->systemd_cgroup)
        rc = systemd_path(s->cgroups_path, rel, sizeof(rel));
    else
        rc = snprintf(rel, sizeof(rel), "%s",
                      s->cgroups_path + (s->cgroups_path[0] == '/')) <
                     (int)sizeof(rel)
                 ? 0
                 : -ENAMETOOLONG;
    if (rc < 0 || strstr(rel, "..") || strstr(rel, "//"))
        return err_set(EINVAL, "linux.cgroupsPath '%s': not a cgroup path%s",
                       s->cgroups_path,
                       o->systemd_cgroup ? " (want slice:prefix:name)" : "");
    rc = access(CG "/cgroup.controllers", F_OK) == 0
             ? join(CG, rel, 1, 1, s, pid, state)
             : join_v1(rel, s, pid, state);
    if (rc < 0)
        return err_set(-rc, "cgroup %s: %s", rel, strerror(-rc));
    return 0;
}

void oci_cgroup_remove(const char *state)
{
    char path[PATH_MAX + 16], line[PATH_MAX + 320];
    FILE *f;

    snprintf(path, sizeof(path), "%s/" LIST, state);
    if (!(f = fopen(path, "re")))
        return;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = 0;
        /* only what join wrote: a directory under CG, no way up */
        if (!strncmp(line, CG "/", sizeof(CG)) && !strstr(line, ".."))
            rmdir(line); /* still in use (EBUSY), gone: left as it is */
    }
    fclose(f);
    unlink(path);
}
