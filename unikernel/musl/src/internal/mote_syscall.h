/* musl's system calls on a mote guest: plain C calls into the libOS. */
#ifndef MOTE_SYSCALL_H
#define MOTE_SYSCALL_H

/*
 * The guest has no kernel: every system call musl makes is a call to
 * __mote_syscall, which the libOS defines. nr is the Linux system call
 * number for this arch (SYS_* from musl's bits/syscall.h, unchanged), the
 * arguments are the kernel's; it returns the result or a negative errno,
 * as the kernel does (musl sets errno itself). It may be called before
 * the thread pointer is set (see below), so it must not use TLS.
 *
 * What musl's start-up asks of the libOS (crt1.o's _start_c ->
 * __libc_start_main -> __init_libc, __init_tls, __init_ssp):
 *
 * - The initial stack as the Linux ELF ABI lays it out: argc, argv[],
 *   NULL, envp[], NULL, then auxv pairs ending with AT_NULL.
 * - auxv: AT_PHDR, AT_PHENT, AT_PHNUM (the image's program headers: musl
 *   finds PT_TLS there to size and copy the initial TLS, and PT_GNU_STACK
 *   for the default thread stack size); AT_PAGESZ (PAGE_SIZE is
 *   libc.page_size: mmap, mprotect, malloc, sysconf use it; must not be
 *   0); AT_RANDOM (16 random bytes: the stack protector canary; without
 *   it the canary is derived from an address); AT_HWCAP (and AT_HWCAP2,
 *   read by getauxval); AT_UID, AT_EUID, AT_GID, AT_EGID equal and
 *   AT_SECURE 0, else musl polls fds 0-2 and opens /dev/null for closed
 *   ones; AT_EXECFN if argv[0] is missing; AT_MINSIGSTKSZ (aio threads).
 *   No AT_SYSINFO_EHDR: there is no vDSO (syscall_arch.h does not ask).
 * - System calls at start-up: set_tid_address (any positive tid);
 *   mmap of anonymous memory if the TLS image is larger than musl's
 *   built-in area; on x86_64 arch_prctl(ARCH_SET_FS, tp) from
 *   __set_thread_area (aarch64 writes tpidr_el0 itself). The first calls
 *   from the program: brk (may fail: -ENOMEM makes malloc use mmap),
 *   mmap/munmap/mremap/madvise (malloc), ioctl(TIOCGWINSZ) on stdout
 *   (line buffering if it succeeds), writev/readv (stdio), exit_group.
 */
long __mote_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
                    long a6);

static __inline long __syscall0(long n)
{
    return __mote_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a)
{
    return __mote_syscall(n, a, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a, long b)
{
    return __mote_syscall(n, a, b, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a, long b, long c)
{
    return __mote_syscall(n, a, b, c, 0, 0, 0);
}

static __inline long __syscall4(long n, long a, long b, long c, long d)
{
    return __mote_syscall(n, a, b, c, d, 0, 0);
}

static __inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
    return __mote_syscall(n, a, b, c, d, e, 0);
}

static __inline long __syscall6(long n, long a, long b, long c, long d, long e,
                                long f)
{
    return __mote_syscall(n, a, b, c, d, e, f);
}

#endif
