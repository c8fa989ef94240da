/* A 4 MiB .bss: the monitor must zero it, and refuse a --mem too small. */
#include "check.h"

static unsigned char big[4 << 20];

int main(void)
{
    for (unsigned long i = 0; i < sizeof(big); i += 4093)
        CHECK(big[i] == 0);
    big[sizeof(big) - 1] = 1;
    CHECK(big[sizeof(big) - 1] == 1);
    return 0;
}
