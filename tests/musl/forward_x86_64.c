/* __mote_syscall for running the musl test on an x86_64 Linux host: each
 * call counted, then made to the host's kernel. */
static long calls;

long mote_test_calls(void)
{
    return calls;
}

long __mote_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
                    long a6)
{
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    long ret;

    calls++;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
                           "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
    return ret;
}
