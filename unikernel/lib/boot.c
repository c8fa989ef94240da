/* libOS boot: from the start code to main(), and the ways out. */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>

#include "libos.h"

int errno;
static const struct mote_bootinfo *boot_info;

int main(int argc, char **argv);

const struct mote_bootinfo *mote_bootinfo(void)
{
    return boot_info;
}

__attribute__((noreturn)) void mote_boot(const struct mote_bootinfo *bi)
{
    boot_info = bi;
    time_init(bi->counter_freq);
    heap_init(bi->heap_start, bi->mem_base + bi->mem_size);
    entropy_seed_rand(); /* on failure rand() keeps its fixed seed */
    exit(main((int)bi->argc, (char **)(uintptr_t)bi->argv));
}

void exit(int status)
{
    struct mote_hc_exit a = { .status = status };

    fflush(stdout);
    for (;;)
        mote_hypercall(MOTE_HC_EXIT, &a);
}

void abort(void)
{
    fputs("abort() called\n", stderr);
    exit(134);
}

void mote_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expr);
    abort();
}
