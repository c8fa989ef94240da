/* Conformance: strtod, strtof, atof and sscanf of floating-point text. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cases;

/* A double's bits: exact, and free of %a's unspecified subnormal form. */
static unsigned long long bits(double d)
{
    unsigned long long u;
    memcpy(&u, &d, sizeof(u));
    return u;
}

static unsigned fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof(u));
    return u;
}

/* NaN payloads and signs from text are implementation-defined: report
 * only that it is a NaN. */
static void show(double d)
{
    if (isnan(d))
        printf("nan");
    else
        printf("%016llx %.17g", bits(d), d);
}

static const char *const inputs[] = {
    "0",
    "-0",
    "+0.0e10",
    "1",
    "  \t\n 42",
    "3.14159",
    "-2.5e-3",
    ".5",
    "5.",
    ".",
    "-",
    "e5",
    "1e",
    "1e+",
    "1e+x",
    "1.5e3junk",
    "0x1p-1074",
    "0x1.8p1",
    "0X1P+0",
    "0x.8",
    "0x10",
    "0x",
    "0xg",
    "0x1.fffffffffffffp1023",
    "0x1.00000000000008p0",
    "0x1.000000000000081p0",
    "0x1.00000000000018p0",
    "inf",
    "-INF",
    "infinity",
    "+Infinity",
    "infinit",
    "nan",
    "NaN",
    "nan(123)",
    "nan(",
    "nanx",
    "1e400",
    "-1e400",
    "1e-400",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "2.2250738585072011e-308",
    "2.2250738585072012e-308",
    "2.2250738585072014e-308",
    "4.9406564584124654e-324",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "9007199254740993",
    "9007199254740993.0000000001",
    "9007199254740995",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.000000000000000111022302462515654042363166809082031250001",
    "0.1000000000000000055511151231257827021181583404541015625",
    "123456789012345678901234567890123456789012345678901234567890e-40",
    "0.000000000000000000000000000000000000000000000000000000000001e60",
    "1e23",
    "8.5e-324",
    "1e-320",
};

/* Overflow must set ERANGE (C11 7.22.1.3); whether an underflow does is
 * implementation-defined, glibc and musl both set it for a zero result.
 * A result of at most DBL_MIN may come from an underflow, so its ERANGE is
 * not printed (glibc sets it for 2.2250738585072012e-308, musl does not). */
static void strtod_cases(void)
{
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        const char *s = inputs[i];
        char *end;
        errno = 0;
        double d = strtod(s, &end);
        int e = errno == ERANGE;
        if (d != 0 && fabs(d) <= DBL_MIN)
            e = 0;
        printf("strtod \"%s\": ", s);
        show(d);
        printf(" end=%d erange=%d\n", (int)(end - s), e);
        if (isnan(d))
            printf("  signbit=%d\n", !!signbit(d) && s[0] == '-');
        errno = 0;
        float f = strtof(s, &end);
        printf("strtof: %08x end=%d\n", isnan(f) ? 0x7fc00000 : fbits(f),
               (int)(end - s));
        double a = atof(s);
        printf("atof same=%d\n", isnan(a) ? isnan(d) : bits(a) == bits(d));
        cases += 3;
    }
}

/* float boundaries: rounding of strtof is direct, not through double */
static void strtof_cases(void)
{
    static const char *const in[] = {
        "3.4028234664e38",
        "3.4028235678e38",
        "3.4028236e38",
        "1.17549435e-38",
        "1.4e-45",
        "7e-46",
        "7.1e-46",
        "0.1",
        "16777217",
        "16777219",
        "1.00000005960464477539062500001",
        "0x1.000001p0",
        "0x1.0000011p0",
    };
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        char *end;
        float f = strtof(in[i], &end);
        printf("strtof \"%s\": %08x %.9g end=%d\n", in[i], fbits(f), f,
               (int)(end - in[i]));
        cases++;
    }
}

static void scanf_cases(void)
{
    double d1 = 0, d2 = 0;
    float f1 = 0, f2 = 0, f3 = 0;
    int n = -1;
    int r = sscanf("1.5 -2.25e1 0x1p4 7e-1 3", "%lf %f %g %e%n", &d1, &f1, &f2,
                   &f3, &n);
    printf("sscanf r=%d %a %a %a %a n=%d\n", r, d1, f1, f2, f3, n);
    r = sscanf("  inf -infinity nan", "%lf %le %f", &d1, &d2, &f1);
    printf("sscanf r=%d %g %g nan=%d\n", r, d1, d2, isnan(f1));
    r = sscanf("123456789", "%4lf%lf", &d1, &d2);
    printf("width r=%d %g %g\n", r, d1, d2);
    r = sscanf("1.5e+3x", "%lf%n", &d1, &n);
    printf("suffix r=%d %g n=%d\n", r, d1, n);
    r = sscanf("abc", "%lf", &d1);
    printf("nomatch r=%d\n", r);
    r = sscanf("", "%lf", &d1);
    printf("empty r=%d (EOF=%d)\n", r, r == EOF);
    r = sscanf("1e400 1e-400", "%lf %lf", &d1, &d2);
    printf("range r=%d %g %g\n", r, d1, d2);
    r = sscanf("-0.0 +.25", "%lf %lf", &d1, &d2);
    printf("sign r=%d signbit=%d %g\n", r, !!signbit(d1), d2);
    r = sscanf("2.5,3.5", "%lf,%lf", &d1, &d2);
    printf("comma r=%d %g %g\n", r, d1, d2);
    cases += 9;
}

/* Known bugs, kept apart so that a diff names them.
 * musl 1.2.3: a hex float that overflows returns inf but leaves errno alone
 * (C11 7.22.1.3 wants ERANGE); left in unless -DCONFORM_HIDE_MUSL_BUGS.
 * glibc 2.36: sscanf accepts "100e" of "100ergs" as 100, where C11
 * 7.21.6.2 (example 3) wants a matching failure; left out unless
 * -DCONFORM_KNOWN_BUGS, since the native side is the reference. */
static void known_bugs(void)
{
    static const char *const hex[] = { "0x1p1024", "-0x1p1024",
                                       "0x1.fffffffffffff8p1023",
                                       "0x1.ffffffp127" };
    for (size_t i = 0; i < sizeof(hex) / sizeof(hex[0]); i++) {
#ifndef CONFORM_HIDE_MUSL_BUGS
        errno = 0;
        double d = strtod(hex[i], NULL);
        printf("musl-bug strtod \"%s\": %g erange=%d\n", hex[i], d,
               errno == ERANGE);
        errno = 0;
        float f = strtof(hex[i], NULL);
        printf("musl-bug strtof: %g erange=%d\n", f, errno == ERANGE);
        cases += 2;
#endif
    }
#ifdef CONFORM_KNOWN_BUGS
    double d = -1;
    int n = -1;
    int r = sscanf("100ergs", "%lf%n", &d, &n);
    printf("glibc-bug sscanf 100ergs: r=%d (want 0)\n", r);
    r = sscanf("1e+x", "%lf%n", &d, &n);
    printf("glibc-bug sscanf 1e+x: r=%d (want 0)\n", r);
#endif
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t xorshift(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* FNV-1a over the printed text, so the text itself is compared. */
static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* %.17g (%.9g for float) is enough digits for a round trip (C11 5.2.4.2.2
 * DECIMAL_DIG), and both conversions are correctly rounded. */
static void round_trips(void)
{
    uint64_t h = 0xcbf29ce484222325ull, hf = h;
    int bad = 0, badf = 0, n = 0;
    char buf[64];
    for (int i = 0; i < 10000; i++) {
        uint64_t u = xorshift();
        double d;
        if ((i & 3) == 3) /* also plain-looking numbers */
            d = (double)(u >> 40) / 1000.0;
        else
            memcpy(&d, &u, sizeof(d));
        if (!isfinite(d))
            continue;
        n++;
        snprintf(buf, sizeof(buf), "%.17g", d);
        h = fnv(h, buf);
        bad += bits(strtod(buf, NULL)) != bits(d);
        uint32_t w = (uint32_t)(u >> 16);
        float f;
        memcpy(&f, &w, sizeof(f));
        if (!isfinite(f))
            continue;
        snprintf(buf, sizeof(buf), "%.9g", f);
        hf = fnv(hf, buf);
        badf += fbits(strtof(buf, NULL)) != fbits(f);
    }
    printf("round trip: %d doubles, %d mismatches, text %016llx\n", n, bad,
           (unsigned long long)h);
    printf("round trip floats: %d mismatches, text %016llx\n", badf,
           (unsigned long long)hf);
    cases += 2;
}

int main(void)
{
    strtod_cases();
    strtof_cases();
    scanf_cases();
    round_trips();
    known_bugs();
    printf("cases %d\n", cases);
    printf("DONE scanf_strtod\n");
    return 0;
}
