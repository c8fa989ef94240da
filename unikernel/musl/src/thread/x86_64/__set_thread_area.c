/* The x86_64 thread pointer (FS base) on a mote guest: set by the libOS. */
#include "pthread_impl.h"
#include "syscall.h"

#define ARCH_SET_FS 0x1002 /* Linux's <asm/prctl.h> */

/*
 * The guest runs at ring 3, where writing the FS base needs the monitor,
 * so this is arch_prctl(ARCH_SET_FS, p) as on Linux, for the libOS to
 * serve. It returns 0 or a negative errno; musl crashes at start-up if
 * it fails.
 */
int __set_thread_area(void *p)
{
    return __syscall(SYS_arch_prctl, ARCH_SET_FS, p);
}
