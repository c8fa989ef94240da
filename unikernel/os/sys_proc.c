/* Process-level system calls of a one-process, one-thread guest. */
#include <errno.h>
#include <mote.h>
#include <mote/entropy.h>
#include <mote/netdev.h>
#include <mote_arch.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "os.h"

#pragma weak net_exit          /* linked only with the network: see os.h */
#pragma weak mote_netdev_flush /* (with the network device) */

/* The end of every way out but a crash (exit, abort, a fatal signal):
 * frames still queued for MOTE_HC_NET_XFER go out first. */
__attribute__((noreturn)) void os_exit(int status)
{
    struct mote_hc_exit a = { .status = status };

    if (mote_netdev_flush)
        mote_netdev_flush();

    for (;;)
        mote_hypercall(MOTE_HC_EXIT, &a);
}

long sys_exit(const long *a)
{
    if (net_exit) /* the sockets close and send what they hold */
        net_exit();
    os_exit((int)a[0]);
}

long sys_ok(const long *a)
{
    (void)a;
    return 0;
}

long sys_getpid(const long *a)
{
    (void)a;
    return 1;
}

long sys_getuid(const long *a)
{
    (void)a;
    return 0;
}

long sys_set_tid_address(const long *a)
{
    (void)a;
    return 1; /* the one thread's id, as getpid() */
}

/* A signal's default action: end the guest with status 128 + sig. SIGTERM
 * (the host's stop request, or the program's own) goes through exit(), so
 * that atexit handlers run and stdio and sockets are flushed. */
void os_signal_exit(int sig, int host)
{
    static const char mine[] = "mote: the program ended itself by signal ";
    static const char asked[] = "mote: asked to stop: ended by signal ";
    const char *msg = host ? asked : mine;
    char line[64];
    size_t n = strlen(msg);

    memcpy(line, msg, n);
    if (sig >= 10)
        line[n++] = (char)('0' + sig / 10);
    line[n++] = (char)('0' + sig % 10);
    line[n++] = '\n';
    mote_console_write(line, n);
    if (sig == SIGTERM)
        exit(128 + sig);
    os_exit(128 + sig);
}

long sys_uname(const long *a)
{
    struct utsname *u = (void *)a[0];

    memset(u, 0, sizeof(*u));
    strcpy(u->sysname, "mote");
    strcpy(u->nodename, "mote");
    strcpy(u->release, "1.0");
    strcpy(u->version, "mote libOS");
    strcpy(u->machine, ARCH_MACHINE);
    return 0;
}

long sys_sysinfo(const long *a)
{
    struct sysinfo *si = (void *)a[0];
    const struct mote_bootinfo *bi = mote_bootinfo();

    memset(si, 0, sizeof(*si));
    si->uptime = (long)(os_monotonic_ns() / 1000000000ULL);
    si->totalram = bi->mem_size;
    si->mem_unit = 1;
    si->procs = 1;
    return 0;
}

long sys_getrandom(const long *a)
{
    int rc = mote_entropy((void *)a[0], (size_t)a[1]);

    return rc < 0 ? -EIO : a[1];
}

/* One CPU: the first bit of the mask. */
long sys_sched_getaffinity(const long *a)
{
    unsigned char *mask = (void *)a[2];
    size_t len = (size_t)a[1];

    if (len < sizeof(long))
        return -EINVAL;
    memset(mask, 0, sizeof(long));
    mask[0] = 1;
    return sizeof(long);
}

long sys_prlimit64(const long *a)
{
    struct rlimit *old = (void *)a[3];

    if (a[0] != 0 && a[0] != 1)
        return -ESRCH;
    if (a[2])
        return -EPERM; /* limits are the monitor's */
    if (!old)
        return 0;
    old->rlim_cur = old->rlim_max = RLIM_INFINITY;
    if (a[1] == RLIMIT_NOFILE)
        old->rlim_cur = old->rlim_max = 256;
    if (a[1] == RLIMIT_STACK)
        old->rlim_cur = old->rlim_max = 256 * 1024;
    return 0;
}

long sys_arch_prctl(const long *a)
{
    if (a[0] != 0x1002) /* ARCH_SET_FS */
        return -EINVAL;
    return os_set_tp((uintptr_t)a[1]) < 0 ? -EINVAL : 0;
}
