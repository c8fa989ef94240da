/* The one run loop: enter the guest, decode each exit, dispatch it. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "arch.h"
#include "ctl.h"
#include "err.h"
#include "seccomp.h"
#include "timing.h"
#include "vm.h"
#include "watch.h"

static volatile sig_atomic_t stop_sig;
static struct kvm_run *volatile cur_run;

void vm_request_stop(int sig)
{
    stop_sig = sig;
    if (cur_run)
        cur_run->immediate_exit = 1;
}

int vm_stop_pending(void)
{
    return stop_sig != 0;
}

static volatile sig_atomic_t shutdown_asked;

void vm_request_shutdown(void)
{
    shutdown_asked = 1;
    if (cur_run)
        cur_run->immediate_exit = 1;
}

int vm_shutdown_asked(void)
{
    return shutdown_asked != 0;
}

/* A port or MMIO access that is no hypercall, in words: where, how wide,
 * which way, and what a hypercall would have been. */
static int bad_access(struct vm *vm, const struct kvm_run *run)
{
    const char *way;

    if (run->exit_reason == KVM_EXIT_IO) {
        way = run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in";
        return vm_crash(vm,
                        "guest accessed I/O port 0x%x (size %u, %s%s): no "
                        "device is there; a hypercall is a 4-byte out to "
                        "ports 0x%x-0x%x",
                        run->io.port, run->io.size, way,
                        run->io.count > 1 ? ", a string" : "",
                        MOTE_HC_PORT_BASE, MOTE_HC_PORT_BASE + MOTE_HC_MAX - 1);
    }
    way = run->mmio.is_write ? "store" : "load";
    if (arch_layout.hc_page && run->mmio.phys_addr >= arch_layout.hc_page &&
        run->mmio.phys_addr - arch_layout.hc_page < 4096)
        return vm_crash(vm,
                        "guest accessed address 0x%llx in the hypercall page "
                        "(size %u, %s): a hypercall is an 8-byte store to "
                        "0x%llx + 8 * nr, nr below %u",
                        (unsigned long long)run->mmio.phys_addr, run->mmio.len,
                        way, (unsigned long long)arch_layout.hc_page,
                        MOTE_HC_MAX);
    return vm_crash(vm,
                    "guest accessed address 0x%llx outside its RAM (size %u, "
                    "%s): no memory or device is there",
                    (unsigned long long)run->mmio.phys_addr, run->mmio.len,
                    way);
}

static int io_exit(struct vm *vm, struct kvm_run *run)
{
    unsigned nr;
    gpa_t arg;

    if (arch_hc_decode(run, &nr, &arg) < 0)
        return bad_access(vm, run);
    return hc_dispatch(vm, nr, arg);
}

static int cpu_crash(struct vm *vm, const char *what)
{
    char cpu[160];

    arch_describe_cpu(vm, cpu, sizeof(cpu));
    return vm_crash(vm, "%s (%s)", what, cpu);
}

/* PSCI SYSTEM_OFF (aarch64) ends the guest as an exit with status 0 would;
 * any other system event is reported. */
static int system_event(struct vm *vm, struct kvm_run *run)
{
    switch (run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN:
        vm->exit_status = 0;
        vm->stop = VM_EXITED;
        return 1;
    case KVM_SYSTEM_EVENT_RESET:
        return cpu_crash(vm, "guest asked for a reset (PSCI SYSTEM_RESET): "
                             "mote does not restart guests");
    case KVM_SYSTEM_EVENT_CRASH:
        return cpu_crash(vm, "guest reported a crash to KVM");
    }
    return cpu_crash(vm, "guest sent an unexpected system event");
}

int vm_handle_exit(struct vm *vm, struct kvm_run *run)
{
    switch (run->exit_reason) {
    case KVM_EXIT_IO:
    case KVM_EXIT_MMIO: return io_exit(vm, run);
    case KVM_EXIT_HLT:
        return cpu_crash(vm, "guest halted: hlt waits for an interrupt that "
                             "nothing can send (a mote guest has none)");
    case KVM_EXIT_SHUTDOWN:
        return cpu_crash(vm, "guest triple-faulted: an exception it could not "
                             "deliver, not even as a double fault (KVM on AMD "
                             "has reset the registers by now)");
    case KVM_EXIT_SYSTEM_EVENT: return system_event(vm, run);
    case KVM_EXIT_ARM_NISV:
        return cpu_crash(vm, "guest made an access KVM cannot decode (a pair, "
                             "exclusive, atomic, cache or writeback access "
                             "where no memory is: the monitor sees only "
                             "single loads and stores)");
    case KVM_EXIT_INTERNAL_ERROR:
        return cpu_crash(vm, "KVM could not emulate a guest instruction");
    case KVM_EXIT_FAIL_ENTRY:
        return err_set(
            EIO, "KVM could not enter the guest (reason 0x%llx)",
            (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
    default: return cpu_crash(vm, "unexpected KVM exit");
    }
}

/* The loop itself: 0 when the guest stopped, or a negative errno. */
static int run_loop(struct vm *vm)
{
    for (;;) {
        int rc;

        /* A kick (ctl.c, a signal) set it to get here; cleared before
         * the flags are read, so a later kick still ends the next run. */
        vm->run->immediate_exit = 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (stop_sig) {
            vm->stop = VM_SIGNALED;
            vm->exit_status = stop_sig;
            return 0;
        }
        if (vm->ctl && ctl_service(vm))
            return 0;
        if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
            int e = errno;

            if (e == EINTR && watch_check(vm))
                return 0;
            if (e == EINTR || e == EAGAIN)
                continue;
            return err_set(e, "KVM_RUN failed: %s", strerror(e));
        }
        __atomic_store_n(&vm->stats.exits, vm->stats.exits + 1,
                         __ATOMIC_RELAXED);
        rc = vm_handle_exit(vm, vm->run);
        if (rc != 0)
            return rc < 0 ? rc : 0;
    }
}

int vm_run(struct vm *vm)
{
    int rc;

    if ((rc = watch_start(vm)) < 0)
        return rc;
    if ((rc = sc_install(vm)) < 0) { /* the last setup: from here, the loop */
        watch_stop();
        return rc;
    }
    cur_run = vm->run;
    timing_mark("guest-enter");
    rc = run_loop(vm);
    cur_run = NULL;
    watch_stop();
    if (rc == 0)
        timing_mark("guest-exit");
    timing_count("exits", vm->stats.exits);
    return rc;
}
