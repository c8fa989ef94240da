/* libOS stdlib: number conversion, rand, qsort. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int digit(int c)
{
    if (isdigit(c))
        return c - '0';
    if (isalpha(c))
        return tolower(c) - 'a' + 10;
    return 99;
}

/* Parse sign and base prefix; the magnitude goes to *v. Returns the sign. */
static int parse(const char *s, char **end, int base, unsigned long long *v)
{
    const char *p = s;
    int neg = 0, any = 0, d;

    while (isspace(*p))
        p++;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && tolower(p[1]) == 'x' &&
        digit(p[2]) < 16)
        p += 2, base = 16;
    else if (base == 0)
        base = *p == '0' ? 8 : 10;
    for (*v = 0; (d = digit(*p)) < base; p++, any = 1) {
        if (*v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            errno = ERANGE, *v = ULLONG_MAX;
        else
            *v = *v * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    return neg ? -1 : 1;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    unsigned long long v;
    int sign = parse(s, end, base, &v);

    return sign < 0 ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    return (unsigned long)strtoull(s, end, base);
}

long long strtoll(const char *s, char **end, int base)
{
    unsigned long long v;
    int sign = parse(s, end, base, &v);

    if (sign > 0 && v > (unsigned long long)LLONG_MAX)
        return errno = ERANGE, LLONG_MAX;
    if (sign < 0 && v > (unsigned long long)LLONG_MAX + 1)
        return errno = ERANGE, LLONG_MIN;
    return sign < 0 ? (long long)(0 - v) : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
    return (long)strtoll(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

int abs(int v)
{
    return v < 0 ? -v : v;
}

long labs(long v)
{
    return v < 0 ? -v : v;
}

static unsigned long long rand_state = 1;

void srand(unsigned seed)
{
    rand_state = seed;
}

int rand(void)
{
    rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)(rand_state >> 33);
}

static void swap(char *a, char *b, size_t size)
{
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Insertion sort: small, stable, fine for the sizes a unikernel sorts. */
void qsort(void *base, size_t n, size_t size,
           int (*cmp)(const void *, const void *))
{
    char *b = base;

    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0;
             j--)
            swap(b + (j - 1) * size, b + j * size, size);
}
