/* The system-call table: musl's syscall entry is a call to __mote_syscall. */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "os.h"

/* Linked only with the network: see os.h. */
#pragma weak sys_socket
#pragma weak sys_bind
#pragma weak sys_listen
#pragma weak sys_accept
#pragma weak sys_accept4
#pragma weak sys_connect
#pragma weak sys_sendto
#pragma weak sys_recvfrom
#pragma weak sys_sendmsg
#pragma weak sys_recvmsg
#pragma weak sys_shutdown
#pragma weak sys_getsockname
#pragma weak sys_getpeername
#pragma weak sys_setsockopt
#pragma weak sys_getsockopt

#ifdef SYS_open
/* The old path calls that x86_64 has and aarch64 does not: the *at ones. */
static long at_cwd(sys_fn *fn, const long *a)
{
    long b[6] = { AT_FDCWD, a[0], a[1], a[2], a[3], a[4] };

    return fn(b);
}

static long sys_open(const long *a)
{
    return at_cwd(sys_openat, a);
}

static long sys_mkdir(const long *a)
{
    return at_cwd(sys_mkdirat, a);
}

static long sys_stat(const long *a)
{
    long b[6] = { AT_FDCWD, a[0], a[1], 0 };

    return sys_newfstatat(b);
}

static long sys_lstat(const long *a)
{
    long b[6] = { AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW };

    return sys_newfstatat(b);
}

static long sys_access(const long *a)
{
    long b[6] = { AT_FDCWD, a[0], a[1], 0 };

    return sys_faccessat(b);
}

static long sys_unlink(const long *a)
{
    long b[6] = { AT_FDCWD, a[0], 0 };

    return sys_unlinkat(b);
}

static long sys_rmdir(const long *a)
{
    long b[6] = { AT_FDCWD, a[0], AT_REMOVEDIR };

    return sys_unlinkat(b);
}

static long sys_rename(const long *a)
{
    long b[6] = { AT_FDCWD, a[0], AT_FDCWD, a[1] };

    return sys_renameat(b);
}

static long sys_dup2(const long *a)
{
    long b[6] = { a[0], a[1], 0 };

    if (a[0] == a[1])
        return fd_get((int)a[0]) ? a[1] : -EBADF;
    return sys_dup3(b);
}

static long sys_chmod(const long *a)
{
    return at_cwd(sys_fchmodat, a);
}

static long sys_readlink(const long *a)
{
    long b[6] = { AT_FDCWD, a[0], a[1], a[2] };

    return sys_readlinkat(b);
}

#endif

static long sys_renameat2(const long *a)
{
    return a[4] ? -EINVAL : sys_renameat(a);
}

static sys_fn *const table[] = {
    [SYS_read] = sys_read,
    [SYS_write] = sys_write,
    [SYS_readv] = sys_readv,
    [SYS_writev] = sys_writev,
    [SYS_preadv] = sys_preadv,
    [SYS_pwritev] = sys_pwritev,
    [SYS_pread64] = sys_pread64,
    [SYS_pwrite64] = sys_pwrite64,
    [SYS_lseek] = sys_lseek,
    [SYS_close] = sys_close,
    [SYS_fstat] = sys_fstat,
    [SYS_fcntl] = sys_fcntl,
    [SYS_dup] = sys_dup,
    [SYS_dup3] = sys_dup3,
    [SYS_ioctl] = sys_ioctl,
    [SYS_fsync] = sys_fsync,
    [SYS_fdatasync] = sys_fsync,
    [SYS_getdents64] = sys_getdents64,
    [SYS_ftruncate] = sys_ftruncate,
    [SYS_openat] = sys_openat,
    [SYS_newfstatat] = sys_newfstatat,
    [SYS_faccessat] = sys_faccessat,
    [SYS_mkdirat] = sys_mkdirat,
    [SYS_unlinkat] = sys_unlinkat,
    [SYS_renameat] = sys_renameat,
    [SYS_renameat2] = sys_renameat2,
    [SYS_readlinkat] = sys_readlinkat,
    [SYS_getcwd] = sys_getcwd,
    [SYS_chdir] = sys_chdir,
    [SYS_statfs] = sys_statfs,
    [SYS_brk] = sys_brk,
    [SYS_mmap] = sys_mmap,
    [SYS_munmap] = sys_munmap,
    [SYS_mremap] = sys_mremap,
    [SYS_madvise] = sys_madvise,
    [SYS_mprotect] = sys_mprotect,
    [SYS_clock_gettime] = sys_clock_gettime,
    [SYS_clock_getres] = sys_clock_getres,
    [SYS_gettimeofday] = sys_gettimeofday,
    [SYS_clock_nanosleep] = sys_clock_nanosleep,
    [SYS_nanosleep] = sys_nanosleep,
    [SYS_exit] = sys_exit,
    [SYS_exit_group] = sys_exit,
    [SYS_getpid] = sys_getpid,
    [SYS_gettid] = sys_getpid,
    [SYS_getppid] = sys_getuid,
    [SYS_getuid] = sys_getuid,
    [SYS_geteuid] = sys_getuid,
    [SYS_getgid] = sys_getuid,
    [SYS_getegid] = sys_getuid,
    [SYS_uname] = sys_uname,
    [SYS_sysinfo] = sys_sysinfo,
    [SYS_rt_sigaction] = sys_rt_sigaction,
    [SYS_rt_sigprocmask] = sys_ok,
    [SYS_sigaltstack] = sys_ok,
    [SYS_umask] = sys_umask,
    [SYS_fchmod] = sys_fchmod,
    [SYS_fchmodat] = sys_fchmodat,
    [SYS_tkill] = sys_tkill,
    [SYS_tgkill] = sys_tkill,
    [SYS_kill] = sys_tkill,
    [SYS_set_tid_address] = sys_set_tid_address,
    [SYS_set_robust_list] = sys_ok,
    [SYS_getrandom] = sys_getrandom,
    [SYS_sched_getaffinity] = sys_sched_getaffinity,
    [SYS_sched_yield] = sys_ok,
    [SYS_prlimit64] = sys_prlimit64,
    [SYS_ppoll] = sys_ppoll,
    [SYS_pselect6] = sys_pselect6,
    [SYS_socket] = sys_socket,
    [SYS_bind] = sys_bind,
    [SYS_listen] = sys_listen,
    [SYS_accept] = sys_accept,
    [SYS_accept4] = sys_accept4,
    [SYS_connect] = sys_connect,
    [SYS_sendto] = sys_sendto,
    [SYS_recvfrom] = sys_recvfrom,
    [SYS_sendmsg] = sys_sendmsg,
    [SYS_recvmsg] = sys_recvmsg,
    [SYS_shutdown] = sys_shutdown,
    [SYS_getsockname] = sys_getsockname,
    [SYS_getpeername] = sys_getpeername,
    [SYS_setsockopt] = sys_setsockopt,
    [SYS_getsockopt] = sys_getsockopt,
#ifdef SYS_open /* the calls only some arches have */
    [SYS_open] = sys_open,
    [SYS_stat] = sys_stat,
    [SYS_lstat] = sys_lstat,
    [SYS_access] = sys_access,
    [SYS_mkdir] = sys_mkdir,
    [SYS_unlink] = sys_unlink,
    [SYS_rmdir] = sys_rmdir,
    [SYS_rename] = sys_rename,
    [SYS_dup2] = sys_dup2,
    [SYS_readlink] = sys_readlink,
    [SYS_chmod] = sys_chmod,
    [SYS_poll] = sys_poll,
    [SYS_select] = sys_select,
#endif
#ifdef SYS_arch_prctl
    [SYS_arch_prctl] = sys_arch_prctl,
#endif
};

long __mote_syscall(long n, long a1, long a2, long a3, long a4, long a5,
                    long a6)
{
    const long a[6] = { a1, a2, a3, a4, a5, a6 };

    if (n < 0 || (unsigned long)n >= sizeof(table) / sizeof(table[0]) ||
        !table[n])
        return -ENOSYS;
    return table[n](a);
}
