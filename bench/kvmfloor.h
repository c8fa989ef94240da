/* kvmfloor (bench/kvmfloor.c): what each architecture's part provides. */
#ifndef KVMFLOOR_H
#define KVMFLOOR_H
#include <stdint.h>
#include <linux/kvm.h>

/* Guest RAM when -m is not given: mote's default on x86_64 and on the
 * generic ARM64 board (bench/figures.sh passes the size mote uses). */
#define MEM_MIB_DEFAULT 32

struct floor {
    int kvm, vm, vcpu;
    uint8_t *mem; /* mem_size bytes at guest address floor_mem_base */
    uint64_t mem_size;
    struct kvm_run *run;
};

extern const uint64_t floor_mem_base;

void die(const char *what);
/* KVM_CREATE_VM's machine type for this host. */
int floor_vm_type(int kvm);
/* The guest's code and tables in f->mem, the vCPU's CPU model where the
 * arch needs one set (x86_64: KVM's supported CPUID) and its registers: N
 * loop exits, then the last one; ring 0 or 3 where the arch has rings. */
void floor_setup(struct floor *f, int ring, uint64_t n);
/* After KVM_RUN: 1 for a loop exit, 0 for the last one; exits the program
 * on any other exit. */
int floor_exit(const struct floor *f);

#endif
