/* aarch64: KVM VM and vCPU setup, entering the guest at EL1 with the MMU on. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "../monitor/arch.h"
#include "../monitor/elf.h"
#include "../monitor/err.h"
#include "arm64.h"

#define CORE_REG(x)                                                            \
    (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                     \
     KVM_REG_ARM_CORE_REG(x))
#define REG_SCTLR ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_CPACR ARM64_SYS_REG(3, 0, 1, 0, 2)
#define REG_TTBR0 ARM64_SYS_REG(3, 0, 2, 0, 0)
#define REG_TCR ARM64_SYS_REG(3, 0, 2, 0, 2)
#define REG_MAIR ARM64_SYS_REG(3, 0, 10, 2, 0)
#define REG_VBAR ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_TPIDR_EL0 ARM64_SYS_REG(3, 3, 13, 0, 2)
#define REG_CNTV_CTL ARM64_SYS_REG(3, 3, 14, 3, 1)
#define REG_CNTP_CTL ARM64_SYS_REG(3, 3, 14, 2, 1)
#define PSTATE_EL1H_DAIF                                                       \
    (PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)

const struct arch_layout arch_layout = {
    .mem_base = ARM64_RAM_BASE,
    .gpa_lo = ARM64_RAM_BASE + ARM64_FDT_OFF,
    .bootinfo = ARM64_RAM_BASE + ARM64_BOOTINFO_OFF,
    .bootinfo_max = ARM64_STACK_GUARD_OFF - ARM64_BOOTINFO_OFF,
    .image_lo = ARM64_RAM_BASE + ARM64_IMAGE_OFF,
    .mem_min = 2ULL << 20,
    .mem_max = ARM64_MEM_MAX,
    .hc_page = MOTE_HC_MMIO_BASE,
};
const char arch_name[] = "aarch64";
const uint16_t arch_elf_machine = EM_AARCH64;

/* The guest physical address space asked for is the one its RAM needs:
 * no larger (fewer stage-2 levels), and a host with a smaller one than
 * the default 40 bits can run guests that fit it. */
int arch_vm_type(int kvm_fd, uint64_t mem_size, unsigned long *type)
{
    int host = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
    unsigned need = arm64_ipa_bits(mem_size);

    if (host <= 0) { /* an old kernel: the fixed 40-bit IPA space */
        *type = 0;
        return need <= 40 ? 0
                          : err_set(ENOTSUP,
                                    "%llu MiB of guest memory needs a "
                                    "%u-bit guest physical address space; "
                                    "this host's KVM has 40 bits",
                                    (unsigned long long)(mem_size >> 20), need);
    }
    if ((unsigned)host < need)
        return err_set(ENOTSUP,
                       "%llu MiB of guest memory needs a %u-bit guest "
                       "physical address space; this host's KVM offers %d",
                       (unsigned long long)(mem_size >> 20), need, host);
    *type = KVM_VM_TYPE_ARM_IPA_SIZE(need);
    return 0;
}

/*
 * No interrupt controller: the guest sleeps in the poll hypercall. A store
 * KVM cannot decode (a pair, a writeback) to the hypercall page becomes a
 * KVM_EXIT_ARM_NISV exit, reported as a crash, instead of a KVM_RUN error.
 */
int arch_vm_init(struct vm *vm)
{
    struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

    if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER) > 0 &&
        ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0)
        return err_set(errno, "KVM_ENABLE_CAP(ARM_NISV_TO_USER): %s",
                       strerror(errno));
    return 0;
}

static int set_reg(struct vm *vm, uint64_t id, uint64_t v)
{
    struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };

    if (ioctl(vm->vcpu_fd, KVM_SET_ONE_REG, &r) < 0)
        return err_set(errno, "KVM_SET_ONE_REG 0x%llx: %s",
                       (unsigned long long)id, strerror(errno));
    return 0;
}

static int get_reg(struct vm *vm, uint64_t id, uint64_t *v)
{
    struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)v };

    return ioctl(vm->vcpu_fd, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

int arm64_vcpu_arm_init(struct vm *vm)
{
    struct kvm_vcpu_init init;

    memset(&init, 0, sizeof(init));
    if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
        return err_set(errno, "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (ioctl(vm->vcpu_fd, KVM_ARM_VCPU_INIT, &init) < 0)
        return err_set(errno, "KVM_ARM_VCPU_INIT: %s", strerror(errno));
    return 0;
}

/* The device tree at ARM64_FDT_OFF; its address goes into the boot info. */
static int build_fdt(struct vm *vm, gpa_t bootinfo)
{
    struct arm64_fdt_params p = {
        .model = vm->model ? vm->model : "mote ARM64 guest",
        .compatible = "mote,virt",
        .mem_base = vm->mem_base,
        .mem_size = vm->mem_size,
        .hc_base = MOTE_HC_MMIO_BASE,
        .hc_size = ARM64_HC_SIZE,
        .bootinfo = bootinfo,
        .counter_freq = vm->counter_freq,
    };
    gpa_t fdt = ARM64_RAM_BASE + ARM64_FDT_OFF;
    struct mote_bootinfo *bi = gpa_ptr(vm, bootinfo, sizeof(*bi));
    char *cmd = malloc(ARM64_FDT_MAX);
    int rc;

    if (!cmd)
        return err_set(ENOMEM, "out of memory");
    rc = arm64_cmdline(vm, bootinfo, cmd, ARM64_FDT_MAX);
    p.bootargs = cmd;
    if (rc == 0)
        rc = arm64_fdt_build(vm->mem + ARM64_FDT_OFF, ARM64_FDT_MAX, &p);
    free(cmd);
    if (rc < 0 || !bi)
        return err_set(rc < 0 ? -rc : EFAULT,
                       "cannot build the guest's "
                       "device tree: %s",
                       rc == -ENOSPC || rc == -E2BIG
                           ? "guest arguments too long"
                           : strerror(-rc));
    bi->fdt = fdt;
    return 0;
}

static int set_el1_regs(struct vm *vm, const struct elf_image *img)
{
    int rc;

    if ((rc = set_reg(vm, REG_MAIR, ARM64_MAIR)) < 0 ||
        (rc = set_reg(vm, REG_TCR, ARM64_TCR)) < 0 ||
        (rc = set_reg(vm, REG_TTBR0, ARM64_RAM_BASE + ARM64_PT_OFF)) < 0 ||
        (rc = set_reg(vm, REG_CPACR, ARM64_CPACR)) < 0 ||
        (rc = set_reg(vm, REG_VBAR, img->boot.exc_entry)) < 0 ||
        (rc = set_reg(vm, REG_SCTLR, ARM64_SCTLR)) < 0)
        return rc;
    return 0;
}

int arch_vcpu_init(struct vm *vm, const struct elf_image *img, gpa_t bootinfo)
{
    int rc;

    if (img->boot.exc_entry % 2048)
        return err_set(EINVAL,
                       "exception vectors at 0x%llx are not 2 KiB "
                       "aligned",
                       (unsigned long long)img->boot.exc_entry);
    if ((rc = arm64_pt_build(vm->mem, vm->mem_size, img)) == -E2BIG)
        return err_set(E2BIG, "the image's segments change rights in too "
                              "many 2 MiB blocks to map");
    if (rc < 0)
        return err_set(-rc, "cannot map %llu bytes of guest memory",
                       (unsigned long long)vm->mem_size);
    if ((rc = build_fdt(vm, bootinfo)) < 0 ||
        (rc = arm64_vcpu_arm_init(vm)) < 0 || (rc = set_el1_regs(vm, img)) < 0)
        return rc;
    if ((rc = set_reg(vm, CORE_REG(regs.regs[0]),
                      ARM64_RAM_BASE + ARM64_FDT_OFF)) < 0 ||
        (rc = set_reg(vm, CORE_REG(regs.regs[1]), bootinfo)) < 0 ||
        (rc = set_reg(vm, CORE_REG(regs.pstate), PSTATE_EL1H_DAIF)) < 0 ||
        (rc = set_reg(vm, CORE_REG(regs.pc), img->entry)) < 0)
        return rc;
    return 0;
}

/* The guest reads the same system counter, so the host's CNTFRQ_EL0 holds. */
int arch_set_tp(struct vm *vm, uint64_t tp)
{
    return set_reg(vm, REG_TPIDR_EL0, tp);
}

int arch_counter_freq(struct vm *vm, uint64_t *hz)
{
    uint64_t f;

    (void)vm;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    if (!f)
        return err_set(EINVAL, "the host's CNTFRQ_EL0 is 0");
    *hz = f;
    return 0;
}

int arch_frame(struct vm *vm, struct bt_regs *r)
{
    int rc;

    if ((rc = get_reg(vm, CORE_REG(regs.pc), &r->pc)) < 0 ||
        (rc = get_reg(vm, CORE_REG(regs.regs[29]), &r->fp)) < 0)
        return rc;
    return get_reg(vm, CORE_REG(regs.sp), &r->sp);
}

/* A timer register this host's KVM does not expose counts as a timer
 * not armed. */
int arch_vcpu_stuck(struct vm *vm, char *buf, unsigned size)
{
    uint64_t pc, vctl = 0, pctl = 0;

    if (get_reg(vm, CORE_REG(regs.pc), &pc) < 0)
        return 0;
    get_reg(vm, REG_CNTV_CTL, &vctl);
    get_reg(vm, REG_CNTP_CTL, &pctl);
    return arm64_wfi_stuck(vm, pc, vctl, pctl, buf, size);
}

int arch_leaf_ret(struct vm *vm, const struct bt_regs *r, uint64_t *ret)
{
    const uint8_t *p;
    uint64_t lr;
    uint32_t insn;

    (void)r;
    if (get_reg(vm, CORE_REG(regs.regs[30]), &lr) < 0 || lr < 4 || lr & 3 ||
        !(p = gpa_ptr(vm, lr - 4, 4)))
        return -1;
    memcpy(&insn, p, sizeof(insn));
    /* BL imm26 or BLR Xn */
    if ((insn & 0xfc000000u) != 0x94000000u &&
        (insn & 0xfffffc1fu) != 0xd63f0000u)
        return -1;
    *ret = lr;
    return 0;
}

void arch_describe_cpu(struct vm *vm, char *buf, unsigned size)
{
    uint64_t pc = 0, sp = 0, pstate = 0;
    int n;

    if (get_reg(vm, CORE_REG(regs.pc), &pc) < 0 ||
        get_reg(vm, CORE_REG(regs.pstate), &pstate) < 0 ||
        get_reg(vm, CORE_REG(regs.sp), &sp) < 0) {
        snprintf(buf, size, "registers unavailable");
        return;
    }
    n = snprintf(buf, size, "pc 0x%llx, sp 0x%llx, pstate 0x%llx",
                 (unsigned long long)pc, (unsigned long long)sp,
                 (unsigned long long)pstate);
    if (vm->run && vm->run->exit_reason == KVM_EXIT_ARM_NISV && n > 0 &&
        (unsigned)n < size)
        snprintf(buf + n, size - (unsigned)n, ", address 0x%llx",
                 (unsigned long long)vm->run->arm_nisv.fault_ipa);
}
