/* kvmfloor: the least a correct KVM monitor must do, as the floor for make
 * bench.
 *
 *   kvmfloor [-r 0|3] [-n N] [-s MS] [-t] [-m MIB]
 *
 * Creates a VM with MIB MiB of RAM (default 32: bench/figures.sh passes
 * the size mote gives the measured image, so both map the same) and one
 * vCPU, sets the vCPU's CPU model where the arch needs it (x86_64: KVM's
 * supported CPUID, KVM_GET_SUPPORTED_CPUID and KVM_SET_CPUID2, as any
 * monitor whose guest uses CPUID must), enters the guest's 64-bit mode
 * directly and runs a few instructions of guest code: N exits, then one
 * more that ends the program (the arch's part, kvmfloor-ARCH.c: on x86_64
 * port I/O from ring 3 by default, like mote's guests, or ring 0 with -r
 * 0; on aarch64 MMIO stores from EL1, where -r is ignored). Guest RAM is
 * advised MADV_NOHUGEPAGE, as mote advises a small guest's (a huge page
 * would be backed whole on the first touch). With N = 0 (the default)
 * that is one exit: the cold-boot floor. With N > 1 it prints the time per
 * exit round trip, measured on the host between the first and the last of
 * the N exits: "exit_ns NS". With -s it then prints "up" and sleeps MS
 * milliseconds with the VM still alive (for counting VMs at once). With -t
 * it prints "guest_enter_ns NS", CLOCK_MONOTONIC just before the first
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

#include "kvmfloor.h"

void die(const char *what)
{
    fprintf(stderr, "kvmfloor: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void create(struct floor *f)
{
    struct kvm_userspace_memory_region r = { .guest_phys_addr = floor_mem_base,
                                             .memory_size = f->mem_size };
    int sz;

    if ((f->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0)
        die("/dev/kvm");
    if ((f->vm = ioctl(f->kvm, KVM_CREATE_VM, floor_vm_type(f->kvm))) < 0)
        die("KVM_CREATE_VM");
    f->mem = mmap(NULL, f->mem_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (f->mem == MAP_FAILED)
        die("mmap");
    madvise(f->mem, f->mem_size, MADV_NOHUGEPAGE); /* advice: may fail */
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

/* Enter the guest until its next exit: 1 for a loop exit, 0 for the last. */
static int run_once(struct floor *f)
{
    if (ioctl(f->vcpu, KVM_RUN, 0) < 0)
        die("KVM_RUN");
    return floor_exit(f);
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    struct floor f = { .mem_size = MEM_MIB_DEFAULT << 20 };
    uint64_t n = 0, seen = 0, t0 = 0, t1 = 0;
    long sleep_ms = -1;
    int ring = 3, enter = 0, c;

    while ((c = getopt(argc, argv, "r:n:s:tm:")) != -1) {
        if (c == 'r')
            ring = atoi(optarg);
        else if (c == 'n')
            n = strtoull(optarg, NULL, 10);
        else if (c == 's')
            sleep_ms = atol(optarg);
        else if (c == 't')
            enter = 1;
        else if (c == 'm' && atoi(optarg) >= 2 && atoi(optarg) <= 4096)
            f.mem_size = (uint64_t)atoi(optarg) << 20;
        else
            return fputs("usage: kvmfloor [-r 0|3] [-n N] [-s MS] [-t] "
                         "[-m MIB (2-4096)]\n",
                         stderr),
                   2;
    }
    create(&f);
    floor_setup(&f, ring, n);
    if (enter)
        printf("guest_enter_ns %llu\n", (unsigned long long)now_ns());
    while (run_once(&f)) {
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
