/* Conformance: <ctype.h> in the "C" locale, strtol family, <string.h>,
 * qsort/bsearch, abs/div. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cases;

/* One letter per class a character is in, '.' where it is not. */
static void ctype_table(void)
{
    static int (*const fn[])(int) = { isalnum, isalpha, isblank, iscntrl,
                                      isdigit, isgraph, islower, isprint,
                                      ispunct, isspace, isupper, isxdigit };
    const char *letters = "abBcdglpPsux";
    printf("ctype classes: %s, then toupper/tolower if changed\n", letters);
    for (int c = -1; c < 256; c++) {
        char cls[16];
        for (int i = 0; i < 12; i++)
            cls[i] = fn[i](c) ? letters[i] : '.';
        cls[12] = 0;
        printf("%3d %s", c, cls);
        if (toupper(c) != c || tolower(c) != c)
            printf(" %d %d", toupper(c), tolower(c));
        printf(c % 4 == 2 ? "\n" : " | ");
        cases += 14;
    }
    printf("\n");
}

static void show_long(const char *fn, const char *s, int base, long long v,
                      const char *end, int err)
{
    printf("%s(\"%s\", %d) = %lld end=%d erange=%d\n", fn, s, base, v,
           (int)(end - s), err == ERANGE);
    cases++;
}

static void strtol_cases(void)
{
    static const struct {
        const char *s;
        int base;
    } in[] = {
        { "0", 10 },
        { "  -42xyz", 10 },
        { "+17", 0 },
        { "0x1F", 0 },
        { "0X1f", 16 },
        { "0x", 16 },
        { "0x", 0 },
        { "0xg", 16 },
        { "017", 0 },
        { "089", 0 },
        { "101", 2 },
        { "z", 36 },
        { "Zz", 36 },
        { "777", 8 },
        { "-0", 10 },
        { "", 10 },
        { "  ", 10 },
        { "- 5", 10 },
        { "9223372036854775807", 10 },
        { "9223372036854775808", 10 },
        { "-9223372036854775808", 10 },
        { "-9223372036854775809", 10 },
        { "99999999999999999999999", 10 },
        { "ffffffffffffffff", 16 },
        { "18446744073709551615", 10 },
        { "18446744073709551616", 10 },
        { "-1", 10 },
        { "-18446744073709551615", 10 },
        { "0b1", 16 },
        { "1e3", 10 },
    };
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        const char *s = in[i].s;
        char *end;
        errno = 0;
        long l = strtol(s, &end, in[i].base);
        show_long("strtol", s, in[i].base, l, end, errno);
        errno = 0;
        unsigned long ul = strtoul(s, &end, in[i].base);
        printf("  strtoul %lu end=%d erange=%d\n", ul, (int)(end - s),
               errno == ERANGE);
        errno = 0;
        long long ll = strtoll(s, &end, in[i].base);
        printf("  strtoll %lld end=%d erange=%d\n", ll, (int)(end - s),
               errno == ERANGE);
        errno = 0;
        unsigned long long ull = strtoull(s, &end, in[i].base);
        printf("  strtoull %llu end=%d erange=%d\n", ull, (int)(end - s),
               errno == ERANGE);
        /* atoi of an out-of-range value is undefined */
        if (l >= INT_MIN && l <= INT_MAX)
            printf("  atoi %d atol %ld\n", atoi(s), atol(s));
        cases += 4;
    }
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void string_cases(void)
{
    const char *s = "hello, world; foo=bar";
    printf("strpbrk %d strspn %zu strcspn %zu\n", (int)(strpbrk(s, ";=") - s),
           strspn(s, "leho"), strcspn(s, ",;"));
    printf("strchr %d strrchr %d strchr0 %d null %d\n",
           (int)(strchr(s, 'o') - s), (int)(strrchr(s, 'o') - s),
           (int)(strchr(s, 0) - s), strchr(s, 'z') == NULL);
    printf("strstr %d empty %d miss %d\n", (int)(strstr(s, "wor") - s),
           (int)(strstr(s, "") - s), strstr(s, "worlds") == NULL);
    printf("memchr %d miss %d\n", (int)((const char *)memchr(s, 'w', 21) - s),
           memchr(s, 'w', 7) == NULL);
    char tok[] = ",,a,b;;c,,";
    printf("strtok:");
    for (char *t = strtok(tok, ",;"); t; t = strtok(NULL, ",;"))
        printf(" [%s]", t);
    printf("\n");
    char buf[16];
    memset(buf, 'X', sizeof(buf));
    strncpy(buf, "abc", 6);
    printf("strncpy pad %d %d %d %c\n", buf[3], buf[4], buf[5], buf[6]);
    strncpy(buf, "abcdefgh", 4);
    printf("strncpy cut %.6s\n", buf);
    strcpy(buf, "ab");
    strncat(buf, "cdefgh", 3);
    printf("strncat [%s] %zu\n", buf, strlen(buf));
    printf("cmp %d %d %d %d\n", sign(strcmp("a", "b")), sign(strcmp("b", "a")),
           sign(strncmp("abcX", "abcY", 3)), sign(strcmp("\xff", "a")));
    printf("memcmp %d strcoll %d %d\n", sign(memcmp("\x80", "\x01", 1)),
           sign(strcoll("abc", "abd")), sign(strcoll("b", "B")));
    /* strxfrm's output is unspecified; only strcmp of it is */
    char x1[32], x2[32];
    size_t n1 = strxfrm(x1, "apple", sizeof(x1));
    size_t n2 = strxfrm(x2, "apricot", sizeof(x2));
    printf("strxfrm fits %d %d order %d\n", n1 < sizeof(x1), n2 < sizeof(x2),
           sign(strcmp(x1, x2)));
    memmove(buf, "0123456789", 11);
    memmove(buf + 2, buf, 5);
    printf("memmove %s\n", buf);
    cases += 19;
    /* strerror texts differ between libcs: only that there is one */
    int good = 0;
    for (int e = 1; e <= 40; e++) {
        const char *m = strerror(e);
        good += m != NULL && m[0] != 0;
    }
    printf("strerror 1..40 non-empty: %d\n", good);
    cases += 40;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sort_cases(void)
{
    int v[40];
    unsigned x = 12345;
    for (int i = 0; i < 40; i++) {
        x = x * 1103515245u + 12345u;
        v[i] = (int)(x >> 16) % 100 - 50;
    }
    qsort(v, 40, sizeof(int), cmp_int);
    printf("qsort:");
    for (int i = 0; i < 40; i++)
        printf(" %d", v[i]);
    printf("\n");
    const char *w[] = { "pear", "apple", "fig", "banana", "cherry", "date" };
    qsort(w, 6, sizeof(w[0]), cmp_str);
    printf("qsort str: %s %s %s %s %s %s\n", w[0], w[1], w[2], w[3], w[4],
           w[5]);
    const char *key = "date", *miss = "grape";
    const char **hit = bsearch(&key, w, 6, sizeof(w[0]), cmp_str);
    printf("bsearch date %d grape %d\n", hit ? (int)(hit - w) : -1,
           bsearch(&miss, w, 6, sizeof(w[0]), cmp_str) != NULL);
    qsort(v, 0, sizeof(int), cmp_int);
    cases += 4;
}

static void arith_cases(void)
{
    div_t d = div(-7, 2);
    ldiv_t ld = ldiv(7L, -2L);
    lldiv_t lld = lldiv(LLONG_MAX, 10);
    printf("abs %d %d labs %ld llabs %lld\n", abs(-5), abs(INT_MAX),
           labs(-123456789L), llabs(-LLONG_MAX));
    printf("div %d %d ldiv %ld %ld lldiv %lld %lld\n", d.quot, d.rem, ld.quot,
           ld.rem, lld.quot, lld.rem);
    cases += 6;
}

int main(void)
{
    setlocale(LC_ALL, "C");
    ctype_table();
    strtol_cases();
    string_cases();
    sort_cases();
    arith_cases();
    printf("cases %d\n", cases);
    printf("DONE ctype_string\n");
    return 0;
}
