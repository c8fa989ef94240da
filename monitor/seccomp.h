/*
 * The monitor's seccomp-BPF allowlist (README "Sandbox"): data, lists of
 * allowed system calls, one per path (the run loop; the control socket
 * with its snapshots and migrations; MOTE_TIMING's report), turned into
 * one BPF program by a pure function the unit tests run. Installed by
 * vm_run() before the first KVM_RUN, for every thread of the monitor. A
 * call outside the lists kills the monitor with SIGSYS
 * (SECCOMP_RET_KILL_PROCESS; status 159 from a shell), and so does a call
 * of another arch's ABI (x32 on x86_64 included).
 */
#ifndef MOTE_SECCOMP_H
#define MOTE_SECCOMP_H

#include <stdint.h>
#include <linux/filter.h>

struct vm;

/* One allowed call: any arguments, or (vals != NULL) argument arg's low
 * 32 bits one of vals[0, nvals) (ioctl's request, which the kernel takes
 * as 32 bits). */
struct sc_rule {
    const char *name;
    uint32_t nr;
    int arg;
    const uint32_t *vals;
    unsigned nvals;
};

struct sc_list {
    const char *name;
    const struct sc_rule *rules;
    unsigned n;
};

/* The paths' lists (seccomp.c), the arch's ioctl requests (ARCH_seccomp.c)
 * and the arch's AUDIT_ARCH_*. */
extern const struct sc_list sc_run, sc_api, sc_timing;
extern const uint32_t arch_sc_ioctl_run[], arch_sc_ioctl_api[];
extern const unsigned arch_sc_ioctl_run_n, arch_sc_ioctl_api_n;
extern const uint32_t arch_audit;

#define SC_PROG_MAX 512 /* instructions */

/*
 * The program allowing the calls of lists[0, n) in their order (the
 * first found costs least: the run loop's most frequent come first), for
 * audit arch, with deny (SECCOMP_RET_KILL_PROCESS, or SECCOMP_RET_LOG to
 * find missing calls) for every other call; another arch is always
 * killed. Its length, or -E2BIG when more than max instructions.
 */
int sc_build(const struct sc_list *const *lists, unsigned n, uint32_t audit,
             uint32_t deny, struct sock_filter *prog, unsigned max);

/* The lists vm needs (sc_api with a control socket, sc_timing with
 * MOTE_TIMING=1) into lists; how many. */
unsigned sc_lists(const struct vm *vm, const struct sc_list **lists);

/*
 * Install the filter for every thread: denied calls kill, or only log to
 * the kernel's log with MOTE_SECCOMP_LOG=1 (a development aid). 0 or a
 * negative errno with a message.
 */
int sc_install(const struct vm *vm);

#endif
