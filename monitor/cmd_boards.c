/* mote boards: list the built-in board profiles, marking the host's. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "board.h"
#include "cli.h"
#include "err.h"

static const char boards_usage[] =
    "Usage: mote boards\n"
    "\n"
    "List the board profiles mote knows: the model string the guest sees,\n"
    "default and largest guest memory, and the host CPUs the guest may\n"
    "use. '*' marks the profile 'mote run' picks on this host; choose\n"
    "another with 'mote run --board NAME'.\n";

/* A CPU mask as a list of ranges: "0-3,6". */
static void cpu_list(uint64_t mask, char *buf, size_t size)
{
    size_t n = 0;

    snprintf(buf, size, "any");
    for (unsigned c = 0; c < 64 && n < size; c++) {
        unsigned e = c;

        if (!(mask >> c & 1))
            continue;
        while (e < 63 && mask >> (e + 1) & 1)
            e++;
        n += (size_t)snprintf(buf + n, size - n, e > c ? "%s%u-%u" : "%s%u",
                              n ? "," : "", c, e);
        c = e;
    }
}

static void print_one(const struct board *b, int host)
{
    char cpus[40];

    cpu_list(b->cpus, cpus, sizeof(cpus));
    printf("%c %-14s %-8s %6lluM %6lluM  %-10s %s\n", host ? '*' : ' ', b->name,
           b->arch, (unsigned long long)(b->mem_default >> 20),
           (unsigned long long)(b->mem_max >> 20), cpus, b->model);
}

int cmd_boards(int argc, char **argv)
{
    struct board host, b;

    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
        return fputs(boards_usage, stdout), 0;
    if (argc > 1)
        return cli_error("boards: unexpected '%s'", argv[1]);
    if (board_detect_host(arch_name, &host) < 0)
        host.name[0] = '\0';
    printf("  %-14s %-8s %7s %7s  %-10s %s\n", "NAME", "ARCH", "MEM", "MAX",
           "CPUS", "MODEL");
    for (unsigned i = 0; i < board_nfiles; i++) {
        if (board_parse(board_files[i].name, board_files[i].text, &b) < 0)
            return cli_error("%s", err_msg());
        print_one(&b, !strcmp(b.name, host.name));
    }
    return 0;
}
