/* aarch64's part of the seccomp allowlist (monitor/seccomp.h): its audit
 * arch and the KVM ioctls the run loop and the control socket use. */
#include <linux/audit.h>
#include <linux/kvm.h>

#include "../monitor/seccomp.h"

const uint32_t arch_audit = AUDIT_ARCH_AARCH64;

/* KVM_RUN; registers one at a time: the thread pointer (MOTE_HC_SET_TP),
 * crash reports, the stall watch. */
const uint32_t arch_sc_ioctl_run[] = {
    KVM_RUN,
    KVM_GET_ONE_REG,
    KVM_SET_ONE_REG,
};
const unsigned arch_sc_ioctl_run_n =
    sizeof(arch_sc_ioctl_run) / sizeof(arch_sc_ioctl_run[0]);

/* Snapshots and migrations: the vCPU's register list, the dirty page
 * log. */
const uint32_t arch_sc_ioctl_api[] = {
    KVM_GET_REG_LIST,
    KVM_GET_DIRTY_LOG,
    KVM_SET_USER_MEMORY_REGION,
};
const unsigned arch_sc_ioctl_api_n =
    sizeof(arch_sc_ioctl_api) / sizeof(arch_sc_ioctl_api[0]);
