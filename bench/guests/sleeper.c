/* sleeper: says "up" and sleeps, for counting concurrent guests in make bench.
 * Usage: sleeper MS. The sleep blocks in the monitor; the guest never spins. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    long ms = argc > 1 ? strtol(argv[1], NULL, 10) : 60000;
    struct timespec req = { ms / 1000, (ms % 1000) * 1000000L };

    printf("up\n");
    nanosleep(&req, NULL);
    return 0;
}
