/* mote ctl: one request to a running guest's control socket, its reply on
 * stdout. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <jansson.h>

#include "cli.h"

#define REPLY_MAX 65536
#define TIMEOUT_MS 10000

static const char ctl_usage[] =
    "Usage: mote ctl PATH COMMAND [ARG]\n"
    "\n"
    "Send COMMAND to the guest started with 'mote run --api PATH' and print\n"
    "the monitor's reply, one JSON object (see docs/control.md).\n"
    "\n"
    "Commands:\n"
    "  status             state, uptime, memory, devices, exit and hypercall\n"
    "                     counts\n"
    "  pause              stop the guest's vCPU (its clocks go on)\n"
    "  resume             let a paused guest go on\n"
    "  stop [MS]          ask the guest to stop: it sees SIGTERM; after MS\n"
    "                     milliseconds (default 5000) mote stops it\n"
    "  snapshot FILE      save the guest to FILE, signed (mote run\n"
    "                     --snapshot-key), atomically; it runs on after\n"
    "  migrate DEST       move the running guest to the 'mote run\n"
    "                     --incoming DEST' waiting at unix:PATH or\n"
    "                     tcp:HOST:PORT; this monitor then exits 0\n"
    "  request JSON       send JSON, one object, as it is\n"
    "\n"
    "Options:\n"
    "  -h, --help         print this help\n"
    "\n"
    "Exit status: 0 when the monitor did it, 125 when it refused (its reason\n"
    "on stderr) or did not answer within 10 s (snapshot, migrate: 10 min).\n";

static int build(const char *cmd, const char *arg, char **req)
{
    json_t *o;
    char *end;
    long ms;

    if (!strcmp(cmd, "request")) {
        if (!arg)
            return cli_error("ctl: request needs a JSON object");
        return asprintf(req, "%s\n", arg) < 0 ? cli_error("out of memory") : 0;
    }
    if (!strcmp(cmd, "stop") && arg) {
        ms = strtol(arg, &end, 10);
        if (*end || end == arg || ms < 0 || ms > 3600000)
            return cli_error("ctl: stop: '%s' is not a deadline in "
                             "milliseconds (0 to 3600000)",
                             arg);
        o = json_pack("{s:s,s:I}", "cmd", cmd, "deadline_ms", (json_int_t)ms);
    } else if (!strcmp(cmd, "snapshot") || !strcmp(cmd, "migrate")) {
        o = arg ? json_pack("{s:s,s:s}", "cmd", cmd,
                            !strcmp(cmd, "snapshot") ? "file" : "dest", arg)
                : NULL;
        if (!arg)
            return cli_error("ctl: %s needs an argument", cmd);
    } else if (arg) {
        return cli_error("ctl: %s takes no argument (try 'mote ctl --help')",
                         cmd);
    } else {
        o = json_pack("{s:s}", "cmd", cmd);
    }
    if (!o || !(end = json_dumps(o, JSON_COMPACT)))
        return cli_error("out of memory");
    json_decref(o);
    if (asprintf(req, "%s\n", end) < 0)
        *req = NULL;
    free(end);
    return *req ? 0 : cli_error("out of memory");
}

static int dial(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return cli_error("ctl: %s: path too long", path), -1;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        cli_error("ctl: %s: %s (is 'mote run --api %s' running?)", path,
                  strerror(errno), path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Read one line into buf (NUL-terminated, newline kept); 0 or -1. */
static int read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
    size_t len = 0;

    while (len + 1 < cap) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (poll(&p, 1, timeout_ms) != 1)
            return cli_error("ctl: no reply within %d s", timeout_ms / 1000),
                   -1;
        n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0)
            return cli_error("ctl: the monitor closed the connection"), -1;
        len += (size_t)n;
        buf[len] = '\0';
        if (memchr(buf, '\n', len))
            return 0;
    }
    return cli_error("ctl: reply too long"), -1;
}

/* Print the reply; 0 when it says ok, else its error on stderr. */
static int report(const char *line)
{
    json_t *r = json_loads(line, 0, NULL);
    json_t *ok = r ? json_object_get(r, "ok") : NULL;
    json_t *e = r ? json_object_get(r, "error") : NULL;
    int rc = 0;

    fputs(line, stdout);
    if (!json_is_true(ok))
        rc = cli_error("%s", json_is_string(e) ? json_string_value(e)
                                               : "the monitor refused");
    json_decref(r);
    return rc;
}

int cmd_ctl(int argc, char **argv)
{
    static char reply[REPLY_MAX];
    char *req = NULL;
    int fd, rc, slow;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return fputs(ctl_usage, stdout), 0;
    if (argc > 1 && argv[1][0] == '-')
        return cli_bad_option("ctl", argv[1]);
    if (argc < 3 || argc > 4)
        return cli_error("ctl: want PATH COMMAND [ARG] (try 'mote ctl "
                         "--help')");
    slow = !strcmp(argv[2], "migrate") || !strcmp(argv[2], "snapshot");
    if ((rc = build(argv[2], argc == 4 ? argv[3] : NULL, &req)) != 0)
        return rc;
    if ((fd = dial(argv[1])) < 0) {
        free(req);
        return MOTE_EXIT_ERROR;
    }
    rc = send(fd, req, strlen(req), MSG_NOSIGNAL) == (ssize_t)strlen(req)
             ? 0
             : cli_error("ctl: cannot send: %s", strerror(errno));
    free(req);
    if (rc == 0)
        rc = read_line(fd, reply, sizeof(reply), slow ? 600000 : TIMEOUT_MS) < 0
                 ? MOTE_EXIT_ERROR
                 : report(reply);
    close(fd);
    return rc;
}
