/* kvmfloor: the least a KVM monitor can do, as the floor for make bench.
 *
 *   kvmfloor [-r 0|3] [-n N] [-s MS] [-t]
 *
 * Creates a VM with 2 MiB of RAM and one vCPU, enters 64-bit long mode
 * directly (ring 3 by default, like mote's guests; -r 0 for ring 0) and
 * runs 22 bytes of guest code: N port-I/O exits to port 0x500, then one
 * to port 0x501, which ends the program. With N = 0 (the default) that is
 * one exit: the cold-boot floor. With N > 1 it prints the time per exit
 * round trip, measured on the host between the first and the last of the
 * N exits: "exit_ns NS". With -s it then prints "up" and sleeps MS
 * milliseconds with the VM still alive (for counting VMs at once). With
 * -t it prints "guest_enter_ns NS", CLOCK_MONOTONIC just before the first
 * KVM_RUN (the time to the guest's first instruction, as mote's
 * MOTE_TIMING mark guest-enter).
 * Self-contained on purpose: no mote code. Built static, as a floor. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>

#define MEM_SIZE (2ULL << 20)
#define GDT 0x1000ULL
#define TSS 0x1080ULL
#define PML4 0x2000ULL
#define PDPT 0x3000ULL
#define PD 0x4000ULL
#define CODE 0x10000ULL
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

struct floor {
    int kvm, vm, vcpu;
    uint8_t *mem;
    struct kvm_run *run;
};

static void die(const char *what)
{
    fprintf(stderr, "kvmfloor: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void put64(uint8_t *mem, uint64_t gpa, uint64_t v)
{
    memcpy(mem + gpa, &v, sizeof(v));
}

/* Identity map the first 2 MiB as one user page; GDT; TSS with bitmap. */
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
                                 .type = 0xb,
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

static void create(struct floor *f)
{
    struct kvm_userspace_memory_region r = { .memory_size = MEM_SIZE };
    int sz;

    if ((f->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0)
        die("/dev/kvm");
    if ((f->vm = ioctl(f->kvm, KVM_CREATE_VM, 0)) < 0)
        die("KVM_CREATE_VM");
    f->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (f->mem == MAP_FAILED)
        die("mmap");
    r.userspace_addr = (uintptr_t)f->mem;
    if (ioctl(f->vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
        die("KVM_SET_USER_MEMORY_REGION");
    if ((f->vcpu = ioctl(f->vm, KVM_CREATE_VCPU, 0)) < 0)
        die("KVM_CREATE_VCPU");
    if ((sz = ioctl(f->kvm, KVM_GET_VCPU_MMAP_SIZE, 0)) < 0)
        die("KVM_GET_VCPU_MMAP_SIZE");
    f->run =
        mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, f->vcpu, 0);
    if (f->run == MAP_FAILED)
        die("mmap vcpu");
}

/* Enter the guest until its next port-I/O exit; returns the port. */
static unsigned run_once(struct floor *f)
{
    if (ioctl(f->vcpu, KVM_RUN, 0) < 0)
        die("KVM_RUN");
    if (f->run->exit_reason != KVM_EXIT_IO) {
        fprintf(stderr, "kvmfloor: unexpected exit reason %u\n",
                f->run->exit_reason);
        exit(1);
    }
    return f->run->io.port;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    struct floor f;
    uint64_t n = 0, seen = 0, t0 = 0, t1 = 0;
    long sleep_ms = -1;
    int ring = 3, enter = 0, c;

    while ((c = getopt(argc, argv, "r:n:s:t")) != -1) {
        if (c == 'r')
            ring = atoi(optarg);
        else if (c == 'n')
            n = strtoull(optarg, NULL, 10);
        else if (c == 's')
            sleep_ms = atol(optarg);
        else if (c == 't')
            enter = 1;
        else
            return fputs("usage: kvmfloor [-r 0|3] [-n N] [-s MS] [-t]\n",
                         stderr),
                   2;
    }
    create(&f);
    build_tables(f.mem);
    setup_cpu(&f, ring, n);
    if (enter)
        printf("guest_enter_ns %llu\n", (unsigned long long)now_ns());
    while (run_once(&f) == PORT_LOOP) {
        if (++seen == 1)
            t0 = now_ns();
        t1 = now_ns();
    }
    if (seen != n)
        return fprintf(stderr, "kvmfloor: %llu exits, want %llu\n",
                       (unsigned long long)seen, (unsigned long long)n),
               1;
    if (n > 1)
        printf("exit_ns %llu\n", (unsigned long long)((t1 - t0) / (n - 1)));
    if (sleep_ms >= 0) {
        puts("up");
        fflush(stdout);
        usleep((useconds_t)sleep_ms * 1000);
    }
    return 0;
}
