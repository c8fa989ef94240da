/* stats: numbers on stdin, one a line; prints "MEDIAN MIN MAX COUNT".
 * Prints "- - - 0" when there are none. */
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int main(void)
{
    size_t n = 0, cap = 1024;
    double *v = malloc(cap * sizeof(*v)), med;

    while (v && scanf("%lf", &v[n]) == 1)
        if (++n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
            return 1;
    if (!v)
        return 1;
    if (n == 0)
        return puts("- - - 0"), 0;
    qsort(v, n, sizeof(*v), cmp);
    med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("%.6g %.6g %.6g %zu\n", med, v[0], v[n - 1], n);
    return 0;
}
