/* Crash reports: each argument triggers one kind of guest fault. */
#include <stdio.h>
#include <string.h>

static volatile int zero;
static volatile int *volatile low =
    (volatile int *)8; /* beyond the compiler's sight */
static volatile int *volatile far = (volatile int *)0x7ff0000000ULL;

/* Recurse with big frames until the stack runs into its guard page (the
 * depth is not known to the compiler, which would otherwise refuse). */
static volatile int depth_limit = 1 << 30;

static int deep(int n)
{
    volatile char frame[4096];

    frame[0] = (char)n;
    if (n >= depth_limit)
        return frame[0];
    return deep(n + 1) + frame[0];
}

/* The function a null-read crash report must name (tests/guest/cases.txt),
 * called from main so that the backtrace has a caller to show. */
static __attribute__((noinline)) int crash_here(volatile int *p)
{
    return *p;
}

/* Wait for an interrupt: none can come (no interrupt controller), so the
 * monitor must end the guest instead of hanging with it. x86_64 runs the
 * guest at ring 3, where hlt faults; aarch64's wfi blocks the vCPU in KVM. */
static __attribute__((noinline)) void halt(void)
{
    for (;;) {
#if defined(__x86_64__)
        __asm__ volatile("hlt");
#else
        __asm__ volatile("wfi");
#endif
    }
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";

    printf("about to crash: %s\n", what);
    if (!strcmp(what, "null-read"))
        return crash_here(low - 2) + 1; /* not a tail call */
    if (!strcmp(what, "null-write"))
        *low = 1;
    if (!strcmp(what, "illegal"))
        __builtin_trap();
    if (!strcmp(what, "divide"))
        return 100 / zero;
    if (!strcmp(what, "stack-overflow"))
        return deep(0);
    if (!strcmp(what, "unmapped"))
        return *far;
    if (!strcmp(what, "halt"))
        halt();
    printf("unknown crash kind\n");
    return 1;
}
