/* mote: entry point and subcommand dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "cli.h"
#include "timing.h"

/* The Makefile's VERSION, the one place the version is written. */
#ifndef MOTE_VERSION
#error "MOTE_VERSION is not defined: build mote with its Makefile"
#endif

static const char usage[] =
    "Usage: mote COMMAND [OPTIONS]\n"
    "\n"
    "mote boots single-purpose unikernels under KVM.\n"
    "\n"
    "Commands:\n"
    "  run IMAGE [-- ARGS...]   boot IMAGE with ARGS as its argv\n"
    "  disk create|resize|info  manage raw disk images\n"
    "  keygen KEYFILE           make a signing key pair\n"
    "  sign --key KEY IMAGE     sign an image\n"
    "  verify --trust PUB IMAGE check an image's signature\n"
    "  inspect IMAGE            show an image's arch, manifest, signature\n"
    "  ctl PATH COMMAND         control a guest run with --api PATH\n"
    "  restore SNAPSHOT         run on a guest saved by 'mote ctl snapshot'\n"
    "  boards                   list board profiles, and this host's\n"
    "  oci COMMAND ...          the OCI runtime (also run as mote-oci)\n"
    "  version                  print the version and exit\n"
    "  help [COMMAND]           print this help, or COMMAND's\n"
    "\n"
    "Run 'mote COMMAND --help' for a command's options.\n"
    "Exit status: the guest's own, or 125 when mote failed, 126 when the\n"
    "guest crashed, 128+N when mote was stopped by signal N.\n";

int cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("mote: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return MOTE_EXIT_ERROR;
}

static const char version_usage[] =
    "Usage: mote version\n"
    "\n"
    "Print mote's version and the arch of the guests it runs (also\n"
    "'mote --version').\n"
    "\n"
    "Options:\n"
    "  -h, --help       print this help\n";

static const char help_usage[] =
    "Usage: mote help [COMMAND]\n"
    "\n"
    "Print mote's commands, or what 'mote COMMAND --help' prints.\n"
    "\n"
    "Options:\n"
    "  -h, --help       print this help\n";

int cli_bad_option(const char *command, const char *arg)
{
    return cli_error("%s: unknown option or missing value '%s' (try 'mote "
                     "%s --help')",
                     command, arg, command);
}

static int is_help_opt(const char *s)
{
    return !strcmp(s, "--help") || !strcmp(s, "-h");
}

int cli_no_args(const char *command, const char *usage, int argc, char **argv)
{
    if (argc < 2)
        return 0;
    if (is_help_opt(argv[1]))
        return fputs(usage, stdout), -1;
    if (argv[1][0] == '-')
        return cli_bad_option(command, argv[1]);
    return cli_error("%s: takes no arguments (try 'mote %s --help')", command,
                     command);
}

static int cmd_version(int argc, char **argv)
{
    int rc = cli_no_args("version", version_usage, argc, argv);

    if (rc != 0)
        return rc < 0 ? 0 : rc;
    printf("mote %s (%s guests)\n", MOTE_VERSION, arch_name);
    return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
} cmds[] = {
    { "run", cmd_run },         { "disk", cmd_disk },
    { "keygen", cmd_keygen },   { "sign", cmd_sign },
    { "verify", cmd_verify },   { "inspect", cmd_inspect },
    { "boards", cmd_boards },   { "ctl", cmd_ctl },
    { "restore", cmd_restore }, { "version", cmd_version },
    { "help", cmd_help },       { "oci", cmd_oci },
};

static const struct command *find(const char *name)
{
    for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(name, cmds[i].name))
            return &cmds[i];
    return NULL;
}

/* mote help [COMMAND]: the commands, or COMMAND --help. */
static int cmd_help(int argc, char **argv)
{
    char opt[] = "--help";
    char *args[] = { argc > 1 ? argv[1] : NULL, opt, NULL };
    const struct command *c;

    if (argc < 2)
        return fputs(usage, stdout), 0;
    if (is_help_opt(argv[1]))
        return fputs(help_usage, stdout), 0;
    if (argv[1][0] == '-')
        return cli_bad_option("help", argv[1]);
    if (argc > 2)
        return cli_error("help: want one COMMAND (try 'mote help --help')");
    if (!(c = find(argv[1])))
        return cli_error("help: unknown command '%s' (try 'mote --help')",
                         argv[1]);
    return c->fn(2, args);
}

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    const struct command *c;

    timing_mark("main");
    if (!strcmp(base(argv[0]), "mote-oci")) /* engines call it by path */
        return cmd_oci(argc, argv);
    if (!cmd)
        return fputs(usage, stderr), MOTE_EXIT_ERROR;
    if (is_help_opt(cmd))
        cmd = "help";
    else if (!strcmp(cmd, "--version"))
        cmd = "version";
    if (!(c = find(cmd)))
        return cli_error("unknown command '%s' (try 'mote --help')", cmd);
    return c->fn(argc - 1, argv + 1);
}
