/* The seccomp allowlists, one per path, and the BPF program built from
 * them (seccomp.h). Pure code: the unit tests run the program. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>

#include "ctl.h"
#include "seccomp.h"
#include "vm.h"

#define ANY(c)                                                                 \
    {                                                                          \
#c, __NR_##c, -1, NULL, 0                                              \
    }
#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The run loop's, most frequent first: KVM_RUN, a wait, the network and
 * the disk, the console. Then what a hypercall may need once in a while
 * (entropy, a disk flush, the time without a vDSO), signals (a stop, the
 * control thread's kick, the stall watch's, --timeout's), the heap of an
 * error message or a crash report, and the end: the watch's timer
 * deleted, guest memory and fds let go, the exit. Snapshots and
 * migrations are the control socket's list.
 */
static const struct sc_rule run[] = {
    { "ioctl", __NR_ioctl, 1, arch_sc_ioctl_run, 0 }, /* nvals: sc_build */
    ANY(ppoll),
    ANY(read),
    ANY(write),
    ANY(pread64),
    ANY(pwrite64),
#ifdef __NR_poll
    ANY(poll), /* glibc's poll() where the kernel has it: a TAP's check */
#endif
    ANY(getrandom),
    ANY(fdatasync),
    ANY(clock_gettime),
    ANY(rt_sigreturn),
    ANY(rt_sigtimedwait),
    ANY(rt_sigprocmask),
    ANY(restart_syscall),
    ANY(futex),
    ANY(brk),
    ANY(mmap),
    ANY(munmap),
    ANY(madvise),
    ANY(timer_delete),
    ANY(close),
    ANY(exit_group),
};

/*
 * The control socket's thread, added with --api: its clients and
 * kick of the vCPU thread, its start (which may still be under way when
 * the filter is installed) and its own heap (mprotect), the status's
 * resident memory (mincore), snapshots
 * (a file made, synced and renamed in place, the vCPU's state, pagemap
 * read through the fd opened before the drop) and migrations (a socket
 * to the destination), the socket file removed at the end.
 */
static const struct sc_rule api[] = {
    { "ioctl", __NR_ioctl, 1, arch_sc_ioctl_api, 0 },
    ANY(accept4),
    ANY(recvfrom),
    ANY(sendto),
    ANY(getpid),
    ANY(tgkill),
    ANY(mprotect),
    ANY(set_robust_list),
#ifdef __NR_rseq
    ANY(rseq),
#endif
    ANY(mincore),
    ANY(openat),
    ANY(fsync),
#ifdef __NR_rename /* glibc's rename() and unlink(): these where they are */
    ANY(rename),
#else
    ANY(renameat),
#endif
#ifdef __NR_unlink
    ANY(unlink),
#else
    ANY(unlinkat),
#endif
    ANY(newfstatat), /* glibc's fstat() and lstat() both */
    ANY(socket),
    ANY(connect),
    ANY(setsockopt),
    ANY(exit),
};

/* MOTE_TIMING=1's report at the end: /proc/self/status and mincore(). */
static const struct sc_rule timing[] = {
    ANY(openat),
    ANY(newfstatat),
    ANY(mincore),
};

const struct sc_list sc_run = { "run", run, N(run) };
const struct sc_list sc_api = { "api", api, N(api) };
const struct sc_list sc_timing = { "timing", timing, N(timing) };

#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGE(k, t, f) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))
/* The low 32 bits of argument i (little-endian hosts). */
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define X32_BIT 0x40000000u /* x86_64's x32 ABI; no aarch64 call has it */

/* The values of a rule whose list is an arch's (nvals 0 in the table). */
static unsigned nvals(const struct sc_rule *r)
{
    if (r->vals == arch_sc_ioctl_run)
        return arch_sc_ioctl_run_n;
    if (r->vals == arch_sc_ioctl_api)
        return arch_sc_ioctl_api_n;
    return r->nvals;
}

/*
 * r's instructions at prog[*at]: its call allowed or, for one with values,
 * allowed when its argument is one of them; otherwise on to the next rule
 * with nr in the accumulator again (another list may allow other values of
 * the same call). -E2BIG when they do not fit.
 */
static int rule(const struct sc_rule *r, struct sock_filter *p, unsigned *at,
                unsigned max)
{
    unsigned k = r->vals ? nvals(r) : 0, need = k ? 2 * k + 3 : 2;

    if (*at + need > max || need - 1 > 255)
        return -E2BIG;
    p[(*at)++] = (struct sock_filter)JEQ(r->nr, 0, (uint8_t)(need - 1));
    if (!k) {
        p[(*at)++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
        return 0;
    }
    p[(*at)++] = (struct sock_filter)LD(ARG_LO(r->arg));
    for (unsigned i = 0; i < k; i++) {
        p[(*at)++] = (struct sock_filter)JEQ(r->vals[i], 0, 1);
        p[(*at)++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
    }
    p[(*at)++] = (struct sock_filter)LD(offsetof(struct seccomp_data, nr));
    return 0;
}

int sc_build(const struct sc_list *const *lists, unsigned n, uint32_t audit,
             uint32_t deny, struct sock_filter *prog, unsigned max)
{
    const struct sock_filter head[] = {
        LD(offsetof(struct seccomp_data, arch)),
        JEQ(audit, 1, 0),
        RET(SECCOMP_RET_KILL_PROCESS),
        LD(offsetof(struct seccomp_data, nr)),
    };
    /* No rule's nr has the x32 bit: a call with it is only seen at the
     * end, and killed whatever deny is (one check less for KVM_RUN). */
    const struct sock_filter tail[] = {
        JGE(X32_BIT, 0, 1),
        RET(SECCOMP_RET_KILL_PROCESS),
        RET(deny),
    };
    unsigned at = N(head);

    if (max < at + N(tail))
        return -E2BIG;
    for (unsigned i = 0; i < at; i++)
        prog[i] = head[i];
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < lists[i]->n; j++)
            if (rule(&lists[i]->rules[j], prog, &at, max) < 0)
                return -E2BIG;
    if (at + N(tail) > max)
        return -E2BIG;
    for (unsigned i = 0; i < N(tail); i++)
        prog[at++] = tail[i];
    return (int)at;
}

unsigned sc_lists(const struct vm *vm, const struct sc_list **lists)
{
    const char *t = getenv("MOTE_TIMING");
    unsigned n = 0;

    lists[n++] = &sc_run;
    if (vm->ctl)
        lists[n++] = &sc_api;
    if (t && t[0] == '1')
        lists[n++] = &sc_timing;
    return n;
}
