/* musl's x86_64 system calls on a mote guest: C calls, no kernel entry. */
#include "mote_syscall.h"

/* 64-bit arguments fit one register, as in musl's own x86_64 file. */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

#define IPC_64 0

/* No VDSO_USEFUL: there is no vDSO, clock_gettime is a system call. */
