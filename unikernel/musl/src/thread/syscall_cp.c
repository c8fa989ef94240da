/* Cancellable system calls on a mote guest: a C call, no kernel entry. */
#include "pthread_impl.h"
#include "syscall.h"

hidden long __cancel(void);

/*
 * musl's cancel signal handler moves a thread it stops between __cp_begin
 * and __cp_end (in musl's assembly: the check of the cancel flag up to the
 * system call instruction) to __cp_cancel. Here the system call is a C
 * call into the libOS, so the range is empty: a pending cancel is seen
 * before the call, below, or after it, by __syscall_cp_c's -EINTR check.
 */
hidden const char __cp_begin[1];
extern hidden const char __cp_end[1] __attribute__((__alias__("__cp_begin")));

hidden long __cp_cancel(void)
{
    return __cancel();
}

hidden long __syscall_cp_asm(volatile void *cancel, syscall_arg_t nr,
                             syscall_arg_t u, syscall_arg_t v, syscall_arg_t w,
                             syscall_arg_t x, syscall_arg_t y, syscall_arg_t z)
{
    if (*(volatile int *)cancel)
        return __cp_cancel();
    return __mote_syscall(nr, u, v, w, x, y, z);
}
