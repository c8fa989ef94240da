/* The interface every arch backend (arch-x86/, arch-arm64/) implements. */
#ifndef MOTE_ARCH_H
#define MOTE_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

struct kvm_run;
struct elf_image;

/* Guest memory layout of this arch. */
struct arch_layout {
    gpa_t mem_base;        /* GPA of the first byte of RAM */
    gpa_t gpa_lo;          /* lowest GPA a hypercall may name */
    gpa_t exc_lo, exc_hi;  /* where a crash report may come from too */
    gpa_t bootinfo;        /* where the boot info block goes */
    uint64_t bootinfo_max; /* its room, argv strings included */
    gpa_t image_lo;        /* lowest GPA an image may load at */
    uint64_t mem_min;      /* smallest guest RAM the layout needs */
    uint64_t mem_max;      /* largest guest RAM the layout maps */
    gpa_t hc_page;         /* the hypercall MMIO page, 0: none (ports) */
};

extern const struct arch_layout arch_layout;
extern const char arch_name[];          /* "x86_64", "aarch64" */
extern const uint16_t arch_elf_machine; /* EM_X86_64, EM_AARCH64 */

/* The machine type for KVM_CREATE_VM of a guest with mem_size bytes of
 * RAM (aarch64: the IPA size that RAM needs, if the host offers it). */
int arch_vm_type(int kvm_fd, uint64_t mem_size, unsigned long *type);

/* VM-level setup after RAM is mapped (e.g. IPA size, IRQ-less config). */
int arch_vm_init(struct vm *vm);

/*
 * Build the arch's tables in guest memory (page tables, descriptor tables,
 * device tree) and set up the vCPU to enter img at its entry point with
 * the boot info block's address as its first argument.
 */
int arch_vcpu_init(struct vm *vm, const struct elf_image *img, gpa_t bootinfo);

/*
 * Set the guest's thread pointer (x86_64: the FS base; aarch64:
 * TPIDR_EL0). 0, or -EINVAL for an address the arch cannot hold.
 */
int arch_set_tp(struct vm *vm, uint64_t tp);

/* CPU counter frequency the guest should use (TSC or CNTFRQ). */
int arch_counter_freq(struct vm *vm, uint64_t *hz);

/*
 * Decode an I/O or MMIO exit into a hypercall. Returns 0 and fills nr and
 * arg when the exit is a well-formed hypercall, -EINVAL otherwise.
 */
int arch_hc_decode(const struct kvm_run *run, unsigned *nr, gpa_t *arg);

/*
 * Snapshots. The host CPU model a snapshot may be restored on (x86_64:
 * vendor, family, model, stepping; aarch64: the vCPU's MIDR_EL1), as one
 * string.
 */
int arch_cpu_model(struct vm *vm, char *buf, size_t size);

/* The vCPU's whole state into buf[0, cap) (at most SNAP_CPU_MAX): 0 with
 * *len set, or a negative errno with a message. */
int arch_state_save(struct vm *vm, uint8_t *buf, size_t cap, size_t *len);

/*
 * Set a new vCPU (of a VM whose memory is already restored) from a blob
 * arch_state_save() wrote, every field checked; the guest's counter moves
 * on by elapsed_ns, the wall-clock time since the save. 0 or a negative
 * errno with a message.
 */
int arch_state_load(struct vm *vm, const uint8_t *buf, size_t len,
                    uint64_t elapsed_ns);

/* Describe the vCPU's state in one line (for crash reports on KVM exits). */
void arch_describe_cpu(struct vm *vm, char *buf, unsigned size);

/*
 * The vCPU's pc, frame pointer and stack pointer (x86_64: %rip, %rbp,
 * %rsp; aarch64: pc, x29, SP_EL0), for crash backtraces. 0, or a negative
 * errno when KVM cannot say.
 */
int arch_frame(struct vm *vm, struct bt_regs *r);

/*
 * The return address a function without a frame record, stopped at r,
 * would use (x86_64: the 8 bytes at r->sp; aarch64: the link register),
 * when it follows a call instruction in guest memory: 0, or -1 when there
 * is none to believe.
 */
int arch_leaf_ret(struct vm *vm, const struct bt_regs *r, uint64_t *ret);

/*
 * The stall watch (watch.h) stopped the vCPU after a second without an
 * exit: is the guest waiting for an interrupt that cannot come (aarch64:
 * at or just after a wfi, neither timer armed)? 1 with the reason in buf,
 * else 0 (x86_64 guests run at ring 3, where hlt faults: always 0).
 */
int arch_vcpu_stuck(struct vm *vm, char *buf, unsigned size);

/*
 * More on an exception the crash hypercall reported, when the arch can
 * tell from c and guest memory (x86_64: a general protection fault on
 * hlt): a phrase in buf, or "" when there is nothing to add.
 */
void arch_exc_detail(const struct vm *vm, const struct mote_hc_crash *c,
                     char *buf, unsigned size);

/* Name an exception vector / class reported by the crash hypercall. */
const char *arch_exc_name(uint64_t vector);

/* Name and number as the arch writes them: "page fault (vector 14)",
 * "data abort (EC 0x25)". */
void arch_exc_label(uint64_t vector, char *buf, unsigned size);

#endif
