/* Signal return on a mote guest: rt_sigreturn is a libOS call. */
#include "syscall.h"

/*
 * sigaction() hands the kernel one of these as sa_restorer, for a signal
 * handler to return into. On a mote guest the libOS delivers signals, if
 * it ever does: it gets rt_sigreturn like any other call (the stack
 * pointer is not the kernel's frame here) and must not return from it.
 */
hidden void __restore_rt(void)
{
    __syscall(SYS_rt_sigreturn);
    __builtin_trap();
}

hidden void __restore(void)
{
    __restore_rt();
}
