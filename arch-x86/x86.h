/* x86_64 backend internals: guest memory layout and the pure table builders. */
#ifndef MOTE_X86_H
#define MOTE_X86_H

#include <stdint.h>

#include "../monitor/vm.h"

/*
 * Guest physical (= virtual) layout below the image:
 *   0x00000  null page, not present
 *   0x01000  GDT (0x00-0x37) and TSS (0x80-0xe7)       supervisor
 *   0x02000  IDT, 256 gates                              supervisor
 *   0x03000  guard, not present
 *   0x04000  #DF stack (IST1), top 0x05000               supervisor
 *   0x05000  exception stack (TSS.RSP0), top 0x08000     supervisor
 *   0x08000  PML4, PDPT, the 4K table for the first 2 MiB, one
 *            page directory per GiB of RAM, then 4K tables for the
 *            2 MiB blocks where the image's rights change  not mapped
 *   0x80000  boot info and argv strings, to 0xff000      user
 *   0xff000  stack guard, not present: the libOS links its stack at the
 *            bottom of the image, so an overflow faults here
 *   0x100000 the image (text read-execute, data read-write), then
 *            heap, read-write: user, never writable and executable
 * Hypercalls name memory from the boot info up (gpa_lo), and write only
 * where the guest may (gpa_wptr); the crash report alone may come from the
 * exception stacks, where the ring-0 stubs build it.
 */
#define X86_GDT 0x1000ULL
#define X86_TSS 0x1080ULL
#define X86_IDT 0x2000ULL
#define X86_IST1_TOP 0x5000ULL
#define X86_RSP0_TOP 0x8000ULL
#define X86_PML4 0x8000ULL
#define X86_PDPT 0x9000ULL
#define X86_PT0 0xa000ULL
#define X86_PD0 0xb000ULL
#define X86_BOOTINFO 0x80000ULL
#define X86_IMAGE_LO 0x100000ULL
#define X86_STACK_GUARD (X86_IMAGE_LO - 0x1000)
#define X86_MEM_MAX (64ULL << 30) /* page directories end below 0x80000 */

#define X86_SEL_KCODE 0x08
#define X86_SEL_KDATA 0x10
#define X86_SEL_UDATA 0x1b /* 0x18 | RPL 3 */
#define X86_SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define X86_SEL_TSS 0x28
#define X86_GDT_ENTRIES 7
/*
 * The TSS ends with an I/O permission bitmap that opens the hypercall ports
 * to ring 3, then the 0xff byte the CPU requires. A 4-byte "out" to port p
 * checks the bits of p..p+3, so the last hypercall port needs three more
 * open after it; a stray access there exits and is refused by the monitor.
 */
#define X86_IOPB_OFF 0x68
#define X86_IOPB_FIRST MOTE_HC_PORT_BASE
#define X86_IOPB_END (MOTE_HC_PORT_BASE + MOTE_HC_MAX + 3) /* exclusive */
#define X86_IOPB_LEN ((X86_IOPB_END + 7) / 8 + 1)
#define X86_TSS_LIMIT (X86_IOPB_OFF + X86_IOPB_LEN - 1)

/* Page table entry bits. */
#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_U 0x4ULL
#define PTE_PS 0x80ULL
#define PTE_NX (1ULL << 63)

struct elf_image;

/*
 * Build identity-mapped 4-level page tables for mem_size bytes (a multiple
 * of 2 MiB, at most X86_MEM_MAX) into guest memory at mem (GPA 0), each
 * page of img's segments with their rights (text read-execute, data
 * read-write no-execute: wx.h), everything else above the boot info
 * read-write no-execute, 2 MiB pages wherever a block's rights are one.
 * Returns 0, -EINVAL for a size the layout cannot map, or -E2BIG when the
 * segments' edges need more 4K tables than the table area holds.
 */
int x86_pt_build(uint8_t *mem, uint64_t mem_size, const struct elf_image *img);

/* Build the GDT, the TSS and an IDT whose 32 exception gates point to
 * exc_entry + 16 * vector (no gates when exc_entry is 0). */
void x86_gdt_build(uint8_t *mem);
void x86_idt_build(uint8_t *mem, uint64_t exc_entry);

struct kvm_cpuid2;
struct kvm_cpuid_entry2;

/*
 * The entry of CPUID leaf function in c (KVM_GET_SUPPORTED_CPUID's table),
 * found by number, whatever the order of the table: of sub-leaf index if
 * the leaf has sub-leaves (KVM_CPUID_FLAG_SIGNIFCANT_INDEX); NULL if the
 * table has none.
 */
const struct kvm_cpuid_entry2 *
x86_cpuid_find(const struct kvm_cpuid2 *c, uint32_t function, uint32_t index);

/*
 * The XCR0 to give the guest: x87, SSE and AVX as far as leaf 0xd's
 * sub-leaf 0 allows, when leaf 1 reports XSAVE; 0 (no XSAVE) otherwise.
 */
uint64_t x86_cpuid_xcr0(const struct kvm_cpuid2 *c);

struct vm;
/* Give the vCPU KVM's supported CPUID; *xcr0: the XSAVE features to
 * enable (0: no XSAVE). 0 or a negative errno with a message. */
int x86_cpuid_setup(struct vm *vm, uint64_t *xcr0);

/* The TSS type KVM's CPU vendor wants in TR (x86_vcpu.c). */
unsigned x86_tr_type(void);

#endif
