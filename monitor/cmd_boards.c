/* mote boards: the built-in board profiles, which one this host is, and
 * the site policy. */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "board.h"
#include "boot.h"
#include "cli.h"
#include "err.h"
#include "policy.h"

static const char boards_usage[] =
    "Usage: mote boards\n"
    "\n"
    "List the built-in board profiles; * marks the one this host is\n"
    "detected as (its policy is a floor: mote run --board NAME|FILE may\n"
    "pick a stricter profile, never a looser one). Then the site policy,\n"
    "if " POLICY_PATH " exists. See boards/README.md.\n"
    "\n"
    "Options:\n"
    "  -h, --help       print this help\n";

/* The site policy in one line. */
static void print_policy(void)
{
    struct policy p;
    char cpus[64];

    if (policy_load(POLICY_PATH, &p) < 0) {
        printf("site policy: %s\n", err_msg());
        return;
    }
    if (!p.present) {
        printf("site policy: none (no %s)\n", POLICY_PATH);
        return;
    }
    board_cpus_str(p.lim.cpus, cpus, sizeof(cpus));
    printf("site policy: %s: unsigned images %s, mem-max ", POLICY_PATH,
           p.lim.allow_unsigned ? "allowed" : "refused");
    if (p.lim.mem_max)
        printf("%llu MiB", (unsigned long long)(p.lim.mem_max >> 20));
    else
        printf("any");
    printf(", cpus %s, console-rate-max ", cpus);
    if (p.lim.console_rate_max) {
        char rate[32];

        size_str(p.lim.console_rate_max, rate, sizeof(rate));
        printf("%s a second", rate);
    } else {
        printf("any");
    }
    printf(", board %s\n", p.board[0] ? p.board : "detected");
}

int cmd_boards(int argc, char **argv)
{
    const struct board_request r = { .root = "", .policy = POLICY_PATH };
    struct board b, host;
    char why[300], cpus[64];
    int detected, rc;

    if ((rc = cli_no_args("boards", boards_usage, argc, argv)) != 0)
        return rc < 0 ? 0 : rc;
    detected = policy_board(&r, arch_name, &host, why, sizeof(why)) == 0;
    if (!detected)
        snprintf(why, sizeof(why), "%s", err_msg());
    printf("  %-14s %-8s %-8s %-8s %-6s %-9s %s\n", "NAME", "ARCH", "MEM",
           "MEM-MAX", "CPUS", "UNSIGNED", "MODEL");
    for (unsigned i = 0; i < board_count(); i++) {
        if (board_builtin(i, &b) < 0)
            return cli_error("built-in board %u: %s", i, err_msg());
        board_cpus_str(b.cpus, cpus, sizeof(cpus));
        printf("%c %-14s %-8s %-8llu %-8llu %-6s %-9s %s\n",
               detected && !strcmp(b.name, host.name) ? '*' : ' ', b.name,
               b.arch, (unsigned long long)(b.mem_default >> 20),
               (unsigned long long)(b.mem_max >> 20), cpus,
               b.allow_unsigned ? "allowed" : "refused", b.model);
    }
    printf("(memory in MiB)\n");
    printf("this host: %s\n", why);
    print_policy();
    return 0;
}
