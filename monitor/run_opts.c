/* mote run's and mote restore's command line: options, devices, the
 * guest's environment and arguments into a run_opts (run_opts.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "boot.h"
#include "cli.h"
#include "devkind.h"
#include "err.h"
#include "policy.h"
#include "run_opts.h"

#define OPT_KIND 0x100 /* getopt's value for device kind i: OPT_KIND + i */

static const char run_usage_head[] =
    "Usage: mote run [OPTIONS] IMAGE [-- ARGS...]\n"
    "\n"
    "Boot the unikernel IMAGE under KVM; ARGS become its argv[1..].\n"
    "\n"
    "Options:\n"
    "  -m, --mem SIZE   guest memory: a number with K, M or G (binary\n"
    "                   units); a bare number is MiB. A multiple of 2 MiB.\n"
    "                   Default: the image manifest's memory, else the\n"
    "                   board's (see 'mote boards'); never above either.\n";
static const char restore_usage_head[] =
    "Usage: mote restore [OPTIONS] SNAPSHOT\n"
    "\n"
    "Run on the guest saved in SNAPSHOT ('mote ctl PATH snapshot FILE'). Its\n"
    "image, memory, arguments and environment are the snapshot's; the\n"
    "snapshot and its image must be signed by trusted keys. Attach every\n"
    "device it had, by name (a disk of the same size).\n"
    "\n"
    "Options:\n";
static const char run_usage_env[] =
    "  -e, --env NAME=VALUE\n"
    "                   set a variable in the guest's environment; NAME\n"
    "                   alone passes mote's own value (repeatable)\n";
static const char run_usage_tail[] =
    "  -t, --trust PUB|DIR\n"
    "                   trust this public key, or every *.pub in DIR\n"
    "                   (repeatable; default: " TRUST_DEFAULT_DIR ")\n"
    "      --allow-unsigned\n"
    "                   run an unsigned image (for development; a signed\n"
    "                   image must still verify; the host's board or the\n"
    "                   site policy may forbid it)\n"
    "  -b, --board NAME|FILE\n"
    "                   run under this board profile, kept within the\n"
    "                   host's own: stricter, never looser (default: the\n"
    "                   host's, detected from its device tree or named\n"
    "                   by " POLICY_PATH "; see 'mote boards')\n"
    "      --api PATH   serve a control socket at PATH (mode 0600): 'mote\n"
    "                   ctl PATH status|pause|resume|stop|snapshot'\n"
    "                   (docs/control.md)\n"
    "      --incoming unix:PATH|tcp:HOST:PORT\n"
    "                   no IMAGE: wait there for a guest that 'mote ctl\n"
    "                   PATH migrate' sends, check it, run it on\n"
    "      --snapshot-key KEY\n"
    "                   sign snapshots with this private key ('mote\n"
    "                   keygen'); without it the guest cannot be saved\n"
    "                   or migrated\n"
    "      --user USER[:GROUP]\n"
    "                   once the guest is set up, run as this user and\n"
    "                   group (names or numbers; GROUP: USER's own).\n"
    "                   Default: " SANDBOX_DEFAULT_USER
    " when started as root,\n"
    "                   else the caller's user. Files the control socket\n"
    "                   writes later are that user's (docs/control.md)\n"
    "      --timeout DURATION\n"
    "                   stop the guest DURATION after mote started (a\n"
    "                   number with ms, s, m or h; a bare number is\n"
    "                   seconds) and exit 124; default: no limit\n"
    "      --console-rate RATE\n"
    "                   limit the guest's console output to RATE bytes a\n"
    "                   second on average (K, M or G: binary units; a bare\n"
    "                   number is bytes), in bursts of a second's worth or\n"
    "                   64 KiB, whichever is more; beyond it the guest\n"
    "                   waits, nothing is dropped. Default: no limit, or\n"
    "                   the board's or site policy's console-rate-max\n"
    "                   (which RATE may not exceed)\n"
    "  -v, --verbose    say what mote does on stderr\n"
    "  -h, --help       print this help\n";

/* The fixed options, then one per device kind (dev_kinds[]). */
static void run_usage(int restore)
{
    fputs(restore ? restore_usage_head : run_usage_head, stdout);
    for (const struct dev_kind *const *k = dev_kinds; *k; k++)
        if ((*k)->keyword && (*k)->help)
            fputs((*k)->help, stdout);
    if (!restore)
        fputs(run_usage_env, stdout);
    fputs(run_usage_tail, stdout);
}

static int parse_mem(const char *s, uint64_t *mem)
{
    if (size_parse(s, mem) < 0)
        return cli_error("--mem: cannot parse '%s' (try 64M or 1G)", s);
    if (*mem % (2ULL << 20))
        return cli_error("--mem: %s is not a multiple of 2 MiB", s);
    if (*mem < arch_layout.mem_min || *mem > arch_layout.mem_max)
        return cli_error("--mem: %s is outside %llu MiB to %llu GiB", s,
                         (unsigned long long)(arch_layout.mem_min >> 20),
                         (unsigned long long)(arch_layout.mem_max >> 30));
    return 0;
}

/* RATE: a size in bytes a second, not 0 (the board caps it later). */
static int parse_rate(const char *s, uint64_t *rate)
{
    if (size_parse_bytes(s, rate) < 0)
        return cli_error("--console-rate: cannot parse '%s' (bytes a "
                         "second: try 8K or 1M)",
                         s);
    if (*rate == 0)
        return cli_error("--console-rate: 0 would stop the console (leave "
                         "the option out for no limit)");
    return 0;
}

/* DURATION: digits, then ms, s, m, h or nothing (seconds); 1 ms to 30
 * days. */
static int parse_timeout(const char *s, uint64_t *ms)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = { { "ms", 1 },
                  { "s", 1000 },
                  { "", 1000 },
                  { "m", 60000 },
                  { "h", 3600000 } };
    uint64_t n = 0;
    const char *p = s;

    for (; *p >= '0' && *p <= '9'; p++) /* saturating: no wrap */
        n = n > 1000000000000ULL ? n : n * 10 + (uint64_t)(*p - '0');
    for (unsigned i = 0; p != s && i < sizeof(units) / sizeof(units[0]); i++)
        if (!strcmp(p, units[i].unit)) {
            *ms = n > 1000000000000ULL ? UINT64_MAX : n * units[i].ms;
            if (*ms == 0 || *ms > 30ULL * 24 * 3600000)
                return cli_error("--timeout: %s is outside 1ms to 30 days", s);
            return 0;
        }
    return cli_error("--timeout: cannot parse '%s' (try 500ms, 10s, 5m "
                     "or 2h)",
                     s);
}

static int add_dev(struct vm_config *c, const struct dev_kind *k, const char *s)
{
    if (c->ndev == MOTE_MAX_DEVICES)
        return cli_error("run: at most %d devices", MOTE_MAX_DEVICES);
    if (devspec_parse(k->id, s, &c->dev[c->ndev]) < 0)
        return cli_error("%s", err_msg());
    for (unsigned i = 0; i < c->ndev; i++)
        if (!strcmp(c->dev[i].name, c->dev[c->ndev].name))
            return cli_error("run: two devices named '%s'", c->dev[i].name);
    c->ndev++;
    return 0;
}

/* NAME=VALUE, or NAME for the host's value; NAME as in the shell. */
static int add_env(struct run_opts *o, char *s)
{
    size_t n = strcspn(s, "=");
    int envc = o->c.envc;
    const char *host;

    if (envc == ENV_MAX)
        return cli_error("--env: at most %d variables", ENV_MAX);
    if (n == 0 ||
        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                  "vwxyz0123456789_") != n ||
        (s[0] >= '0' && s[0] <= '9'))
        return cli_error("--env: '%.*s' is not a variable name (want "
                         "NAME=VALUE; letters, digits and _)",
                         (int)(n > 64 ? 64 : n), s);
    if (!s[n]) {
        if (!(host = getenv(s)))
            return cli_error("--env: %s is not set here (give NAME=VALUE)", s);
        if (asprintf(&o->env_owned[envc], "%s=%s", s, host) < 0)
            return cli_error("--env: out of memory");
        s = o->env_owned[envc];
    }
    for (int i = 0; i < envc; i++)
        if (!strncmp(o->envp[i], s, n + 1))
            return cli_error("--env: %.*s given twice", (int)n, s);
    o->envp[o->c.envc++] = s;
    return 0;
}

/* The device kind whose option getopt returned as c, or NULL. */
static const struct dev_kind *kind_opt(int c)
{
    unsigned i = 0;

    for (const struct dev_kind *const *k = dev_kinds; *k; k++, i++)
        if ((*k)->keyword &&
            (c == (int)(OPT_KIND + i) || (c > 0 && c == (*k)->short_opt)))
            return *k;
    return NULL;
}

static int parse_opt(int c, struct run_opts *o, char **argv)
{
    const struct dev_kind *k = kind_opt(c);

    if (k)
        return add_dev(&o->c, k, optarg);
    switch (c) {
    case 'm': return parse_mem(optarg, &o->c.mem);
    case 'v': o->c.verbose = 1; return 0;
    case 'e': return add_env(o, optarg);
    case 'u': o->c.allow_unsigned = 1; return 0;
    case 'b': o->c.board = optarg; return 0;
    case 'a': o->api = optarg; return 0;
    case 'i': o->incoming = optarg; return 0;
    case 'U': o->user = optarg; return 0;
    case 'T': o->timeout = optarg; return parse_timeout(optarg, &o->timeout_ms);
    case 'R': return parse_rate(optarg, &o->c.console_rate);
    case 'k':
        if (o->snapkey)
            return cli_error("--snapshot-key: given twice");
        if (sig_key_load(optarg, 1, &o->snapkey) < 0)
            return cli_error("--snapshot-key: %s", err_msg());
        o->c.snapkey = o->snapkey;
        return 0;
    case 't':
        if (trust_add(&o->c.trust, optarg) < 0)
            return cli_error("--trust: %s", err_msg());
        return 0;
    case 'h': return run_usage(o->restore), -1;
    default: return cli_bad_option(o->cmd, argv[optind - 1]);
    }
}

/* getopt's tables: the fixed options and every device kind's. */
static void options(struct option *lo, char *so)
{
    static const struct option fixed[] = {
        { "mem", required_argument, NULL, 'm' },
        { "trust", required_argument, NULL, 't' },
        { "env", required_argument, NULL, 'e' },
        { "allow-unsigned", no_argument, NULL, 'u' },
        { "board", required_argument, NULL, 'b' },
        { "api", required_argument, NULL, 'a' },
        { "snapshot-key", required_argument, NULL, 'k' },
        { "incoming", required_argument, NULL, 'i' },
        { "timeout", required_argument, NULL, 'T' },
        { "console-rate", required_argument, NULL, 'R' },
        { "user", required_argument, NULL, 'U' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
    };
    unsigned n = sizeof(fixed) / sizeof(fixed[0]), i = 0;

    memcpy(lo, fixed, sizeof(fixed));
    strcpy(so, "+m:t:b:e:vh");
    for (const struct dev_kind *const *k = dev_kinds; *k; k++, i++) {
        if (!(*k)->keyword)
            continue;
        lo[n++] = (struct option){ (*k)->keyword, required_argument, NULL,
                                   (int)(OPT_KIND + i) };
        if ((*k)->short_opt)
            so += strlen(so), so[0] = (*k)->short_opt, so[1] = ':', so[2] = 0;
    }
    lo[n] = (struct option){ NULL, 0, NULL, 0 };
}

/* mote run --incoming ADDR: no IMAGE, arguments, memory or environment. */
static int incoming_args(int argc, char **argv, struct run_opts *o)
{
    if (o->c.mem || o->c.envc)
        return cli_error("run: --incoming takes the guest's memory and "
                         "environment from the stream (no --mem or --env)");
    if (optind < argc)
        return cli_error("run: --incoming takes no IMAGE ('%s')", argv[optind]);
    return 0;
}

/* mote restore SNAPSHOT: no guest arguments, memory or environment. */
static int restore_args(int argc, char **argv, struct run_opts *o)
{
    if (o->c.mem || o->c.envc)
        return cli_error("restore: the memory and environment are the "
                         "snapshot's (no --mem or --env)");
    if (optind >= argc)
        return cli_error("restore: no SNAPSHOT given (try 'mote restore "
                         "--help')");
    if (optind + 1 < argc)
        return cli_error("restore: unexpected '%s': the guest's arguments "
                         "are the snapshot's",
                         argv[optind + 1]);
    o->c.image = argv[optind];
    return 0;
}

int run_parse_args(int argc, char **argv, struct run_opts *o)
{
    struct option lo[64];
    char so[64];
    int c, rc;

    options(lo, so);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1)
        if ((rc = parse_opt(c, o, argv)) != 0)
            return rc;
    if (o->restore)
        return restore_args(argc, argv, o);
    if (o->incoming)
        return incoming_args(argc, argv, o);
    if (optind >= argc)
        return cli_error("run: no IMAGE given (try 'mote run --help')");
    o->c.image = argv[optind];
    o->c.argv = argv + optind;
    o->c.argc = 1;
    o->c.envp = o->envp;
    if (optind + 1 < argc) {
        if (strcmp(argv[optind + 1], "--") != 0)
            return cli_error("run: unexpected '%s': guest arguments go "
                             "after --",
                             argv[optind + 1]);
        /* drop the "--" by moving the image name over it */
        argv[optind + 1] = argv[optind];
        o->c.argv = argv + optind + 1;
        o->c.argc = argc - optind - 1;
    }
    return 0;
}

void run_opts_free(struct run_opts *o)
{
    trust_free(&o->c.trust);
    sig_key_free(o->snapkey);
    for (int i = 0; i < ENV_MAX; i++)
        free(o->env_owned[i]);
}
