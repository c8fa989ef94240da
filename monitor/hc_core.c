/* The core hypercalls every guest has: wall time, poll/sleep, exit, crash,
 * the thread pointer. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "arch.h"
#include "ctl.h"
#include "devkind.h"
#include "vm.h"

static int hc_walltime(struct vm *vm, void *arg)
{
    struct mote_hc_time *a = arg;
    struct timespec ts;

    (void)vm;
    clock_gettime(CLOCK_REALTIME, &ts);
    a->ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
    return 0;
}

uint64_t vm_poll(struct vm *vm, uint64_t timeout_ns, int console, int64_t *err)
{
    struct pollfd fds[MOTE_MAX_DEVICES + 1];
    unsigned idx[MOTE_MAX_DEVICES + 1], nfds = 0;
    struct timespec ts = { (time_t)(timeout_ns / 1000000000ULL),
                           (long)(timeout_ns % 1000000000ULL) };
    uint64_t ready = ctl_ready(vm);
    int n;

    if (ready) /* a stop was asked: no waiting */
        return ready;
    for (unsigned i = 0; i < vm->ndev; i++) {
        const struct dev_kind *k = dev_kind_by_id(vm->dev[i].desc.kind);

        if (!k || !k->pollable)
            continue;
        fds[nfds] = (struct pollfd){ .fd = vm->dev[i].fd, .events = POLLIN };
        idx[nfds++] = i;
    }
    if (console && vm->console_in >= 0) {
        fds[nfds] = (struct pollfd){ .fd = vm->console_in, .events = POLLIN };
        idx[nfds++] = 63;
    }
    n = ppoll(fds, nfds, &ts, NULL);
    if (n < 0 && errno != EINTR)
        *err = -MOTE_EIO;
    for (unsigned i = 0; n > 0 && i < nfds; i++)
        if (fds[i].revents)
            ready |= 1ULL << idx[i];
    return ready | ctl_ready(vm); /* a stop asked while waiting */
}

/* Block in the kernel until a device has input or the timeout passes. */
static int hc_poll(struct vm *vm, void *arg)
{
    struct mote_hc_poll *a = arg;
    int console = (a->ready & MOTE_READY_CONSOLE) != 0;

    a->ret = 0;
    a->ready = vm_poll(vm, a->timeout_ns, console, &a->ret);
    return 0;
}

static int hc_set_tp(struct vm *vm, void *arg)
{
    struct mote_hc_set_tp *a = arg;
    int rc = arch_set_tp(vm, a->tp);

    if (rc == -EINVAL) {
        a->ret = -MOTE_EINVAL;
        return 0;
    }
    a->ret = 0;
    return rc; /* a failed ioctl is the monitor's failure */
}

static int hc_exit(struct vm *vm, void *arg)
{
    struct mote_hc_exit *a = arg;

    vm->exit_status = (int)(a->status & 0xff);
    vm->stop = VM_EXITED;
    return 1;
}

static int hc_crash(struct vm *vm, void *arg)
{
    struct mote_hc_crash *a = arg;
    struct bt_regs r;
    char what[64], more[100];
    int rc;

    arch_exc_label(a->vector, what, sizeof(what));
    arch_exc_detail(vm, a, more, sizeof(more));
    rc = vm_crash(vm,
                  "%s at pc 0x%llx, address 0x%llx, error 0x%llx, "
                  "sp 0x%llx, flags 0x%llx%s%s",
                  what, (unsigned long long)a->pc, (unsigned long long)a->addr,
                  (unsigned long long)a->error, (unsigned long long)a->sp,
                  (unsigned long long)a->flags, more[0] ? ": " : "", more);
    /* The vCPU is in the exception stub, which keeps the frame pointer of
     * the code that faulted: the pc and sp are the guest's word. */
    if (arch_frame(vm, &r) < 0)
        r.fp = 0; /* then the report names the faulting function alone */
    r.pc = a->pc;
    r.sp = a->sp;
    bt_capture(vm, &vm->bt, &r);
    return rc;
}

int hc_core_setup(struct vm *vm)
{
    static const struct hc_def defs[] = {
        { MOTE_HC_WALLTIME, "walltime", sizeof(struct mote_hc_time),
          hc_walltime },
        { MOTE_HC_POLL, "poll", sizeof(struct mote_hc_poll), hc_poll },
        { MOTE_HC_EXIT, "exit", sizeof(struct mote_hc_exit), hc_exit },
        { MOTE_HC_SET_TP, "set-tp", sizeof(struct mote_hc_set_tp), hc_set_tp },
        { MOTE_HC_CRASH, "crash", sizeof(struct mote_hc_crash), hc_crash },
    };

    return hc_register_all(vm, defs, sizeof(defs) / sizeof(defs[0]));
}
