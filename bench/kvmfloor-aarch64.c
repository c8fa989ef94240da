/* kvmfloor's aarch64 part: the vCPU starts at EL1 with the MMU off, where
 * mote's guests start too; the guest's exits are MMIO stores: N to
 * LOOP_ADDR, then one to DONE_ADDR. Both lie outside guest RAM, so KVM
 * hands them to user space (KVM_EXIT_MMIO). There are no rings: -r is
 * ignored. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmfloor.h"

const uint64_t floor_mem_base = 0x40000000ULL; /* RAM at 1 GiB */

#define CODE 0x1000ULL          /* from the start of RAM */
#define LOOP_ADDR 0x10000000ULL /* MMIO, no memory slot */
#define DONE_ADDR 0x10000008ULL
#define IPA_BITS_WANT 40 /* KVM's default; RAM ends below 2^31 */
#define IPA_BITS_MIN 32
#define PSTATE_EL1H_MASKED 0x3c5ULL /* EL1h, D, A, I, F masked */

/* x0 = N, x1 = LOOP_ADDR, x2 = DONE_ADDR:
 * cbz x0, 2f; 1: str x3, [x1]; subs x0, x0, #1; b.ne 1b;
 * 2: str x3, [x2]; 3: b 3b */
static const uint32_t guest_code[] = {
    0xb4000080, 0xf9000023, 0xf1000400, 0x54ffffc1, 0xf9000043, 0x14000000,
};

int floor_vm_type(int kvm)
{
    int bits = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);

    if (bits <= 0) /* an old kernel: 40 bits, type 0 */
        return 0;
    if (bits < IPA_BITS_MIN) {
        fprintf(stderr, "kvmfloor: the host's IPA size is %d bits\n", bits);
        exit(1);
    }
    return (int)KVM_VM_TYPE_ARM_IPA_SIZE(bits < IPA_BITS_WANT ? bits
                                                              : IPA_BITS_WANT);
}

static void set_reg(struct floor *f, uint64_t id, uint64_t v)
{
    struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };

    if (ioctl(f->vcpu, KVM_SET_ONE_REG, &r) < 0)
        die("KVM_SET_ONE_REG");
}

#define CORE_REG(field)                                                        \
    (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                     \
     (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))

void floor_setup(struct floor *f, int ring, uint64_t n)
{
    struct kvm_vcpu_init init;

    (void)ring;
    memcpy(f->mem + CODE, guest_code, sizeof(guest_code));
    if (ioctl(f->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
        die("KVM_ARM_PREFERRED_TARGET");
    if (ioctl(f->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
        die("KVM_ARM_VCPU_INIT");
    set_reg(f, CORE_REG(regs.pc), floor_mem_base + CODE);
    set_reg(f, CORE_REG(regs.pstate), PSTATE_EL1H_MASKED);
    set_reg(f, CORE_REG(regs.regs[0]), n);
    set_reg(f, CORE_REG(regs.regs[1]), LOOP_ADDR);
    set_reg(f, CORE_REG(regs.regs[2]), DONE_ADDR);
}

int floor_exit(const struct floor *f)
{
    const struct kvm_run *run = f->run;

    if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
        (run->mmio.phys_addr != LOOP_ADDR &&
         run->mmio.phys_addr != DONE_ADDR)) {
        fprintf(stderr, "kvmfloor: unexpected exit reason %u\n",
                run->exit_reason);
        exit(1);
    }
    return run->mmio.phys_addr == LOOP_ADDR;
}
