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
    "  boards                   list board profiles, and this host's\n"
    "  version                  print the version and exit\n"
    "  help                     print this help\n"
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

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} cmds[] = {
    { "run", cmd_run },       { "disk", cmd_disk },
    { "keygen", cmd_keygen }, { "sign", cmd_sign },
    { "verify", cmd_verify }, { "inspect", cmd_inspect },
    { "boards", cmd_boards }, { "ctl", cmd_ctl },
};

static int is_help(const char *s)
{
    return !strcmp(s, "help") || !strcmp(s, "--help") || !strcmp(s, "-h");
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    timing_mark("main");
    if (!cmd)
        return fputs(usage, stderr), MOTE_EXIT_ERROR;
    if (is_help(cmd))
        return fputs(usage, stdout), 0;
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("mote %s (%s guests)\n", MOTE_VERSION, arch_name);
        return 0;
    }
    for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(cmd, cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    return cli_error("unknown command '%s' (try 'mote --help')", cmd);
}
