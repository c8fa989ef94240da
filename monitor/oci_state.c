/* A container's state directory, ROOT/ID: state.json (what create knew:
 * pid, its start time, bundle, annotations) and exec.fifo while the
 * container is created but not started. The status is read off the
 * process, never stored. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "err.h"
#include "fileio.h"
#include "oci.h"

int oci_id_ok(const char *id)
{
    size_t n = strlen(id);

    if (n == 0 || n > OCI_ID_MAX || !strcmp(id, ".") || !strcmp(id, ".."))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(id[i] >= 'a' && id[i] <= 'z') &&
            !(id[i] >= 'A' && id[i] <= 'Z') &&
            !(id[i] >= '0' && id[i] <= '9') && !strchr("_+-.", id[i]))
            return 0;
    return 1;
}

int oci_dir(const struct oci_opts *o, const char *id, char *out, size_t n)
{
    int k;

    if (!oci_id_ok(id))
        return err_set(EINVAL,
                       "container id '%.64s': want 1 to %d of A-Z a-z 0-9 "
                       "_ + - .",
                       id, OCI_ID_MAX);
    k = snprintf(out, n, "%s/%s", o->root, id);
    if (k < 0 || (size_t)k >= n)
        return err_set(ENAMETOOLONG, "--root %s: too long", o->root);
    return 0;
}

int oci_state_save(const char *dir, const struct oci_state *st)
{
    char path[PATH_MAX + 32], tmp[PATH_MAX + 32];
    json_t *o = json_pack("{s:s,s:i,s:I,s:s,s:s}", "id", st->id, "pid",
                          (int)st->pid, "start", (json_int_t)st->start,
                          "bundle", st->bundle, "created", st->created);
    int rc = 0;

    if (!o)
        return err_set(ENOMEM, "out of memory");
    if (st->annotations)
        json_object_set(o, "annotations", st->annotations);
    snprintf(path, sizeof(path), "%s/state.json", dir);
    snprintf(tmp, sizeof(tmp), "%s/state.json.new", dir);
    if (json_dump_file(o, tmp, JSON_COMPACT) < 0 || rename(tmp, path) < 0)
        rc = err_set(EIO, "%s: cannot write", path);
    json_decref(o);
    return rc;
}

static int state_parse(json_t *o, struct oci_state *st)
{
    const char *id = json_string_value(json_object_get(o, "id"));
    const char *b = json_string_value(json_object_get(o, "bundle"));
    const char *c = json_string_value(json_object_get(o, "created"));
    json_t *pid = json_object_get(o, "pid"),
           *start = json_object_get(o, "start");
    json_t *ann = json_object_get(o, "annotations");

    if (!id || !b || !c || !json_is_integer(pid) || !json_is_integer(start) ||
        json_integer_value(pid) < 1 || json_integer_value(pid) > 1 << 30 ||
        strlen(id) > OCI_ID_MAX || strlen(b) >= sizeof(st->bundle) ||
        strlen(c) >= sizeof(st->created) || (ann && !json_is_object(ann)))
        return -EINVAL;
    strcpy(st->id, id);
    strcpy(st->bundle, b);
    strcpy(st->created, c);
    st->pid = (pid_t)json_integer_value(pid);
    st->start = (unsigned long long)json_integer_value(start);
    st->annotations = ann ? json_incref(ann) : NULL;
    return 0;
}

int oci_state_load(const struct oci_opts *o, const char *id,
                   struct oci_state *st, char *dir, size_t n)
{
    char path[PATH_MAX + 32];
    json_error_t je;
    uint8_t *buf;
    size_t len;
    json_t *doc;
    int rc;

    memset(st, 0, sizeof(*st));
    if ((rc = oci_dir(o, id, dir, n)) < 0)
        return rc;
    snprintf(path, sizeof(path), "%s/state.json", dir);
    if (access(dir, F_OK) < 0 && errno == ENOENT)
        return err_set(ENOENT, "container '%s' does not exist", id);
    if ((rc = fileio_read_small(path, 1 << 20, &buf, &len)) < 0)
        return rc == -ENOENT ? err_set(ENOENT,
                                       "container '%s' is still being "
                                       "created, or its create failed",
                                       id)
                             : rc;
    doc = json_loadb((const char *)buf, len, 0, &je);
    free(buf);
    rc = doc ? state_parse(doc, st) : -EINVAL;
    json_decref(doc);
    if (rc < 0)
        return err_set(EINVAL, "%s: not a state mote-oci wrote", path);
    return 0;
}

void oci_state_free(struct oci_state *st)
{
    json_decref(st->annotations);
    st->annotations = NULL;
}

/* /proc/PID/stat's state letter and start time (field 22, after the
 * command's closing parenthesis); 0 when the pid is gone or exited. */
static unsigned long long pid_stat(pid_t pid, char *state)
{
    char path[64], buf[1024], *p;
    unsigned long long start = 0;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return 0;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    if (!(p = strrchr(buf, ')')) || p[1] != ' ')
        return 0;
    /* state is field 3; start time is field 22: 19 fields on */
    if (sscanf(p + 2,
               "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
               "%*d %*d %*d %*d %*d %*d %llu",
               state, &start) != 2)
        return 0;
    if (*state == 'Z' || *state == 'X') /* exited, not yet reaped */
        return 0;
    return start;
}

unsigned long long oci_pid_start(pid_t pid)
{
    char state;

    return pid_stat(pid, &state);
}

enum oci_status oci_status(const struct oci_state *st, const char *dir)
{
    char fifo[PATH_MAX + 16], state = 0;

    if (pid_stat(st->pid, &state) != st->start)
        return OCI_STOPPED;
    snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
    if (access(fifo, F_OK) == 0)
        return OCI_CREATED;
    return state == 'T' ? OCI_PAUSED : OCI_RUNNING; /* T: oci_pause */
}

const char *oci_status_name(enum oci_status s)
{
    static const char *const names[] = { "creating", "created", "running",
                                         "stopped", "paused" };

    return names[s];
}

void oci_state_remove(const char *dir)
{
    static const char *const files[] = { "exec.fifo", "state.json",
                                         "state.json.new" };
    char p[PATH_MAX + 32];

    oci_cgroup_remove(dir);
    for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}
