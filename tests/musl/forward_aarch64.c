/* __mote_syscall for running the musl test on an aarch64 Linux host: each
 * call counted, then made to the host's kernel. */
static long calls;

long mote_test_calls(void)
{
    return calls;
}

long __mote_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
                    long a6)
{
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a1;
    register long x1 __asm__("x1") = a2;
    register long x2 __asm__("x2") = a3;
    register long x3 __asm__("x3") = a4;
    register long x4 __asm__("x4") = a5;
    register long x5 __asm__("x5") = a6;

    calls++;
    __asm__ __volatile__("svc 0"
                         : "+r"(x0)
                         : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                         : "memory");
    return x0;
}
