/* x86_64 vCPU state for snapshots: registers, segment and control
 * registers, FPU/SSE/AVX (XSAVE), XCR0, pending events, the TSC and the
 * MSRs a ring-3 guest can see the effect of. */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "../monitor/arch.h"
#include "../monitor/err.h"
#include "x86.h"

#define STATE_MAGIC 0x53363878u /* "x86S" */
#define STATE_VERSION 1
#define MSR_TSC 0x10
#define NMSR 4

/* The MSRs saved, in this order: TSC first (it is moved on at load). */
static const uint32_t msr_list[NMSR] = {
    MSR_TSC, 0xc0000103, /* TSC_AUX: rdtscp, rdpid */
    0xc0000102,          /* KERNEL_GS_BASE */
    0x277,               /* PAT */
};

struct x86_state {
    uint32_t magic, version;
    uint32_t tsc_khz, nmsr; /* nmsr: how many of msr_list KVM had */
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    uint32_t xsave[1024]; /* struct kvm_xsave's region (KVM_GET_XSAVE) */
    struct kvm_xcrs xcrs;
    struct kvm_vcpu_events events;
    struct kvm_msr_entry msr[NMSR];
};

int arch_cpu_model(struct vm *vm, char *buf, size_t size)
{
    unsigned a, b, c, d, r0[3], fam, model;

    (void)vm;
    if (!__get_cpuid(0, &a, &r0[0], &r0[2], &r0[1]) ||
        !__get_cpuid(1, &a, &b, &c, &d))
        return -ENOTSUP;
    fam = (a >> 8) & 0xf;
    model = (a >> 4) & 0xf;
    if (fam == 0xf)
        fam += (a >> 20) & 0xff;
    if (fam == 0x6 || fam >= 0xf)
        model |= ((a >> 16) & 0xf) << 4;
    snprintf(buf, size, "%.12s family %u model %u stepping %u",
             (const char *)r0, fam, model, a & 0xf);
    return 0;
}

/* KVM_GET_MSRS or KVM_SET_MSRS of one MSR: 1 when KVM did it. */
static int msr_io(struct vm *vm, unsigned long op, struct kvm_msr_entry *e)
{
    uint64_t buf[(sizeof(struct kvm_msrs) + sizeof(*e)) / 8 + 1] = { 0 };
    struct kvm_msrs *m = (struct kvm_msrs *)buf;
    int rc;

    m->nmsrs = 1;
    m->entries[0] = *e;
    rc = ioctl(vm->vcpu_fd, op, m);
    *e = m->entries[0];
    return rc;
}

static int get_msrs(struct vm *vm, struct x86_state *s)
{
    s->nmsr = 0;
    for (unsigned i = 0; i < NMSR; i++) {
        struct kvm_msr_entry e = { .index = msr_list[i] };

        if (msr_io(vm, KVM_GET_MSRS, &e) != 1) {
            if (i == 0)
                return err_set(EIO, "snapshot: cannot read the TSC");
            break; /* the rest are optional, in order */
        }
        s->msr[s->nmsr++] = e;
    }
    return 0;
}

int arch_state_save(struct vm *vm, uint8_t *buf, size_t cap, size_t *len)
{
    struct x86_state *s = (struct x86_state *)buf;
    int khz;

    if (cap < sizeof(*s))
        return err_set(ENOSPC, "snapshot: vCPU state too big");
    memset(s, 0, sizeof(*s));
    s->magic = STATE_MAGIC;
    s->version = STATE_VERSION;
    khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ);
    if (khz <= 0 || ioctl(vm->vcpu_fd, KVM_GET_REGS, &s->regs) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s->sregs) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_XSAVE, s->xsave) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_XCRS, &s->xcrs) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_VCPU_EVENTS, &s->events) < 0)
        return err_set(errno, "snapshot: reading the vCPU: %s",
                       strerror(errno));
    s->tsc_khz = (uint32_t)khz;
    *len = sizeof(*s);
    return get_msrs(vm, s);
}

static int set_msrs(struct vm *vm, const struct x86_state *s,
                    uint64_t elapsed_ns)
{
    for (unsigned i = 0; i < s->nmsr; i++) {
        struct kvm_msr_entry e = s->msr[i];

        if (e.index != msr_list[i])
            return err_set(EINVAL, "snapshot: unexpected MSR 0x%x", e.index);
        if (i == 0) /* the TSC runs on by the time that passed */
            e.data += elapsed_ns / 1000 * s->tsc_khz / 1000;
        if (msr_io(vm, KVM_SET_MSRS, &e) != 1)
            return err_set(EINVAL, "snapshot: KVM refused MSR 0x%x", e.index);
    }
    return 0;
}

/* The TSC must tick as it did: the guest's clocks were scaled for it. */
static int check_tsc(struct vm *vm, uint32_t khz)
{
    int now = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ);

    if (now > 0 && (uint32_t)now == khz)
        return 0;
    if (ioctl(vm->vcpu_fd, KVM_SET_TSC_KHZ, khz) == 0)
        return 0;
    return err_set(ENOTSUP,
                   "snapshot: its TSC ran at %u kHz, this host's at %d kHz "
                   "and KVM cannot scale it",
                   khz, now);
}

int arch_state_load(struct vm *vm, const uint8_t *buf, size_t len,
                    uint64_t elapsed_ns)
{
    struct x86_state s;
    struct kvm_sregs sr;
    uint64_t xcr0;
    int rc;

    if (len != sizeof(s))
        return err_set(EINVAL, "snapshot: vCPU state of %zu bytes, want %zu",
                       len, sizeof(s));
    memcpy(&s, buf, sizeof(s));
    if (s.magic != STATE_MAGIC || s.version != STATE_VERSION || s.nmsr == 0 ||
        s.nmsr > NMSR || s.tsc_khz == 0)
        return err_set(EINVAL, "snapshot: malformed x86_64 vCPU state");
    if ((rc = x86_cpuid_setup(vm, &xcr0)) < 0 ||
        (rc = check_tsc(vm, s.tsc_khz)) < 0)
        return rc;
    sr = s.sregs;
    sr.tr.type = x86_tr_type(); /* as at boot: KVM reads it back busy */
    if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sr) < 0 ||
        ioctl(vm->vcpu_fd, KVM_SET_XCRS, &s.xcrs) < 0 ||
        ioctl(vm->vcpu_fd, KVM_SET_XSAVE, s.xsave) < 0 ||
        ioctl(vm->vcpu_fd, KVM_SET_REGS, &s.regs) < 0 ||
        ioctl(vm->vcpu_fd, KVM_SET_VCPU_EVENTS, &s.events) < 0)
        return err_set(errno, "snapshot: KVM refused the vCPU state: %s",
                       strerror(errno));
    return set_msrs(vm, &s, elapsed_ns);
}
