/* Conformance: <math.h> functions over fixed inputs and special values. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int cases;

/* Results required to be exact (C11 Annex F: sqrt, rounding functions,
 * fmod, remainder, ldexp...): printed as %a, or as bits for a subnormal,
 * where %a's leading digit is unspecified. */
static void exact(double d)
{
    unsigned long long u;
    memcpy(&u, &d, sizeof(u));
    if (isnan(d))
        printf(" nan");
    else if (fpclassify(d) == FP_SUBNORMAL)
        printf(" sub:%016llx", u);
    else
        printf(" %a", d);
}

/* Everything else: glibc and musl libm may differ in the last ulp of a
 * transcendental function, so those results are compared at 12
 * significant digits. Zeros keep their sign (Annex F specifies it); a NaN
 * is only "nan" since its sign is not specified. */
static void approx(double d)
{
    if (isnan(d))
        printf(" nan");
    else if (d == 0)
        printf(" %s", signbit(d) ? "-0" : "0");
    else
        printf(" %.12g", d);
}

static const double in[] = {
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.0,
    -1.0,
    2.0,
    0.1,
    3.0,
    10.0,
    -10.0,
    100.0,
    1e-10,
    1e10,
    1e22,
    710.0,
    -745.0,
    -0.75,
    0.7853981633974483,
    1.5707963267948966,
    3.141592653589793,
    1e300,
    DBL_MIN,
    INFINITY,
    -INFINITY,
    NAN,
};
#define NIN (sizeof(in) / sizeof(in[0]))

static const struct {
    const char *name;
    double (*f)(double);
    int is_exact;
} un[] = {
    { "sin", sin, 0 },     { "cos", cos, 0 },       { "tan", tan, 0 },
    { "asin", asin, 0 },   { "acos", acos, 0 },     { "atan", atan, 0 },
    { "exp", exp, 0 },     { "exp2", exp2, 0 },     { "log", log, 0 },
    { "log2", log2, 0 },   { "log10", log10, 0 },   { "cbrt", cbrt, 0 },
    { "erf", erf, 0 },     { "tgamma", tgamma, 0 }, { "lgamma", lgamma, 0 },
    { "sinh", sinh, 0 },   { "cosh", cosh, 0 },     { "tanh", tanh, 0 },
    { "sqrt", sqrt, 1 },   { "floor", floor, 1 },   { "ceil", ceil, 1 },
    { "round", round, 1 }, { "trunc", trunc, 1 },   { "fabs", fabs, 1 },
};

static void unary(void)
{
    for (size_t i = 0; i < sizeof(un) / sizeof(un[0]); i++) {
        printf("%s:", un[i].name);
        for (size_t j = 0; j < NIN; j++) {
            double r = un[i].f(in[j]);
            un[i].is_exact ? exact(r) : approx(r);
            cases++;
        }
        printf("\n");
    }
}

static const double pairs[][2] = {
    { 1, 1 },
    { 5.5, 2 },
    { 5, 2 },
    { -5, 3 },
    { 5, -3 },
    { 0.5, 0.1 },
    { 1e300, 3 },
    { 7, INFINITY },
    { -0.0, 1 },
    { 1, -0.0 },
    { 0, 0 },
    { -0.0, -0.0 },
    { 2, 0.5 },
    { -8, 1.0 / 3 },
    { 10, -2 },
    { INFINITY, INFINITY },
    { -INFINITY, 2 },
    { NAN, 0 },
    { 1, NAN },
    { -1, INFINITY },
    { -1, -INFINITY },
    { -0.0, -3 },
    { -0.0, 3 },
    { -INFINITY, 3 },
    { -INFINITY, -3 },
    { 0.5, -INFINITY },
    { 3, 4 },
    { INFINITY, NAN },
    { DBL_MAX, DBL_MAX },
    { 1e-300, 1e-300 },
};
#define NPAIR (sizeof(pairs) / sizeof(pairs[0]))

static const struct {
    const char *name;
    double (*f)(double, double);
    int is_exact;
} bin[] = {
    { "atan2", atan2, 0 },         { "pow", pow, 0 },
    { "hypot", hypot, 0 },         { "fmod", fmod, 1 },
    { "remainder", remainder, 1 }, { "fmax", fmax, 1 },
    { "copysign", copysign, 1 },   { "nextafter", nextafter, 1 },
};

static void binary(void)
{
    for (size_t i = 0; i < sizeof(bin) / sizeof(bin[0]); i++) {
        printf("%s:", bin[i].name);
        for (size_t j = 0; j < NPAIR; j++) {
            double r = bin[i].f(pairs[j][0], pairs[j][1]);
            bin[i].is_exact ? exact(r) : approx(r);
            cases++;
        }
        printf("\n");
    }
    /* fmin/fmax of zeros of opposite signs may return either (Annex F) */
    printf("fmin:");
    for (size_t j = 0; j < NPAIR; j++) {
        double r = fmin(pairs[j][0], pairs[j][1]);
        exact(r == 0 ? 0.0 : r);
        cases++;
    }
    printf("\nnan signs: copysign=%d fabs=%d\n", !!signbit(copysign(NAN, -1)),
           !!signbit(fabs(copysign(NAN, -1))));
}

static void parts(void)
{
    static const double v[] = { 0.0,
                                -0.0,
                                1.0,
                                -3.75,
                                0.1,
                                1e300,
                                DBL_TRUE_MIN,
                                DBL_MIN,
                                2.5,
                                -2.5,
                                0.5,
                                -0.49999999999999994,
                                4503599627370497.0 };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        int e = 0;
        double ip = 0, m = frexp(v[i], &e), fr = modf(v[i], &ip);
        printf("parts");
        exact(v[i]);
        printf(": frexp");
        exact(m);
        printf(" %d modf", e);
        exact(fr);
        exact(ip);
        printf(" lround %ld\n", v[i] < 1e18 ? lround(v[i]) : 0L);
        cases += 3;
    }
    double ip = 0, fr = modf(-INFINITY, &ip);
    printf("modf(-inf): %g %g signbit=%d\n", fr, ip, !!signbit(fr));
    static const struct {
        double x;
        int e;
    } l[] = { { 1, -1074 },       { 1, -1075 }, { 0.75, -1074 }, { 1.5, -1074 },
              { 1, 1023 },        { 1, 1024 },  { -1, 1024 },    { 0.5, -1073 },
              { DBL_MAX, -2000 }, { 3, 4 },     { -0.0, 5 } };
    printf("ldexp:");
    for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
        exact(ldexp(l[i].x, l[i].e));
    printf("\n");
    cases += 12;
}

/* Floating-point exceptions of errors (Annex F, MATH_ERREXCEPT). errno is
 * left out: musl's math_errhandling has no MATH_ERRNO, so EDOM/ERANGE from
 * <math.h> are up to the libc (C11 7.12.1). */
static void flags(const char *what, double r)
{
    int f = fetestexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);
    printf("%-16s", what);
    approx(r);
    printf(" %s%s%s\n", f & FE_INVALID ? " invalid" : "",
           f & FE_DIVBYZERO ? " divbyzero" : "",
           f & FE_OVERFLOW ? " overflow" : "");
    feclearexcept(FE_ALL_EXCEPT);
    cases++;
}

static void errors(void)
{
    volatile double m1 = -1, z = 0, two = 2, big = 1000, huge = DBL_MAX;
    printf("MATH_ERREXCEPT=%d\n", !!(math_errhandling & MATH_ERREXCEPT));
    feclearexcept(FE_ALL_EXCEPT);
    flags("sqrt(-1)", sqrt(m1));
    flags("log(-1)", log(m1));
    flags("log(0)", log(z));
    flags("log2(0)", log2(z));
    flags("log10(-0)", log10(-z));
    flags("acos(2)", acos(two));
    flags("asin(-2)", asin(-two));
    flags("pow(-1,0.5)", pow(m1, 0.5));
    flags("pow(0,-1)", pow(z, m1));
    flags("exp(1000)", exp(big));
    flags("pow(max,2)", pow(huge, two));
    flags("cosh(1000)", cosh(big));
    flags("fmod(1,0)", fmod(two, z));
    flags("remainder(1,0)", remainder(two, z));
    flags("tgamma(-1)", tgamma(m1));
    flags("lgamma(0)", lgamma(z));
    flags("atan2(0,-0)", atan2(z, -z));
    flags("exp(-1000)", exp(-big));
}

int main(void)
{
    unary();
    binary();
    parts();
    errors();
    printf("cases %d\n", cases);
    printf("DONE libm\n");
    return 0;
}
