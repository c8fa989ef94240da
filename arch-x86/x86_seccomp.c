/* x86_64's part of the seccomp allowlist (monitor/seccomp.h): its audit
 * arch and the KVM ioctls the run loop and the control socket use. */
#include <linux/audit.h>
#include <linux/kvm.h>

#include "../monitor/seccomp.h"

const uint32_t arch_audit = AUDIT_ARCH_X86_64;

/* KVM_RUN; the thread pointer (MOTE_HC_SET_TP); crash reports and the
 * stall watch (the registers). */
const uint32_t arch_sc_ioctl_run[] = {
    KVM_RUN,
    KVM_GET_SREGS,
    KVM_SET_SREGS,
    KVM_GET_REGS,
};
const unsigned arch_sc_ioctl_run_n =
    sizeof(arch_sc_ioctl_run) / sizeof(arch_sc_ioctl_run[0]);

/* Snapshots and migrations: the vCPU's state, the dirty page log. */
const uint32_t arch_sc_ioctl_api[] = {
    KVM_GET_XSAVE,
    KVM_GET_XCRS,
    KVM_GET_VCPU_EVENTS,
    KVM_GET_MSRS,
    KVM_GET_TSC_KHZ,
    KVM_GET_DIRTY_LOG,
    KVM_SET_USER_MEMORY_REGION,
};
const unsigned arch_sc_ioctl_api_n =
    sizeof(arch_sc_ioctl_api) / sizeof(arch_sc_ioctl_api[0]);
