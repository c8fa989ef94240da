/* mote boards: the built-in board profiles, and which one this host is. */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "board.h"
#include "cli.h"
#include "err.h"

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
    int detected;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("Usage: mote boards\n\nList the built-in board profiles; * marks "
             "the one this host is detected as.\nmote run --board NAME|FILE "
             "picks another. See boards/README.md.");
        return 0;
    }
    if (argc > 1)
        return cli_error("boards: takes no arguments");
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
