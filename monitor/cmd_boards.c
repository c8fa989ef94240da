/* mote boards: the built-in board profiles, and which one this host is. */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "board.h"
#include "cli.h"
#include "err.h"

static const char boards_usage[] =
    "Usage: mote boards\n"
    "\n"
    "List the built-in board profiles; * marks the one this host is\n"
    "detected as. mote run --board NAME|FILE picks another. See\n"
    "boards/README.md.\n"
    "\n"
    "Options:\n"
    "  -h, --help       print this help\n";

static void print_cpus(uint64_t cpus, char *buf, size_t size)
{
    size_t n = 0;

    if (!cpus) {
        snprintf(buf, size, "all");
        return;
    }
    buf[0] = '\0';
    for (int c = 0; c < 64 && n < size; c++)
        if (cpus & (1ULL << c))
            n += (size_t)snprintf(buf + n, size - n, "%s%d", n ? "," : "", c);
}

int cmd_boards(int argc, char **argv)
{
    struct board b, host;
    char why[200], cpus[64];
    int detected, rc;

    if ((rc = cli_no_args("boards", boards_usage, argc, argv)) != 0)
        return rc < 0 ? 0 : rc;
    detected = board_detect(arch_name, &host, why, sizeof(why)) == 0;
    printf("  %-14s %-8s %-8s %-8s %-6s %-9s %s\n", "NAME", "ARCH", "MEM",
           "MEM-MAX", "CPUS", "UNSIGNED", "MODEL");
    for (unsigned i = 0; i < board_count(); i++) {
        if (board_builtin(i, &b) < 0)
            return cli_error("built-in board %u: %s", i, err_msg());
        print_cpus(b.cpus, cpus, sizeof(cpus));
        printf("%c %-14s %-8s %-8llu %-8llu %-6s %-9s %s\n",
               detected && !strcmp(b.name, host.name) ? '*' : ' ', b.name,
               b.arch, (unsigned long long)(b.mem_default >> 20),
               (unsigned long long)(b.mem_max >> 20), cpus,
               b.allow_unsigned ? "allowed" : "refused", b.model);
    }
    printf("(memory in MiB)\n");
    if (detected)
        printf("this host: %s\n", why);
    return 0;
}
