/* mote run: load an image, boot it, serve it, exit with its status. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../devices/devices.h"
#include "arch.h"
#include "board.h"
#include "boot.h"
#include "cli.h"
#include "devspec.h"
#include "elf.h"
#include "elf_sym.h"
#include "err.h"
#include "manifest.h"
#include "trust.h"
#include "vm.h"

#define MEM_DEFAULT (32ULL << 20)
#define IMAGE_MAX (256ULL << 20)

#define ENV_MAX 128

struct run_opts {
    uint64_t mem;
    int mem_given;
    int verbose;
    const char *board_arg;
    struct board board;
    int allow_unsigned;
    int unsigned_image; /* allowed: warn when the guest starts */
    struct trust trust;
    const char *image;
    int argc; /* guest argv, argv[0] = image */
    char **argv;
    unsigned ndev;
    struct devspec dev[MOTE_MAX_DEVICES];
    int envc;
    char *envp[ENV_MAX];
    char *env_owned[ENV_MAX]; /* strings made here, freed at the end */
};

static const char run_usage[] =
    "Usage: mote run [OPTIONS] IMAGE [-- ARGS...]\n"
    "\n"
    "Boot the unikernel IMAGE under KVM; ARGS become its argv[1..].\n"
    "\n"
    "Options:\n"
    "  -m, --mem SIZE   guest memory: a number with K, M or G (binary\n"
    "                   units); a bare number is MiB. A multiple of 2 MiB.\n"
    "                   Default: the image manifest's memory, else the\n"
    "                   board's (see 'mote boards'); never above either.\n"
    "  -d, --disk NAME=FILE[,ro]\n"
    "                   attach FILE as block device NAME (read-only with\n"
    "                   ro); the file is locked while the guest runs\n"
    "  -n, --net NAME=TAP[,mac=aa:bb:cc:dd:ee:ff]\n"
    "                   attach the existing TAP interface as network device\n"
    "                   NAME; without mac= a random local MAC is used\n"
    "  -e, --env NAME=VALUE\n"
    "                   set a variable in the guest's environment; NAME\n"
    "                   alone passes mote's own value (repeatable)\n"
    "  -t, --trust PUB|DIR\n"
    "                   trust this public key, or every *.pub in DIR\n"
    "                   (repeatable; default: " TRUST_DEFAULT_DIR ")\n"
    "      --allow-unsigned\n"
    "                   run an unsigned image (for development; a signed\n"
    "                   image must still verify)\n"
    "  -b, --board NAME|FILE\n"
    "                   the host board's profile (default: detected from\n"
    "                   the host's device tree; see 'mote boards')\n"
    "  -v, --verbose    say what mote does on stderr\n"
    "  -h, --help       print this help\n";

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

static int add_dev(struct run_opts *o, uint32_t kind, const char *s)
{
    if (o->ndev == MOTE_MAX_DEVICES)
        return cli_error("run: at most %d devices", MOTE_MAX_DEVICES);
    if (devspec_parse(kind, s, &o->dev[o->ndev]) < 0)
        return cli_error("%s", err_msg());
    for (unsigned i = 0; i < o->ndev; i++)
        if (!strcmp(o->dev[i].name, o->dev[o->ndev].name))
            return cli_error("run: two devices named '%s'", o->dev[i].name);
    o->ndev++;
    return 0;
}

/* NAME=VALUE, or NAME for the host's value; NAME as in the shell. */
static int add_env(struct run_opts *o, char *s)
{
    size_t n = strcspn(s, "=");
    const char *host;

    if (o->envc == ENV_MAX)
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
        if (asprintf(&o->env_owned[o->envc], "%s=%s", s, host) < 0)
            return cli_error("--env: out of memory");
        s = o->env_owned[o->envc];
    }
    for (int i = 0; i < o->envc; i++)
        if (!strncmp(o->envp[i], s, n + 1))
            return cli_error("--env: %.*s given twice", (int)n, s);
    o->envp[o->envc++] = s;
    return 0;
}

static int parse_opt(int c, struct run_opts *o, char **argv)
{
    switch (c) {
    case 'm': o->mem_given = 1; return parse_mem(optarg, &o->mem);
    case 'd': return add_dev(o, MOTE_DEV_BLOCK, optarg);
    case 'n': return add_dev(o, MOTE_DEV_NET, optarg);
    case 'v': o->verbose = 1; return 0;
    case 'e': return add_env(o, optarg);
    case 'u': o->allow_unsigned = 1; return 0;
    case 'b': o->board_arg = optarg; return 0;
    case 't':
        if (trust_add(&o->trust, optarg) < 0)
            return cli_error("--trust: %s", err_msg());
        return 0;
    case 'h': return fputs(run_usage, stdout), -1;
    default:
        return cli_error("run: unknown option or missing value '%s' (try "
                         "'mote run --help')",
                         argv[optind - 1]);
    }
}

static int parse_args(int argc, char **argv, struct run_opts *o)
{
    static const struct option lo[] = {
        { "mem", required_argument, NULL, 'm' },
        { "disk", required_argument, NULL, 'd' },
        { "net", required_argument, NULL, 'n' },
        { "trust", required_argument, NULL, 't' },
        { "env", required_argument, NULL, 'e' },
        { "allow-unsigned", no_argument, NULL, 'u' },
        { "board", required_argument, NULL, 'b' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, rc;

    memset(o, 0, sizeof(*o));
    o->mem = MEM_DEFAULT;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+m:d:n:t:b:e:vh", lo, NULL)) != -1)
        if ((rc = parse_opt(c, o, argv)) != 0)
            return rc;
    if (optind >= argc)
        return cli_error("run: no IMAGE given (try 'mote run --help')");
    o->image = argv[optind];
    o->argv = argv + optind;
    o->argc = 1;
    if (optind + 1 < argc) {
        if (strcmp(argv[optind + 1], "--") != 0)
            return cli_error("run: unexpected '%s': guest arguments go "
                             "after --",
                             argv[optind + 1]);
        /* drop the "--" by moving the image name over it */
        argv[optind + 1] = argv[optind];
        o->argv = argv + optind + 1;
        o->argc = argc - optind - 1;
    }
    return 0;
}

static void on_signal(int sig)
{
    vm_request_stop(sig);
}

static void catch_signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int attach(struct vm *vm, const struct devspec *d)
{
    if (d->kind == MOTE_DEV_BLOCK)
        return disk_attach(vm, d->name, d->target, d->ro);
    return tap_attach(vm, d->name, d->target, d->has_mac ? d->mac : NULL);
}

static int setup_devices(struct vm *vm, const struct run_opts *o)
{
    int rc;

    if ((rc = hc_core_setup(vm)) < 0 || (rc = console_setup(vm, 1, 0)) < 0 ||
        (rc = entropy_setup(vm)) < 0)
        return err_set(-rc, "cannot register hypercalls");
    /* Every device kind's hypercalls, attached or not: an image without a
     * disk asking for one gets -MOTE_ENODEV, as docs/abi.md says. */
    if ((rc = disk_register(vm)) < 0 || (rc = tap_register(vm)) < 0)
        return rc;
    for (unsigned i = 0; i < o->ndev; i++)
        if ((rc = attach(vm, &o->dev[i])) < 0)
            return rc;
    return 0;
}

static int boot(struct vm *vm, const struct run_opts *o,
                const struct elf_image *img, const uint8_t *buf)
{
    struct bootinfo_params bp = {
        .mem_size = o->mem,
        .mem_base = vm->mem_base,
        .heap_start = (img->hi + 4095) & ~4095ULL,
        .argc = o->argc,
        .argv = o->argv,
        .envc = o->envc,
        .envp = o->envp,
        .dev = vm->dev,
    };
    int rc;

    if ((rc = setup_devices(vm, o)) < 0 ||
        (rc = arch_counter_freq(vm, &bp.counter_freq)) < 0)
        return rc;
    vm->counter_freq = bp.counter_freq;
    bp.ndev = vm->ndev;
    elf_load(img, buf, vm->mem, vm->mem_base);
    rc = bootinfo_build(vm->mem + (arch_layout.bootinfo - vm->mem_base),
                        arch_layout.bootinfo_max, arch_layout.bootinfo, &bp);
    if (rc < 0 || (rc = arch_vcpu_init(vm, img, arch_layout.bootinfo)) < 0)
        return rc;
    if (o->unsigned_image)
        fprintf(stderr,
                "mote: warning: %s is not signed; running it "
                "because of --allow-unsigned\n",
                o->image);
    return vm_run(vm);
}

/* The crashed guest's frames, one line each, after the crash line. */
static void print_backtrace(const struct vm *vm, const struct sym_table *syms)
{
    struct backtrace bt = vm->bt;
    char line[160];

    bt_resolve(&bt, syms);
    for (unsigned i = 0; i < bt.n; i++) {
        bt_format(&bt, i, syms, line, sizeof(line));
        fprintf(stderr, "mote:   %s\n", line);
    }
}

static int outcome(const struct vm *vm, const struct sym_table *syms)
{
    switch (vm->stop) {
    case VM_EXITED: return vm->exit_status;
    case VM_SIGNALED:
        fprintf(stderr, "mote: stopped by signal %d\n", vm->exit_status);
        return MOTE_EXIT_SIGNAL + vm->exit_status;
    case VM_CRASHED:
        fprintf(stderr, "mote: guest crashed: %s\n", err_msg());
        print_backtrace(vm, syms);
        return MOTE_EXIT_CRASH;
    default: return cli_error("guest stopped for no known reason");
    }
}

/* Pick the board, then apply what it says about memory and signatures. */
static int choose_board(struct run_opts *o)
{
    struct board *b = &o->board;
    char why[200];
    int rc;

    if (o->board_arg) {
        if ((rc = board_select(o->board_arg, arch_name, b)) < 0)
            return rc;
        snprintf(why, sizeof(why), "board %s: chosen with --board", b->name);
    } else if ((rc = board_detect(arch_name, b, why, sizeof(why))) < 0) {
        return rc;
    }
    if (o->verbose)
        fprintf(stderr, "mote: %s\n", why);
    if (o->allow_unsigned && !b->allow_unsigned)
        return err_set(EPERM, "board %s forbids --allow-unsigned", b->name);
    if (!o->mem_given)
        o->mem = b->mem_default;
    return 0;
}

/* After the manifest had its say: the board's memory cap. */
static int board_mem_cap(const struct run_opts *o)
{
    if (o->mem > o->board.mem_max)
        return err_set(EPERM,
                       "%llu MiB of guest memory is more than board "
                       "%s allows (%llu MiB)",
                       (unsigned long long)(o->mem >> 20), o->board.name,
                       (unsigned long long)(o->board.mem_max >> 20));
    return 0;
}

/* Check the signature of the image in buf; *len becomes the signed part. */
static int verify(struct run_opts *o, const uint8_t *buf, size_t *len)
{
    const struct sig_key *k;
    int rc;

    if (o->trust.n == 0 && access(TRUST_DEFAULT_DIR, F_OK) == 0 &&
        (rc = trust_add(&o->trust, TRUST_DEFAULT_DIR)) < 0)
        return rc;
    if ((rc = image_verify(buf, *len, &o->trust, o->allow_unsigned, len, &k)) <
        0)
        return rc;
    o->unsigned_image = !k;
    if (k && o->verbose)
        fprintf(stderr, "mote: %s: good signature by %s\n", o->image,
                sig_key_path(k));
    return 0;
}

/*
 * Read the image once, verify it, then parse and later load exactly those
 * bytes: nothing is read again between the check and the load.
 */
static int load_image(struct run_opts *o, uint8_t **buf, struct elf_image *img,
                      struct sym_table *syms)
{
    size_t len;
    int rc;

    if ((rc = image_read(o->image, IMAGE_MAX, buf, &len)) < 0)
        return rc;
    if ((rc = verify(o, *buf, &len)) < 0 ||
        (rc = elf_parse(*buf, len, arch_elf_machine, img)) < 0 ||
        (rc = manifest_check(img, o->dev, o->ndev, &o->mem, o->mem_given)) <
            0 ||
        (rc = board_mem_cap(o)) < 0 ||
        (rc = elf_check_fit(img, arch_layout.image_lo,
                            arch_layout.mem_base + o->mem)) < 0)
        return err_prefix(rc, o->image);
    sym_load(*buf, len, syms); /* none is fine: crashes show addresses */
    if (o->verbose)
        fprintf(stderr,
                "mote: %s: %s image, entry 0x%llx, %u segments at "
                "0x%llx-0x%llx, %llu MiB of guest memory\n",
                o->image, arch_name, (unsigned long long)img->entry, img->nsegs,
                (unsigned long long)img->lo, (unsigned long long)img->hi,
                (unsigned long long)(o->mem >> 20));
    return 0;
}

static void env_free(struct run_opts *o)
{
    for (int i = 0; i < ENV_MAX; i++)
        free(o->env_owned[i]);
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o;
    struct elf_image img;
    struct sym_table syms = { 0 };
    struct vm vm;
    uint8_t *buf = NULL;
    int rc;

    if ((rc = parse_args(argc, argv, &o)) != 0) {
        trust_free(&o.trust);
        env_free(&o);
        return rc < 0 ? 0 : rc;
    }
    rc = choose_board(&o);
    if (rc == 0)
        rc = load_image(&o, &buf, &img, &syms);
    trust_free(&o.trust);
    if (rc < 0) {
        free(buf);
        sym_free(&syms);
        return cli_error("%s", err_msg());
    }
    if (vm_create(&vm, o.mem) < 0) {
        free(buf);
        sym_free(&syms);
        return cli_error("%s", err_msg());
    }
    vm.verbose = o.verbose;
    vm.model = o.board.model;
    if (board_pin(&o.board) < 0) {
        vm_destroy(&vm);
        free(buf);
        sym_free(&syms);
        return cli_error("%s", err_msg());
    }
    catch_signals();
    rc = boot(&vm, &o, &img, buf);
    free(buf);
    rc = rc < 0 ? cli_error("%s", err_msg()) : outcome(&vm, &syms);
    vm_destroy(&vm);
    sym_free(&syms);
    env_free(&o);
    return rc;
}
