/* kvmfloor's x86_64 part: KVM's supported CPUID set on the vCPU (a guest
 * that runs CPUID, as every libc start does, needs it), 64-bit long mode
 * entered directly, ring 3 by default (like mote's guests) or ring 0; the
 * guest's exits are port I/O: N to port 0x500, then one to port 0x501. */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmfloor.h"

const uint64_t floor_mem_base = 0;

#define GDT 0x1000ULL
#define TSS 0x1080ULL
#define PML4 0x2000ULL
#define PDPT 0x3000ULL
#define PD 0x4000ULL
#define CODE 0x10000ULL
#define CPUID_MAX 256 /* entries asked for, as mote asks */
#define PORT_LOOP 0x500
#define PORT_DONE 0x501
/* I/O bitmap: ports 0x500-0x507 open (a 4-byte out checks 4 bits) */
#define IOPB_OFF 0x68
#define IOPB_LEN (0x508 / 8 + 1)
#define TSS_LIMIT (IOPB_OFF + IOPB_LEN - 1)

/* mov $0x500,%dx; test %rcx,%rcx; jz 2f; 1: out %eax,(%dx); dec %rcx;
 * jnz 1b; 2: mov $0x501,%dx; out %eax,(%dx); 3: jmp 3b */
static const uint8_t guest_code[] = {
    0x66, 0xba, 0x00, 0x05, 0x48, 0x85, 0xc9, 0x74, 0x06, 0xef, 0x48,
    0xff, 0xc9, 0x75, 0xfa, 0x66, 0xba, 0x01, 0x05, 0xef, 0xeb, 0xfe,
};

static void put64(uint8_t *mem, uint64_t gpa, uint64_t v)
{
    memcpy(mem + gpa, &v, sizeof(v));
}

/* Identity map the first 2 MiB (the code's) as one user page; GDT; TSS with
 * bitmap. */
static void build_tables(uint8_t *mem)
{
    uint8_t *tss = mem + TSS;

    put64(mem, PML4, PDPT | 7);
    put64(mem, PDPT, PD | 7);
    put64(mem, PD, 0 | 0x87);                      /* P, W, U, 2 MiB */
    put64(mem, GDT + 0x08, 0x00af9a000000ffffULL); /* ring 0 code */
    put64(mem, GDT + 0x10, 0x00cf92000000ffffULL); /* ring 0 data */
    put64(mem, GDT + 0x18, 0x00cff2000000ffffULL); /* ring 3 data */
    put64(mem, GDT + 0x20, 0x00affa000000ffffULL); /* ring 3 code */
    put64(mem, GDT + 0x28, TSS_LIMIT | (TSS & 0xffffff) << 16 | 0x89ULL << 40);
    tss[0x66] = IOPB_OFF;
    memset(tss + IOPB_OFF, 0xff, IOPB_LEN);
    tss[IOPB_OFF + PORT_LOOP / 8] = 0; /* ports 0x500-0x507 */
    memcpy(mem + CODE, guest_code, sizeof(guest_code));
}

static struct kvm_segment seg(uint16_t sel, int code, int dpl)
{
    return (struct kvm_segment){
        .limit = 0xffffffff,
        .selector = sel,
        .type = code ? 0xb : 0x3,
        .present = 1,
        .dpl = dpl,
        .db = !code,
        .s = 1,
        .l = code,
        .g = 1,
    };
}

/* The TSS type in TR: a busy 64-bit TSS (11), as Intel's VM entry wants in
 * long mode, but an available one (9) on AMD, where QEMU's emulated SVM
 * (the x86 lab) lets ring 3 through the I/O bitmap only for that one (as
 * mote's x86_tr_type). */
static unsigned tss_type(void)
{
    unsigned a, b, c, d;

    if (__get_cpuid(0, &a, &b, &c, &d) &&
        (b == 0x68747541 /* "Auth"enticAMD */ ||
         b == 0x6f677948 /* "Hygo"nGenuine */))
        return 0x9;
    return 0xb;
}

static void setup_cpu(struct floor *f, int ring, uint64_t n)
{
    struct kvm_sregs s;
    struct kvm_regs r = { .rip = CODE, .rcx = n, .rflags = 2 };

    if (ioctl(f->vcpu, KVM_GET_SREGS, &s) < 0)
        die("KVM_GET_SREGS");
    s.cs = ring ? seg(0x23, 1, 3) : seg(0x08, 1, 0);
    s.ss = s.ds = s.es = s.fs = s.gs = ring ? seg(0x1b, 0, 3) : seg(0x10, 0, 0);
    s.tr = (struct kvm_segment){ .base = TSS,
                                 .limit = TSS_LIMIT,
                                 .selector = 0x28,
                                 .type = tss_type(),
                                 .present = 1 };
    s.gdt.base = GDT;
    s.gdt.limit = 0x37;
    s.cr0 = 0x80050033; /* PG, AM, WP, NE, ET, MP, PE */
    s.cr3 = PML4;
    s.cr4 = 0x20;   /* PAE */
    s.efer = 0x500; /* LME, LMA */
    if (ioctl(f->vcpu, KVM_SET_SREGS, &s) < 0)
        die("KVM_SET_SREGS");
    if (ioctl(f->vcpu, KVM_SET_REGS, &r) < 0)
        die("KVM_SET_REGS");
}

int floor_vm_type(int kvm)
{
    (void)kvm;
    return 0;
}

static void setup_cpuid(struct floor *f)
{
    size_t sz =
        sizeof(struct kvm_cpuid2) + CPUID_MAX * sizeof(struct kvm_cpuid_entry2);
    struct kvm_cpuid2 *c = calloc(1, sz);

    if (!c)
        die("calloc");
    c->nent = CPUID_MAX;
    if (ioctl(f->kvm, KVM_GET_SUPPORTED_CPUID, c) < 0)
        die("KVM_GET_SUPPORTED_CPUID");
    if (ioctl(f->vcpu, KVM_SET_CPUID2, c) < 0)
        die("KVM_SET_CPUID2");
    free(c);
}

void floor_setup(struct floor *f, int ring, uint64_t n)
{
    build_tables(f->mem);
    setup_cpuid(f);
    setup_cpu(f, ring, n);
}

int floor_exit(const struct floor *f)
{
    if (f->run->exit_reason != KVM_EXIT_IO) {
        fprintf(stderr, "kvmfloor: unexpected exit reason %u\n",
                f->run->exit_reason);
        exit(1);
    }
    return f->run->io.port == PORT_LOOP;
}
