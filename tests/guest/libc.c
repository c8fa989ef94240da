/* The guest's C library: string, printf family, strtol, qsort, malloc. */
#include <limits.h>
#include <mote.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define FMT(want, ...)                                                         \
    do {                                                                       \
        char b_[128];                                                          \
        int n_ = snprintf(b_, sizeof(b_), __VA_ARGS__);                        \
        if (strcmp(b_, want) || n_ != (int)strlen(want)) {                     \
            printf("printf: got \"%s\" (%d), want \"%s\"\n", b_, n_, want);    \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

static const char *volatile nothing; /* NULL the compiler cannot see */
static const char *volatile long_text = "truncated";
static volatile size_t huge = SIZE_MAX / 2;

static void test_printf(void)
{
    char small[4];

    FMT("42 -7 +3", "%d %i %+d", 42, -7, 3);
    FMT("ff FF 0xff 377", "%x %X %#x %o", 255, 255, 255, 255);
    FMT("[   5][5   ][00005]", "[%4d][%-4d][%05d]", 5, 5, 5);
    FMT("18446744073709551615", "%lu", ULONG_MAX);
    FMT("-9223372036854775808", "%lld", LLONG_MIN);
    FMT("abc|  ab|ab", "%s|%4.2s|%.*s", "abc", "abc", 2, "abcdef");
    FMT("(null) x %", "%s %c %%", nothing, 'x');
    FMT("0x1000", "%p", (void *)0x1000);
    FMT("007", "%.3u", 7);
    FMT("-128 65535", "%hhd %hu", (signed char)-128, (unsigned short)65535);
    CHECK(snprintf(small, sizeof(small), "%s", long_text) == 9);
    CHECK(!strcmp(small, "tru"));
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static void test_string(void)
{
    char buf[32], *save, *t;
    int v[] = { 5, 3, 9, 1, 7 };

    CHECK(strlen("hello") == 5 && strnlen("hello", 3) == 3);
    CHECK(strcmp("a", "b") < 0 && strncmp("abc", "abd", 2) == 0);
    CHECK(!strcmp(strchr("a/b/c", '/'), "/b/c"));
    CHECK(!strcmp(strrchr("a/b/c", '/'), "/c"));
    CHECK(!strcmp(strstr("needle in hay", "in"), "in hay"));
    strcpy(buf, "one two  three");
    t = strtok_r(buf, " ", &save);
    CHECK(!strcmp(t, "one"));
    CHECK(!strcmp(strtok_r(NULL, " ", &save), "two"));
    CHECK(!strcmp(strtok_r(NULL, " ", &save), "three"));
    CHECK(strtok_r(NULL, " ", &save) == NULL);
    memset(buf, 'x', 8);
    memmove(buf + 2, buf, 6);
    CHECK(memcmp(buf, "xxxxxxxx", 8) == 0);
    CHECK(strtol("-0x1f", NULL, 0) == -31 && strtoul("777", NULL, 8) == 511);
    CHECK(atoi("  123abc") == 123);
    qsort(v, 5, sizeof(int), cmp_int);
    CHECK(v[0] == 1 && v[2] == 5 && v[4] == 9);
}

static void test_malloc(void)
{
    size_t before = mote_heap_free();
    void *p[64];

    for (int i = 0; i < 64; i++) {
        p[i] = malloc((size_t)i * 97 + 1);
        CHECK(p[i] && ((uintptr_t)p[i] & 15) == 0);
        memset(p[i], i, (size_t)i * 97 + 1);
    }
    for (int i = 0; i < 64; i++)
        for (size_t j = 0; j < (size_t)i * 97 + 1; j++)
            CHECK(((unsigned char *)p[i])[j] == i);
    for (int i = 0; i < 64; i += 2)
        free(p[i]);
    for (int i = 1; i < 64; i += 2)
        free(p[i]);
    char *s = calloc(100, 1);
    CHECK(s && s[0] == 0 && s[99] == 0);
    strcpy(s, "grow me");
    s = realloc(s, 100000);
    CHECK(s && !strcmp(s, "grow me"));
    free(s);
    CHECK(malloc(before + (1 << 20)) == NULL);
    CHECK(calloc(huge, 4) == NULL);
}

static void test_float(void)
{
    volatile double x = 2.0;
    double r = x;

    for (int i = 0; i < 5; i++)
        r = (r + x / r) /
            2; /* sqrt(2) by Newton: SSE/FP at the guest's level */
    CHECK(r > 1.41421 && r < 1.41422);
}

int main(void)
{
    test_printf();
    test_string();
    test_malloc();
    test_float();
    printf("libc ok\n");
    return 0;
}
