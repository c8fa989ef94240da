/* Says "spinning", then spins forever without a hypercall: only a signal
 * to mote can stop it. "spin flood": writes lines to the console forever
 * instead (mote blocks on a console nobody reads); "spin flood SIZE"
 * writes SIZE bytes at a time (at most 65536: one console call each). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char block[65536];

static void flood(size_t size)
{
    memset(block, 'x', size);
    block[size - 1] = '\n';
    for (;;)
        write(1, block, size);
}

int main(int argc, char **argv)
{
    puts("spinning");
    fflush(stdout);
    if (argc > 2 && !strcmp(argv[1], "flood")) {
        unsigned long size = strtoul(argv[2], NULL, 10);

        flood(size < 1 ? 1 : size > sizeof(block) ? sizeof(block) : size);
    }
    if (argc > 1 && !strcmp(argv[1], "flood"))
        for (;;)
            puts("flooding the console ................................");
    for (volatile unsigned long i = 0;; i++)
        ;
}
