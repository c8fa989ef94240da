/* The libOS's system call entry, a stub: enough to link musl. */
#include <errno.h>

long mote_test_calls(void)
{
    return 0;
}

long __mote_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
                    long a6)
{
    (void)nr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
    return -ENOSYS;
}
