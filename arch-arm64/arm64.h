/* aarch64 backend internals: guest memory layout and the pure builders. */
#ifndef MOTE_ARM64_H
#define MOTE_ARM64_H

#include <stddef.h>
#include <stdint.h>

#include "../monitor/vm.h"

/*
 * Guest physical (= virtual) layout, as offsets from the start of RAM at
 * MOTE_RAM_BASE_AARCH64:
 *   0x000000  guard page, not mapped
 *   0x001000  page tables (L1, MMIO L2 and L3, RAM L3, one L2 per GiB,
 *             then L3s for the 2 MiB blocks where the image's rights
 *             change), not mapped
 *   0x020000  device tree blob, to 0x80000
 *   0x080000  boot info and argv strings, to 0xff000
 *   0x0ff000  stack guard, not mapped: the libOS links its stack at the
 *             bottom of the image, so an overflow faults here
 *   0x100000  the image (text read-execute, data read-write), then heap
 *             read-write: never writable and executable (and SCTLR.WXN)
 * Below RAM only the hypercall page MOTE_HC_MMIO_BASE is mapped (Device
 * memory); RAM is Normal write-back memory.
 */
#define ARM64_RAM_BASE ((uint64_t)MOTE_RAM_BASE_AARCH64)
#define ARM64_PT_OFF 0x1000ULL
#define ARM64_PT_END 0x20000ULL
#define ARM64_FDT_OFF 0x20000ULL
#define ARM64_FDT_MAX 0x60000ULL
#define ARM64_BOOTINFO_OFF 0x80000ULL
#define ARM64_IMAGE_OFF 0x100000ULL
#define ARM64_STACK_GUARD_OFF (ARM64_IMAGE_OFF - 0x1000ULL)
#define ARM64_MEM_MAX (16ULL << 30)
#define ARM64_HC_SIZE 0x1000ULL

/* The guest's translation regime, as loaded into the EL1 registers. */
#define ARM64_VA_BITS 39
#define ARM64_MAIR 0xff04ULL /* attr 0: Device-nGnRE, 1: Normal WB */
#define ARM64_TCR                                                              \
    ((64ULL - ARM64_VA_BITS) |    /* T0SZ */                                   \
     1ULL << 8 | 1ULL << 10 |     /* IRGN0, ORGN0: write-back allocate */      \
     3ULL << 12 |                 /* SH0: inner shareable */                   \
     1ULL << 23 |                 /* EPD1: no TTBR1 walks */                   \
     2ULL << 32)                  /* IPS: 40 bits */
#define ARM64_SCTLR 0x30d8180dULL /* RES1 bits, M, C, SA, I, WXN */
#define ARM64_CPACR (3ULL << 20)  /* FPEN: no FP/SIMD traps */

/* Stage-1 descriptor bits (4K granule). */
#define PTE_VALID 0x1ULL
#define PTE_TABLE 0x2ULL /* table (L1, L2) or page (L3) descriptor */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_RDONLY (1ULL << 7) /* AP[2]: read-only */
#define PTE_AF (1ULL << 10)
#define PTE_PXN (1ULL << 53)
#define PTE_UXN (1ULL << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ULL

struct elf_image;

/*
 * Build identity-mapped stage-1 tables into RAM (ram = host view of GPA
 * ARM64_RAM_BASE) for mem_size bytes (a multiple of 2 MiB, at most
 * ARM64_MEM_MAX) and the hypercall page, each page of img's segments with
 * their rights (text read-execute, data read-write execute-never: wx.h),
 * the rest of RAM read-write execute-never, 2 MiB blocks wherever a
 * block's rights are one. TTBR0_EL1 is the GPA ARM64_RAM_BASE +
 * ARM64_PT_OFF. Returns 0, -EINVAL for a size it cannot map, or -E2BIG
 * when the segments' edges need more L3 tables than the area holds.
 */
int arm64_pt_build(uint8_t *ram, uint64_t mem_size,
                   const struct elf_image *img);

/*
 * The guest physical address bits mem_size bytes of RAM at ARM64_RAM_BASE
 * need (the hypercall page lies below RAM): at least ARM64_IPA_MIN, the
 * smallest IPA size KVM_VM_TYPE_ARM_IPA_SIZE takes.
 */
#define ARM64_IPA_MIN 32
unsigned arm64_ipa_bits(uint64_t mem_size);

/*
 * Walk the tables arm64_pt_build() made for virtual address va: the final
 * descriptor, or 0 when va is not mapped. For tests and diagnostics.
 */
uint64_t arm64_pt_lookup(const uint8_t *ram, uint64_t va);

struct arm64_fdt_params {
    const char *model;      /* root "model", the board's */
    const char *compatible; /* root "compatible" */
    const char *bootargs;   /* /chosen/bootargs: the guest arguments */
    gpa_t mem_base;
    uint64_t mem_size;
    gpa_t hc_base; /* the hypercall page */
    uint64_t hc_size;
    gpa_t bootinfo;        /* /chosen/mote,bootinfo */
    uint64_t counter_freq; /* /timer clock-frequency, 0 = none */
};

/*
 * Build the guest's device tree into buf[0, size): root model, memory,
 * cpus, the timer, /chosen and the hypercall region. Returns 0 or
 * -ENOSPC when it does not fit, -EINVAL on another libfdt error. It writes
 * only the first ARM64_FDT_FIRST bytes of buf, or twice that and so on up
 * to size as the tree needs (libfdt zeroes the room it is given; guest
 * RAM untouched stays unbacked).
 */
#define ARM64_FDT_FIRST 0x2000ULL
int arm64_fdt_build(void *buf, size_t size, const struct arm64_fdt_params *p);

/*
 * Join the argv strings the boot info block at bootinfo names, from
 * argv[1], with single spaces into buf (NUL-terminated). Returns 0,
 * -EFAULT for a block that does not lie in guest memory, -E2BIG when buf
 * is too small.
 */
int arm64_cmdline(const struct vm *vm, gpa_t bootinfo, char *buf, size_t size);

/*
 * The stall watch's question (arch_vcpu_stuck()) for a vCPU stopped at pc
 * with CNTV_CTL_EL0 vctl and CNTP_CTL_EL0 pctl: is it in a wfi (just past
 * it, as KVM leaves a vCPU it blocked there, or at it) with neither timer
 * armed to end it? 1 with the reason in buf, else 0.
 */
int arm64_wfi_stuck(const struct vm *vm, uint64_t pc, uint64_t vctl,
                    uint64_t pctl, char *buf, size_t size);

struct vm;
/* KVM_ARM_VCPU_INIT with KVM's preferred target and PSCI 0.2 (again: it
 * resets the vCPU). 0 or a negative errno with a message. */
int arm64_vcpu_arm_init(struct vm *vm);

#endif
