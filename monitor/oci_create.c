/* create and start. create forks the container process (oci_child.c),
 * puts it in the engine's cgroup, and waits for its word on a socket pair:
 * "ok" once the guest is booted and waiting, or the reason it could not
 * be. Then the pid file and state.json; create exits, the container
 * process waits on exec.fifo until start opens it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <jansson.h>

#include "cli.h"
#include "err.h"
#include "oci.h"
#include "oci_child.h"

struct create_opts {
    const char *bundle, *pid_file, *console_socket, *id;
};

/* a is --name or --name=VALUE (n: the length before any '=') */
static int named(const char *a, size_t n, const char *name)
{
    return n == strlen(name) && !strncmp(a, name, n);
}

static int create_args(const struct oci_opts *o, int argc, char **argv,
                       struct create_opts *c)
{
    c->bundle = ".";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *eq = strchr(a, '=');
        size_t n = eq ? (size_t)(eq - a) : strlen(a);
        const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
        const char **dst = NULL;

        if (a[0] != '-') {
            if (c->id)
                return oci_error(o, "create: unexpected '%s'", a);
            c->id = a;
            continue;
        }
        if (named(a, n, "--bundle") || named(a, n, "-b"))
            dst = &c->bundle;
        else if (named(a, n, "--pid-file"))
            dst = &c->pid_file;
        else if (named(a, n, "--console-socket"))
            dst = &c->console_socket;
        else if (!strcmp(a, "--no-pivot") || !strcmp(a, "--no-new-keyring"))
            continue; /* nothing is pivoted or keyed: the guest has no
                         host filesystem */
        else if (named(a, n, "--preserve-fds")) {
            i += !eq;
            continue;
        } else
            return oci_error(o,
                             "create: unknown option '%s' (try 'mote-oci "
                             "--help')",
                             a);
        if (!v)
            return oci_error(o, "create: %s needs a value", a);
        *dst = v;
        i += !eq;
    }
    if (!c->id)
        return oci_error(o, "create: no container id given");
    return 0;
}

static void now_rfc3339(char *out, size_t n)
{
    struct timespec ts;
    struct tm tm;
    char sec[24];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, n, "%.20s.%09dZ", sec, (int)(ts.tv_nsec % 1000000000));
}

static int write_pid_file(const char *path, pid_t pid)
{
    char tmp[PATH_MAX + 8], buf[16];
    int fd, len = snprintf(buf, sizeof(buf), "%d", (int)pid);

    if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
        return err_set(ENAMETOOLONG, "--pid-file: too long");
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, buf, (size_t)len) != len || close(fd) < 0 ||
        rename(tmp, path) < 0)
        return err_set(errno, "--pid-file %s: %s", path, strerror(errno));
    return 0;
}

/* The container process: boot, report, wait for start, run. Never returns. */
static void child(const struct oci_opts *o, struct oci_spec *s,
                  const struct create_opts *c, const char *dir, int sock)
{
    static struct oci_child k;
    char fifo[PATH_MAX + 16], go;
    int fd, rc;

    oci_child_signals(0);
    if (read(sock, &go, 1) != 1) /* create put it in its cgroup */
        _exit(MOTE_EXIT_ERROR);
    k.o = o;
    k.s = s;
    k.console_socket = c->console_socket;
    if ((rc = oci_child_boot(&k)) < 0) {
        const char *m = err_msg();

        if (write(sock, m, strlen(m)) < 0) { /* create says it, or not */
        }
        _exit(MOTE_EXIT_ERROR);
    }
    if (write(sock, "ok", 2) != 2)
        _exit(MOTE_EXIT_ERROR);
    close(sock);
    snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
    if ((fd = open(fifo, O_WRONLY | O_CLOEXEC)) < 0 || write(fd, "0", 1) != 1)
        _exit(MOTE_EXIT_ERROR);
    close(fd);
    _exit(oci_child_run(&k));
}

/* The container process's word: 0 when "ok", else its reason. */
static int await(int sock, pid_t pid)
{
    char msg[1024];
    ssize_t n = read(sock, msg, sizeof(msg) - 1);

    if (n == 2 && !memcmp(msg, "ok", 2))
        return 0;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    if (n <= 0)
        return err_set(EIO, "the container process ended before it booted "
                            "the guest");
    msg[n] = 0;
    return err_set(EPERM, "%s", msg);
}

/* A new pid namespace (or the one named) holds the container process:
 * entered here, before the fork, as only children enter it. */
static int pid_ns(const struct oci_spec *s)
{
    for (unsigned i = 0; i < s->nns; i++) {
        int fd, rc;

        if (s->ns[i].type != CLONE_NEWPID)
            continue;
        if (!s->ns[i].path)
            return unshare(CLONE_NEWPID) < 0
                       ? err_set(errno, "pid namespace: %s", strerror(errno))
                       : 0;
        if ((fd = open(s->ns[i].path, O_RDONLY | O_CLOEXEC)) < 0)
            return err_set(errno, "%s: %s", s->ns[i].path, strerror(errno));
        rc = setns(fd, CLONE_NEWPID) < 0 ? -errno : 0;
        close(fd);
        return rc < 0 ? err_set(-rc, "%s: %s", s->ns[i].path, strerror(-rc))
                      : 0;
    }
    return 0;
}

static int spawn(const struct oci_opts *o, struct oci_spec *s,
                 const struct create_opts *c, const char *dir,
                 struct oci_state *st)
{
    int sv[2], rc;
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return err_set(errno, "socketpair: %s", strerror(errno));
    if ((rc = pid_ns(s)) < 0 || (pid = fork()) < 0) {
        rc = rc < 0 ? rc : err_set(errno, "fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return rc;
    }
    if (pid == 0) {
        close(sv[0]);
        child(o, s, c, dir, sv[1]);
    }
    close(sv[1]);
    rc = oci_cgroup_join(o, s, pid, dir);
    if (rc == 0 && write(sv[0], "g", 1) != 1)
        rc = err_set(EIO, "the container process is gone");
    if (rc < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    } else
        rc = await(sv[0], pid);
    close(sv[0]);
    st->pid = pid;
    st->start = oci_pid_start(pid);
    return rc;
}

/* mkdir -p path (containerd's shim names a --root that may not exist). */
static int mkdir_p(const char *path)
{
    char p[PATH_MAX];

    if (snprintf(p, sizeof(p), "%s", path) >= (int)sizeof(p))
        return -ENAMETOOLONG;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0711) < 0 && errno != EEXIST)
            return -errno;
        *s = '/';
    }
    return mkdir(p, 0711) < 0 && errno != EEXIST ? -errno : 0;
}

static int make_dir(const struct oci_opts *o, const char *id, char *dir,
                    size_t n)
{
    int rc;

    if ((rc = oci_dir(o, id, dir, n)) < 0)
        return rc;
    if ((rc = mkdir_p(o->root)) < 0)
        return err_set(-rc, "--root %s: %s", o->root, strerror(-rc));
    if (mkdir(dir, 0700) < 0)
        return err_set(errno, "container '%s': %s", id,
                       errno == EEXIST ? "already exists" : strerror(errno));
    return 0;
}

int oci_create(const struct oci_opts *o, int argc, char **argv)
{
    static struct oci_spec s;
    struct create_opts c = { 0 };
    struct oci_state st = { 0 };
    char dir[PATH_MAX], fifo[PATH_MAX + 16];
    int rc;

    if ((rc = create_args(o, argc, argv, &c)) != 0)
        return rc;
    if ((rc = make_dir(o, c.id, dir, sizeof(dir))) < 0)
        return oci_error(o, "%s", err_msg());
    snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
    if ((rc = oci_spec_load(c.bundle, &s)) == 0 && mkfifo(fifo, 0600) < 0)
        rc = err_set(errno, "%s: %s", fifo, strerror(errno));
    if (rc == 0 && s.hooks)
        oci_warn(o, "config.json names hooks: mote-oci does not run them");
    if (rc == 0)
        rc = spawn(o, &s, &c, dir, &st);
    if (rc == 0) {
        snprintf(st.id, sizeof(st.id), "%s", c.id);
        snprintf(st.bundle, sizeof(st.bundle), "%s", s.bundle);
        now_rfc3339(st.created, sizeof(st.created));
        st.annotations = json_object_get(s.doc, "annotations");
        rc = oci_state_save(dir, &st);
        if (rc == 0 && c.pid_file)
            rc = write_pid_file(c.pid_file, st.pid);
        if (rc < 0)
            kill(st.pid, SIGKILL);
    }
    if (rc < 0) {
        rc = oci_error(o, "%s", err_msg());
        oci_state_remove(dir);
    }
    oci_spec_free(&s);
    return rc;
}

int oci_start(const struct oci_opts *o, int argc, char **argv)
{
    struct oci_state st;
    char dir[PATH_MAX], fifo[PATH_MAX + 16], b;
    struct pollfd p;
    int fd, rc;

    if (argc != 2 || argv[1][0] == '-')
        return oci_error(o, "start: want one container id");
    if (oci_state_load(o, argv[1], &st, dir, sizeof(dir)) < 0)
        return oci_error(o, "%s", err_msg());
    rc = oci_status(&st, dir);
    oci_state_free(&st);
    if (rc != OCI_CREATED)
        return oci_error(o, "start: container '%s' is %s, not created", argv[1],
                         oci_status_name(rc));
    snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
    if ((fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
        return oci_error(o, "start: %s: %s", fifo, strerror(errno));
    p = (struct pollfd){ .fd = fd, .events = POLLIN };
    rc = poll(&p, 1, 10000) == 1 && read(fd, &b, 1) == 1 ? 0 : -1;
    close(fd);
    unlink(fifo);
    return rc < 0 ? oci_error(o, "start: container '%s' did not start", argv[1])
                  : 0;
}
