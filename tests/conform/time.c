/* Conformance: gmtime, localtime with POSIX TZ strings, mktime, timegm,
 * strftime in the "C" locale, difftime. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cases;

static const long long epochs[] = {
    0,          -1,         86399,       86400,        68169600,
    78796799,   94694400,   -2208988800, -11644473600, 951782400,
    951868799,  983404800,  1078012800,  1104451200,   1104537600,
    1230681600, 1230768000, 1230854399,  1483228799,   2147483647,
    2147483648, 4102444800, 4107542400,  253402300799, -1000000000,
    1234567890, 1700000000, -86401,
};
#define NEPOCH (sizeof(epochs) / sizeof(epochs[0]))

/* %Z of a gmtime() result is left out: glibc names it "GMT", musl "UTC",
 * and C11 only asks for some zone name. %s is not in C11. */
static const char *const fmts[] = {
    "%Y-%m-%d %H:%M:%S", "%j %a %A %b %B %h", "U%U W%W u%u w%w y%y C%C",
    "[%e] [%d] %D %F",   "G%G g%g V%V",       "%I %p %r %R %T",
    "%c|%x|%X",          "%Ec|%EY|%Od|%OH",   "%%|%n|%t|",
};

static void show_tm(const struct tm *t)
{
    printf("  tm %d-%d-%d %d:%d:%d wday %d yday %d isdst %d\n", t->tm_year,
           t->tm_mon, t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec, t->tm_wday,
           t->tm_yday, t->tm_isdst);
}

static void gm(void)
{
    char buf[256];
    for (size_t i = 0; i < NEPOCH; i++) {
        time_t t = (time_t)epochs[i];
        struct tm tm, *p = gmtime(&t);
        if (!p) {
            printf("gmtime(%lld) NULL\n", epochs[i]);
            continue;
        }
        tm = *p;
        printf("gmtime(%lld)\n", epochs[i]);
        show_tm(&tm);
        for (size_t j = 0; j < sizeof(fmts) / sizeof(fmts[0]); j++) {
            size_t n = strftime(buf, sizeof(buf), fmts[j], &tm);
            printf("  %zu [%s]\n", n, buf);
            cases++;
        }
        printf("  asctime %s", asctime(&tm));
        time_t back = timegm(&tm);
        printf("  timegm %lld\n", (long long)back);
        cases += 3;
    }
}

/* mktime normalizes out-of-range fields (C11 7.27.2.3) */
static void mk(void)
{
    static const int in[][6] = {
        { 70, 0, 1, 0, 0, 0 },       { 100, 1, 29, 12, 0, 0 },
        { 99, 12, 1, 0, 0, 0 },      { 100, 0, 0, 0, 0, 0 },
        { 100, 2, 0, 0, 0, 0 },      { 101, 1, 29, 0, 0, 0 },
        { 120, -1, 31, 25, 61, 61 }, { 69, 11, 31, 23, 59, 59 },
        { 138, 0, 19, 3, 14, 8 },    { 200, 5, 15, 12, 30, -3600 },
        { 0, 0, 1, 0, 0, 0 },        { 124, 0, 366, 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = in[i][0];
        tm.tm_mon = in[i][1];
        tm.tm_mday = in[i][2];
        tm.tm_hour = in[i][3];
        tm.tm_min = in[i][4];
        tm.tm_sec = in[i][5];
        tm.tm_isdst = i & 1 ? -1 : 0;
        struct tm copy = tm;
        time_t t = mktime(&tm);
        printf("mktime #%zu: %lld\n", i, (long long)t);
        show_tm(&tm);
        printf("  timegm %lld\n", (long long)timegm(&copy));
        show_tm(&copy);
        cases += 2;
    }
}

/* POSIX TZ strings with rules (names chosen so no zoneinfo file matches):
 * offsets, DST switches, %z and %Z follow from the string alone. */
static void zones(void)
{
    static const char *const tz[] = { "UTC0", "AAA5BBB,M3.2.0,M11.1.0",
                                      "CCC-1DDD,M3.5.0,M10.5.0/3", "EEE-5:30",
                                      "FFF+3GGG+2,J60/1,300/2" };
    static const long long at[] = { 0,          1700000000, 1710054000,
                                    1710053999, 1711846800, 1711846799,
                                    1730613600, 1730613599, 1719792000,
                                    951825600 };
    char buf[128];
    for (size_t i = 0; i < sizeof(tz) / sizeof(tz[0]); i++) {
        setenv("TZ", tz[i], 1);
        tzset();
        printf("TZ=%s\n", tz[i]);
        for (size_t j = 0; j < sizeof(at) / sizeof(at[0]); j++) {
            time_t t = (time_t)at[j];
            struct tm tm = *localtime(&t);
            strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z %Z", &tm);
            tm.tm_isdst = tm.tm_isdst > 0;
            long long back = (long long)mktime(&tm);
            printf("  %lld %s isdst=%d back=%lld\n", at[j], buf,
                   tm.tm_isdst > 0, back);
            cases += 2;
        }
    }
    setenv("TZ", "UTC0", 1);
    tzset();
}

static void misc(void)
{
    char buf[8];
    struct tm tm;
    time_t t = 951782400;
    tm = *gmtime(&t);
    printf("small buffer: %zu\n", strftime(buf, 5, "%Y-%m-%d", &tm));
    printf("exact fit: %zu [%s]\n", strftime(buf, 5, "%Y", &tm), buf);
    printf("empty: %zu\n", strftime(buf, sizeof(buf), "", &tm));
    printf("difftime %.1f %.1f %.1f\n", difftime(10, 4), difftime(4, 10),
           difftime((time_t)4102444800LL, 0));
    printf("CLOCKS_PER_SEC %ld\n", (long)CLOCKS_PER_SEC); /* XSI: 1000000 */
    cases += 5;
}

int main(void)
{
    setlocale(LC_ALL, "C");
    setenv("TZ", "UTC0", 1);
    tzset();
    gm();
    mk();
    zones();
    misc();
    printf("cases %d\n", cases);
    printf("DONE time\n");
    return 0;
}
