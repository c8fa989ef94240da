/* x86_64: KVM vCPU setup straight into 64-bit mode, guest code at ring 3. */
#include <cpuid.h>
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
#include "x86.h"

#define CR0_PE 0x1ULL
#define CR0_MP 0x2ULL
#define CR0_ET 0x10ULL
#define CR0_NE 0x20ULL
#define CR0_WP 0x10000ULL
#define CR0_PG 0x80000000ULL
#define CR4_PAE 0x20ULL
#define CR4_OSFXSR 0x200ULL
#define CR4_OSXMMEXCPT 0x400ULL
#define CR4_OSXSAVE 0x40000ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL
#define EFER_NXE 0x800ULL
#define RFLAGS_RSVD 0x2ULL
#define CPUID_MAX 256

const struct arch_layout arch_layout = {
    .mem_base = 0,
    .gpa_lo = X86_BOOTINFO,
    .exc_lo = X86_IST1_TOP - 0x1000,
    .exc_hi = X86_RSP0_TOP,
    .bootinfo = X86_BOOTINFO,
    .bootinfo_max = X86_STACK_GUARD - X86_BOOTINFO,
    .image_lo = X86_IMAGE_LO,
    .mem_min = 2ULL << 20,
    .mem_max = X86_MEM_MAX,
};
const char arch_name[] = "x86_64";
const uint16_t arch_elf_machine = EM_X86_64;

/*
 * KVM answers its own vendor's hypercall instruction and, by default,
 * rewrites the other vendor's (vmcall on AMD, vmmcall on Intel) into it in
 * the guest's code: the host writing the guest's text. Without that quirk
 * the other vendor's instruction is an invalid opcode, on every host.
 */
int arch_vm_init(struct vm *vm)
{
    struct kvm_enable_cap cap = { .cap = KVM_CAP_DISABLE_QUIRKS2,
                                  .args = {
                                      KVM_X86_QUIRK_FIX_HYPERCALL_INSN } };
    int q = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_DISABLE_QUIRKS2);

    if (q <= 0 || !(q & KVM_X86_QUIRK_FIX_HYPERCALL_INSN))
        return 0; /* an older KVM: the quirk stays */
    if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0)
        return err_set(errno, "KVM_ENABLE_CAP (disable quirks): %s",
                       strerror(errno));
    return 0;
}

static struct kvm_segment seg(uint16_t sel, uint8_t type, int code, int dpl)
{
    return (struct kvm_segment){
        .base = 0,
        .limit = 0xffffffff,
        .selector = sel,
        .type = type,
        .present = 1,
        .dpl = dpl,
        .db = !code,
        .s = 1,
        .l = code,
        .g = 1,
    };
}

/* Fetch KVM's supported CPUID; report XSAVE support and its XCR0 mask. */
int x86_cpuid_setup(struct vm *vm, uint64_t *xcr0)
{
    size_t sz =
        sizeof(struct kvm_cpuid2) + CPUID_MAX * sizeof(struct kvm_cpuid_entry2);
    struct kvm_cpuid2 *c = calloc(1, sz);
    int rc = 0;

    if (!c)
        return err_set(ENOMEM, "out of memory");
    c->nent = CPUID_MAX;
    *xcr0 = 0;
    if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0 ||
        ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c) < 0)
        rc = err_set(errno, "KVM CPUID setup failed: %s", strerror(errno));
    else
        *xcr0 = x86_cpuid_xcr0(c);
    free(c);
    return rc;
}

/*
 * The type of the TSS in TR. Intel's VM entry wants a busy 64-bit TSS (11)
 * in long mode. AMD's VMRUN checks nothing there, but QEMU's emulated SVM
 * (the x86 lab, tests/x86) lets ring 3 through the TSS I/O bitmap only for
 * an available one (9): without it every hypercall faults there.
 */
unsigned x86_tr_type(void)
{
    unsigned a, b, c, d;

    if (__get_cpuid(0, &a, &b, &c, &d) &&
        (b == 0x68747541 /* "Auth"enticAMD */ ||
         b == 0x6f677948 /* "Hygo"nGenuine */))
        return 0x9;
    return 0xb;
}

static int setup_sregs(struct vm *vm, int xsave)
{
    struct kvm_sregs s;

    if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return err_set(errno, "KVM_GET_SREGS: %s", strerror(errno));
    s.cs = seg(X86_SEL_UCODE, 0xb, 1, 3);
    s.ss = s.ds = s.es = s.fs = s.gs = seg(X86_SEL_UDATA, 0x3, 0, 3);
    s.tr = (struct kvm_segment){ .base = X86_TSS,
                                 .limit = X86_TSS_LIMIT,
                                 .selector = X86_SEL_TSS,
                                 .type = x86_tr_type(),
                                 .present = 1 };
    s.ldt = (struct kvm_segment){ .unusable = 1 };
    s.gdt.base = X86_GDT;
    s.gdt.limit = X86_GDT_ENTRIES * 8 - 1;
    s.idt.base = X86_IDT;
    s.idt.limit = 256 * 16 - 1;
    s.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    s.cr3 = X86_PML4;
    s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | (xsave ? CR4_OSXSAVE : 0);
    s.efer = EFER_LME | EFER_LMA | EFER_NXE;
    if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s) < 0)
        return err_set(errno, "KVM_SET_SREGS: %s", strerror(errno));
    return 0;
}

static int setup_xcr0(struct vm *vm, uint64_t xcr0)
{
    struct kvm_xcrs x = { .nr_xcrs = 1 };

    x.xcrs[0].xcr = 0;
    x.xcrs[0].value = xcr0;
    if (ioctl(vm->vcpu_fd, KVM_SET_XCRS, &x) < 0)
        return err_set(errno, "KVM_SET_XCRS: %s", strerror(errno));
    return 0;
}

int arch_vcpu_init(struct vm *vm, const struct elf_image *img, gpa_t bootinfo)
{
    struct kvm_regs r = { 0 };
    uint64_t xcr0 = 0;
    int rc;

    if ((rc = x86_pt_build(vm->mem, vm->mem_size, img)) == -E2BIG)
        return err_set(E2BIG, "the image's segments change rights in too "
                              "many 2 MiB blocks to map");
    if (rc < 0)
        return err_set(-rc, "cannot map %llu bytes of guest memory",
                       (unsigned long long)vm->mem_size);
    x86_gdt_build(vm->mem);
    x86_idt_build(vm->mem, img->boot.exc_entry);
    if ((rc = x86_cpuid_setup(vm, &xcr0)) < 0 ||
        (rc = setup_sregs(vm, xcr0 != 0)) < 0)
        return rc;
    if (xcr0 && (rc = setup_xcr0(vm, xcr0)) < 0)
        return rc;
    r.rip = img->entry;
    r.rdi = bootinfo;
    r.rflags = RFLAGS_RSVD; /* IOPL 0: the TSS bitmap opens the ports */
    if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r) < 0)
        return err_set(errno, "KVM_SET_REGS: %s", strerror(errno));
    return 0;
}

/* A canonical 48-bit address: bits 63..47 all equal. */
static int canonical(uint64_t a)
{
    uint64_t top = a >> 47;

    return top == 0 || top == 0x1ffff;
}

int arch_set_tp(struct vm *vm, uint64_t tp)
{
    struct kvm_sregs s;

    if (!canonical(tp))
        return -EINVAL;
    if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return err_set(errno, "KVM_GET_SREGS: %s", strerror(errno));
    s.fs.base = tp;
    s.tr.type = x86_tr_type(); /* KVM on SVM reads TR back as busy */
    if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s) < 0)
        return err_set(errno, "KVM_SET_SREGS: %s", strerror(errno));
    return 0;
}

int arch_counter_freq(struct vm *vm, uint64_t *hz)
{
    int khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ);

    if (khz <= 0)
        return err_set(errno ? errno : EINVAL,
                       "cannot read the guest TSC frequency: %s",
                       strerror(errno));
    *hz = (uint64_t)khz * 1000;
    return 0;
}

void arch_describe_cpu(struct vm *vm, char *buf, unsigned size)
{
    struct kvm_regs r;
    struct kvm_sregs s;

    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0) {
        snprintf(buf, size, "registers unavailable");
        return;
    }
    snprintf(buf, size, "pc 0x%llx, sp 0x%llx, cr2 0x%llx, ring %u",
             (unsigned long long)r.rip, (unsigned long long)r.rsp,
             (unsigned long long)s.cr2, s.cs.selector & 3);
}

int arch_frame(struct vm *vm, struct bt_regs *r)
{
    struct kvm_regs k;

    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &k) < 0)
        return -errno;
    *r = (struct bt_regs){ k.rip, k.rbp, k.rsp };
    return 0;
}

/* Do the 7 bytes before p end with a call: call rel32, call *%reg,
 * call *disp32(%rip), call *disp8(%reg) or call *disp32(%reg)? */
static int after_call(const uint8_t *p)
{
    return p[2] == 0xe8 || (p[5] == 0xff && (p[6] & 0xf8) == 0xd0) ||
           (p[1] == 0xff && p[2] == 0x15) ||
           (p[4] == 0xff && (p[5] & 0xf8) == 0x50) ||
           (p[1] == 0xff && (p[2] & 0xf8) == 0x90);
}

int arch_leaf_ret(struct vm *vm, const struct bt_regs *r, uint64_t *ret)
{
    const uint8_t *top = gpa_ptr(vm, r->sp, 8), *code;
    uint64_t v;

    if (!top)
        return -1;
    memcpy(&v, top, sizeof(v));
    if (v < 7 || !(code = gpa_ptr(vm, v - 7, 7)) || !after_call(code))
        return -1;
    *ret = v;
    return 0;
}

/* A ring-3 hlt faults (arch_exc_detail() names it); a ring-0 one is a
 * KVM_EXIT_HLT: nothing blocks inside KVM_RUN here. */
int arch_vcpu_stuck(struct vm *vm, char *buf, unsigned size)
{
    (void)vm;
    (void)buf;
    (void)size;
    return 0;
}

int arch_vm_type(int kvm_fd, uint64_t mem_size, unsigned long *type)
{
    (void)kvm_fd;
    (void)mem_size;
    *type = 0;
    return 0;
}
