/* Built by tests/toolchain.sh with make CC=mote-cc: a program in two
 * files and an archive, using libm and a bundled file. */
#include <math.h>
#include <stdio.h>

double area(double r);

/* An unused parameter: only the user's own warnings apply. */
static int unused(int x)
{
    return 0;
}

int main(void)
{
    FILE *f = fopen("/etc/shape", "r");
    char name[32] = "";

    if (f && fscanf(f, "%31s", name) == 1)
        fclose(f);
    printf("%s %.6f %g\n", name, area(2.0), cbrt(27.0) + unused(1));
    return 0;
}
