/* mote-oci (or `mote oci`): the OCI runtime's command line, in the shape
 * runc has, since podman's conmon and containerd's runc shim call their
 * runtime that way: global options, then the command. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "oci.h"
#include "trust.h"

static const char *prog = "mote-oci"; /* or "mote oci", as called */

static const char usage_tail[] =
    "\n"
    "mote as an OCI runtime: podman, containerd and Kubernetes run signed\n"
    "mote appliances with it. The bundle's root filesystem holds the\n"
    "image; process.args[0] names it (say /app.elf), the rest are its\n"
    "arguments. See docs/oci.md.\n"
    "\n"
    "Commands:\n"
    "  create [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] ID\n"
    "                   check the image, boot the guest, wait for start\n"
    "  start ID         run the created guest\n"
    "  state ID         print the container's state (JSON)\n"
    "  kill ID [SIGNAL] SIGTERM (the default), SIGINT, SIGHUP or SIGQUIT\n"
    "                   ask the guest to stop; SIGKILL stops it\n"
    "  delete [--force] ID\n"
    "                   forget a stopped container (--force: stop it)\n"
    "  features         print what this runtime supports (JSON)\n"
    "  ps [--format json] ID\n"
    "                   the container's process (its monitor)\n"
    "  pause ID, resume ID\n"
    "                   stop and continue the guest as a whole\n"
    "  exec, update, checkpoint, restore, run: not supported (one\n"
    "                   unikernel has no second process; docs/oci.md)\n"
    "\n"
    "Global options:\n"
    "  --root DIR       containers' state (default " OCI_ROOT_DEFAULT ")\n"
    "  --log FILE       also write errors to FILE\n"
    "  --log-format text|json\n"
    "  --systemd-cgroup cgroupsPath is slice:prefix:name\n"
    "  --trust PUB|DIR  trust this key or directory "
    "(default: " TRUST_DEFAULT_DIR ")\n"
    "  --allow-unsigned run unsigned images (the host's policy may still\n"
    "                   forbid it)\n"
    "  -v, --version    print the version\n"
    "  -h, --help       print this help\n";

static FILE *logf_;

static void log_line(const struct oci_opts *o, const char *level,
                     const char *msg)
{
    char t[40];
    time_t now = time(NULL);
    struct tm tm;

    if (!o->log)
        return;
    if (!logf_ && !(logf_ = fopen(o->log, "ae")))
        return;
    gmtime_r(&now, &tm);
    strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (o->log_json) {
        json_t *j =
            json_pack("{s:s,s:s,s:s}", "level", level, "msg", msg, "time", t);

        if (j)
            json_dumpf(j, logf_, JSON_COMPACT);
        json_decref(j);
        fputc('\n', logf_);
    } else
        fprintf(logf_, "time=\"%s\" level=%s msg=\"%s\"\n", t, level, msg);
    fflush(logf_);
}

static void say(const struct oci_opts *o, const char *level, const char *fmt,
                va_list ap)
{
    char msg[1024];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    fprintf(stderr, "mote: %s: %s\n", level, msg);
    log_line(o, level, msg);
}

int oci_error(const struct oci_opts *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(o, "error", fmt, ap);
    va_end(ap);
    return MOTE_EXIT_ERROR;
}

void oci_warn(const struct oci_opts *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(o, "warning", fmt, ap);
    va_end(ap);
}

static const struct {
    const char *name;
    int (*fn)(const struct oci_opts *, int, char **);
} cmds[] = {
    { "create", oci_create },
    { "start", oci_start },
    { "state", oci_state_cmd },
    { "kill", oci_kill },
    { "delete", oci_delete },
    { "features", oci_features },
    { "ps", oci_ps },
    { "pause", oci_pause },
    { "resume", oci_resume },
    { "exec", oci_unsupported },
    { "update", oci_unsupported },
    { "checkpoint", oci_unsupported },
    { "restore", oci_unsupported },
    { "run", oci_unsupported },
};

/* --name VALUE or --name=VALUE: its value, or NULL (*i moves past it). */
static const char *value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);

    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] || *i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* The global options; the index of the command, or -1 after an error or
 * a --help/--version that was answered. */
static int globals(int argc, char **argv, struct oci_opts *o)
{
    int i;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i], *v;

        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return printf("Usage: %s [GLOBAL OPTIONS] COMMAND [OPTIONS] ID\n"
                          "       (also %s ...)\n%s",
                          prog,
                          strcmp(prog, "mote-oci") ? "mote-oci" : "'mote oci'",
                          usage_tail),
                   -1;
        if (!strcmp(a, "-v") || !strcmp(a, "--version"))
            return printf("mote-oci version %s\nspec: %s\n", MOTE_VERSION,
                          OCI_VERSION),
                   -1;
        if ((v = value(argc, argv, &i, "--root")))
            o->root = v;
        else if ((v = value(argc, argv, &i, "--log")))
            o->log = v;
        else if ((v = value(argc, argv, &i, "--log-format"))) {
            if (strcmp(v, "json") && strcmp(v, "text"))
                return oci_error(o, "--log-format: want text or json"), -2;
            o->log_json = !strcmp(v, "json");
        } else if ((v = value(argc, argv, &i, "--trust")))
            o->trust = v;
        else if (!strcmp(a, "--systemd-cgroup"))
            o->systemd_cgroup = 1;
        else if (!strcmp(a, "--allow-unsigned"))
            o->allow_unsigned = 1;
        else if (!strcmp(a, "--debug"))
            continue;
        else if ((v = value(argc, argv, &i, "--rootless")) ||
                 (v = value(argc, argv, &i, "--criu"))) {
            if (!strncmp(a, "--rootless", 10) && !strcmp(v, "true"))
                return oci_error(o, "--rootless: mote-oci runs rootful "
                                    "engines only"),
                       -2;
        } else
            return oci_error(o, "oci: unknown option '%s' (try '%s --help')", a,
                             prog),
                   -2;
    }
    return i;
}

int cmd_oci(int argc, char **argv)
{
    struct oci_opts o = { .root = OCI_ROOT_DEFAULT };
    int i;

    if (!strcmp(argv[0], "oci")) /* mote oci ... */
        prog = "mote oci";
    i = globals(argc, argv, &o);

    if (i == -1)
        return 0;
    if (i < 0)
        return MOTE_EXIT_ERROR;
    if (i >= argc)
        return oci_error(&o, "oci: no command given (try '%s --help')", prog);
    for (unsigned k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
        if (!strcmp(argv[i], cmds[k].name))
            return cmds[k].fn(&o, argc - i, argv + i);
    return oci_error(&o, "oci: unknown command '%s' (try '%s --help')", argv[i],
                     prog);
}
