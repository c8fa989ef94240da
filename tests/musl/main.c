/* musl built for mote guests, linked outside the libOS: checks a few results
 * and, where it can run (forward_*.c), that system calls reach
 * __mote_syscall. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long mote_test_calls(void);

int main(int argc, char **argv)
{
    char buf[128];
    struct timespec ts = { 0 };
    char *big = malloc(1 << 20); /* past the brk/mmap threshold */
    int fails = 0;

    snprintf(buf, sizeof buf, "%.17g %g %a %.3f", strtod("0.1", NULL),
             sqrt(2.0), 1.0, exp(1.0));
    if (strcmp(buf, "0.10000000000000001 1.41421 0x1p+0 2.718") != 0)
        fails++;
    if (!big || clock_gettime(CLOCK_MONOTONIC, &ts) != 0 || ts.tv_sec < 0)
        fails++;
    free(big);
    printf("musl test (%s): %s; %d failed, %ld calls to __mote_syscall\n",
           argc > 0 ? argv[0] : "?", buf, fails, mote_test_calls());
    return fails != 0 || mote_test_calls() == 0;
}
