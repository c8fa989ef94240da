/* state, kill, delete and features: each reads the container's state and
 * looks at its process; nothing here talks to KVM. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "err.h"
#include "oci.h"

int oci_state_cmd(const struct oci_opts *o, int argc, char **argv)
{
    struct oci_state st;
    char dir[PATH_MAX];
    enum oci_status s;
    json_t *j;

    if (argc != 2 || argv[1][0] == '-')
        return oci_error(o, "state: want one container id");
    if (oci_state_load(o, argv[1], &st, dir, sizeof(dir)) < 0)
        return oci_error(o, "%s", err_msg());
    s = oci_status(&st, dir);
    j = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:O}", "ociVersion", OCI_VERSION,
                  "id", st.id, "status", oci_status_name(s), "pid",
                  s == OCI_STOPPED ? 0 : (int)st.pid, "bundle", st.bundle,
                  "created", st.created, "annotations",
                  st.annotations ? st.annotations : json_object());
    oci_state_free(&st);
    if (!j)
        return oci_error(o, "state: out of memory");
    json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
    return 0;
}

static int parse_signal(const char *s)
{
    static const struct {
        const char *name;
        int sig;
    } names[] = {
        { "HUP", SIGHUP },     { "INT", SIGINT },   { "QUIT", SIGQUIT },
        { "KILL", SIGKILL },   { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
        { "TERM", SIGTERM },   { "CONT", SIGCONT }, { "STOP", SIGSTOP },
        { "WINCH", SIGWINCH },
    };
    char *end;
    long n;

    if (!strncmp(s, "SIG", 3))
        s += 3;
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(s, names[i].name))
            return names[i].sig;
    n = strtol(s, &end, 10);
    return (*s && !*end && n > 0 && n < 65) ? (int)n : -1;
}

int oci_kill(const struct oci_opts *o, int argc, char **argv)
{
    const char *id = NULL, *sig_s = "SIGTERM";
    struct oci_state st;
    char dir[PATH_MAX];
    int sig, n = 0, rc;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a"))
            continue; /* one process a container */
        if (argv[i][0] == '-' && argv[i][1])
            return oci_error(o, "kill: unknown option '%s'", argv[i]);
        if (n++ == 0)
            id = argv[i];
        else
            sig_s = argv[i];
    }
    if (!id || n > 2)
        return oci_error(o, "kill: want a container id and a signal");
    if ((sig = parse_signal(sig_s)) < 0)
        return oci_error(o, "kill: '%s' is not a signal", sig_s);
    if (oci_state_load(o, id, &st, dir, sizeof(dir)) < 0)
        return oci_error(o, "%s", err_msg());
    rc = oci_status(&st, dir) == OCI_STOPPED ? -ESRCH
         : kill(st.pid, sig) < 0             ? -errno
                                             : 0;
    oci_state_free(&st);
    if (rc < 0)
        return oci_error(o, "kill: container '%s': %s", id,
                         rc == -ESRCH ? "not running" : strerror(-rc));
    return 0;
}

/* After SIGKILL: the process is gone within 5 s (a guest's memory takes
 * a moment to give back). */
static int wait_gone(const struct oci_state *st)
{
    struct timespec t = { 0, 10 * 1000 * 1000 };

    for (int i = 0; i < 500; i++) {
        if (oci_pid_start(st->pid) != st->start)
            return 0;
        nanosleep(&t, NULL);
    }
    return -ETIMEDOUT;
}

int oci_delete(const struct oci_opts *o, int argc, char **argv)
{
    const char *id = NULL;
    struct oci_state st;
    enum oci_status s;
    char dir[PATH_MAX];
    int force = 0, rc = 0;

    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f"))
            force = 1;
        else if (argv[i][0] == '-' || id)
            return oci_error(o, "delete: unexpected '%s'", argv[i]);
        else
            id = argv[i];
    if (!id)
        return oci_error(o, "delete: want a container id");
    if ((rc = oci_state_load(o, id, &st, dir, sizeof(dir))) < 0)
        return force && rc == -ENOENT ? 0 : oci_error(o, "%s", err_msg());
    s = oci_status(&st, dir);
    if (s == OCI_RUNNING && !force)
        rc = oci_error(o,
                       "delete: container '%s' is running: stop it, or "
                       "use --force",
                       id);
    else if (s != OCI_STOPPED &&
             ((kill(st.pid, SIGKILL) < 0 && errno != ESRCH) ||
              wait_gone(&st) < 0))
        rc =
            oci_error(o, "delete: container '%s': its process did not end", id);
    if (rc == 0)
        oci_state_remove(dir);
    oci_state_free(&st);
    return rc;
}

/* The container's one process, for `ctr task ps` (runc's ps): its pid,
 * as a JSON array with --format json, else a table. */
int oci_ps(const struct oci_opts *o, int argc, char **argv)
{
    const char *id = NULL;
    struct oci_state st;
    char dir[PATH_MAX];
    int json = 0, alive;

    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--format=json") ||
            (!strcmp(argv[i], "--format") && i + 1 < argc &&
             !strcmp(argv[++i], "json")) ||
            !strcmp(argv[i], "-f=json"))
            json = 1;
        else if (argv[i][0] == '-' || id)
            return oci_error(o, "ps: unexpected '%s'", argv[i]);
        else
            id = argv[i];
    if (!id)
        return oci_error(o, "ps: want a container id");
    if (oci_state_load(o, id, &st, dir, sizeof(dir)) < 0)
        return oci_error(o, "%s", err_msg());
    alive = oci_status(&st, dir) != OCI_STOPPED;
    if (json)
        printf(alive ? "[%d]\n" : "[]\n", (int)st.pid);
    else
        printf(alive ? "PID\n%d\n" : "PID\n", (int)st.pid);
    oci_state_free(&st);
    return 0;
}

/* After SIGSTOP or SIGCONT: the process is seen stopped (or no longer)
 * within 1 s, so a state asked right after pause or resume says so, as
 * runc's freezer does; a process that ends meanwhile ends the wait. */
static void wait_paused(const struct oci_state *st, const char *dir, int paused)
{
    struct timespec t = { 0, 1000 * 1000 };

    for (int i = 0; i < 1000; i++) {
        enum oci_status s = oci_status(st, dir);

        if (s == OCI_STOPPED || (s == OCI_PAUSED) == paused)
            return;
        nanosleep(&t, NULL);
    }
}

/* pause and resume: the monitor stopped and continued as a whole (its
 * vCPU thread with it); state says "paused" meanwhile, as runc's does. */
static int stop_cont(const struct oci_opts *o, int argc, char **argv, int sig)
{
    struct oci_state st;
    char dir[PATH_MAX];
    int rc;

    if (argc != 2 || argv[1][0] == '-')
        return oci_error(o, "%s: want one container id", argv[0]);
    if (oci_state_load(o, argv[1], &st, dir, sizeof(dir)) < 0)
        return oci_error(o, "%s", err_msg());
    rc = oci_status(&st, dir);
    if (rc == OCI_RUNNING || rc == OCI_PAUSED) {
        rc = kill(st.pid, sig) < 0 ? -errno : 0;
        if (rc == 0)
            wait_paused(&st, dir, sig == SIGSTOP);
    } else
        rc = -ESRCH;
    oci_state_free(&st);
    if (rc < 0)
        return oci_error(o, "%s: container '%s' is not running", argv[0],
                         argv[1]);
    return 0;
}

int oci_pause(const struct oci_opts *o, int argc, char **argv)
{
    return stop_cont(o, argc, argv, SIGSTOP);
}

int oci_resume(const struct oci_opts *o, int argc, char **argv)
{
    return stop_cont(o, argc, argv, SIGCONT);
}

/* What a unikernel cannot do, said plainly. */
int oci_unsupported(const struct oci_opts *o, int argc, char **argv)
{
    (void)argc;
    if (!strcmp(argv[0], "exec"))
        return oci_error(o, "exec: a mote appliance is one unikernel: there "
                            "is no second process to run in it");
    return oci_error(o, "%s: not supported by mote-oci (docs/oci.md)", argv[0]);
}

int oci_features(const struct oci_opts *o, int argc, char **argv)
{
    json_t *j;

    (void)argv;
    if (argc != 1)
        return oci_error(o, "features: takes no arguments");
    j = json_pack(
        "{s:s,s:s,s:[],s:[],s:{s:[s,s,s,s,s,s],s:[],s:{s:b,s:b,s:b},"
        "s:{s:b},s:{s:b},s:{s:b}},s:{s:s}}",
        "ociVersionMin", "1.0.0", "ociVersionMax", OCI_VERSION, "hooks",
        "mountOptions", "linux", "namespaces", "pid", "network", "ipc", "uts",
        "mount", "cgroup", "capabilities", "cgroup", "v1", 1, "v2", 1,
        "systemd", 0, "seccomp", "enabled", 0, "apparmor", "enabled", 0,
        "selinux", "enabled", 0, "annotations", "org.mote.runtime",
        "mote-oci: the image is process.args[0] in the root filesystem");
    if (!j)
        return oci_error(o, "features: out of memory");
    json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
    return 0;
}
