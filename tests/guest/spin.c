/* Says "spinning", then spins forever without a hypercall: only a signal
 * to mote can stop it. "spin flood": writes lines to the console forever
 * instead (mote blocks on a console nobody reads). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    puts("spinning");
    fflush(stdout);
    if (argc > 1 && !strcmp(argv[1], "flood"))
        for (;;)
            puts("flooding the console ................................");
    for (volatile unsigned long i = 0;; i++)
        ;
}
