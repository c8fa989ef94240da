/* Says "spinning", then spins forever without a hypercall: only a signal
 * to mote can stop it. */
#include <stdio.h>

int main(void)
{
    puts("spinning");
    fflush(stdout);
    for (volatile unsigned long i = 0;; i++)
        ;
}
