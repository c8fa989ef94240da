/* Conformance: setjmp/longjmp across nested calls (C11 7.13). */
#include <setjmp.h>
#include <stdio.h>

static int cases;
static jmp_buf env, env2;
static int depth_reached;
static volatile int armed = 1;

static void check(const char *what, int ok)
{
    printf("%-40s %s\n", what, ok ? "ok" : "WRONG");
    cases++;
}

static void dive(int depth, int val)
{
    volatile char pad[64]; /* a real frame at each level */
    pad[0] = (char)depth;
    depth_reached = depth + pad[0] - depth;
    if (depth == 0 && armed)
        longjmp(env, val);
    if (depth > 0)
        dive(depth - 1, val);
}

/* longjmp(env, 0) makes setjmp return 1 (C11 7.13.2.1). setjmp is only
 * used in the contexts that C11 7.13.1.1p4 allows, never assigned. */
static int jump_with(int val, int depth)
{
    switch (setjmp(env)) {
    case 0: dive(depth, val); return -100;
    case 1: return 1;
    case 2: return 2;
    case 42: return 42;
    case -1: return -1;
    case 0x7fffffff: return 0x7fffffff;
    default: return -99;
    }
}

static void values(void)
{
    static const int vals[] = { 1, 2, 42, -1, 0x7fffffff, 0 };
    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        int r = jump_with(vals[i], (int)i * 7);
        printf("longjmp(%d) from depth %d: setjmp returned %d\n", vals[i],
               (int)i * 7, r);
        cases++;
    }
    check("reached the deepest frame", depth_reached == 0);
}

/* Automatic objects that are volatile keep the values they had at longjmp
 * time (C11 7.13.2.1p3). */
static void locals(void)
{
    volatile int count = 0;
    volatile double acc = 1.5;
    volatile long big = 1L << 40;
    volatile int next = 0;
    setjmp(env);
    count++;
    acc *= 2;
    big += next;
    if (next < 5) {
        next++;
        longjmp(env, next);
    }
    printf("volatile locals: count %d acc %g big %ld\n", count, acc, big);
    check("loop by longjmp ran six times", count == 6);
}

/* Two buffers: an inner handler that passes on to an outer one. */
static void inner(void)
{
    if (setjmp(env2) == 0)
        longjmp(env2, 7);
    longjmp(env, 9);
}

static void chained(void)
{
    volatile int stage = 0, r = 0;
    switch (setjmp(env)) {
    case 0:
        stage = 1;
        inner();
        stage = 99;
        break;
    case 9: r = 9; break;
    default: r = -1;
    }
    printf("chained: setjmp returned %d, stage %d\n", r, stage);
    check("inner longjmp did not escape", r == 9 && stage == 1);
}

/* setjmp in the allowed contexts of C11 7.13.1.1p4 */
static void contexts(void)
{
    volatile int seen = 0;
    if (setjmp(env) == 3) {
        seen |= 1;
    } else {
        if (!(seen & 1))
            longjmp(env, 3);
    }
    switch (setjmp(env)) {
    case 0: longjmp(env, 4);
    case 4: seen |= 2; break;
    default: seen |= 64;
    }
    if (!setjmp(env))
        longjmp(env, 1);
    else
        seen |= 4;
    if (setjmp(env) < 2) {
        seen += 8;
        if (seen < 32)
            longjmp(env, 1);
    }
    printf("contexts: seen %d\n", seen);
    check("every context returned as expected", seen == 39);
}

static int recurse(int arg)
{
    jmp_buf here;
    volatile int n = arg, mine = arg * 10;
    if (n == 0)
        return 0;
    if (setjmp(here) == 0) {
        if (n % 2)
            longjmp(here, 1);
        return recurse(n - 1) + mine;
    }
    return recurse(n - 1) + mine + 1;
}

int main(void)
{
    values();
    locals();
    chained();
    contexts();
    printf("recursive local buffers: %d\n", recurse(9));
    cases++;
    printf("cases %d\n", cases);
    printf("DONE setjmp\n");
    return 0;
}
