/* Tiny KVM check: one VM, one vCPU in real mode running
 * "mov dx,0x3f8; mov al,'K'; out dx,al; hlt". Prints each exit. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static void die(const char *m)
{
    perror(m);
    exit(1);
}

int main(void)
{
    static const unsigned char code[] = {
        0xba, 0xf8, 0x03, /* mov dx, 0x3f8 */
        0xb0, 'K',        /* mov al, 'K' */
        0xee,             /* out dx, al */
        0xf4,             /* hlt */
    };
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        die("open /dev/kvm");
    printf("KVM_GET_API_VERSION %d\n", ioctl(kvm, KVM_GET_API_VERSION, 0));
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        die("KVM_CREATE_VM");
    unsigned char *mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        die("mmap");
    memcpy(mem + 0x1000, code, sizeof code);
    struct kvm_userspace_memory_region r = { .slot = 0,
                                             .guest_phys_addr = 0,
                                             .memory_size = 0x10000,
                                             .userspace_addr =
                                                 (unsigned long)mem };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
        die("SET_USER_MEMORY_REGION");
    int cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (cpu < 0)
        die("KVM_CREATE_VCPU");
    int sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run =
        mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
    if (run == MAP_FAILED)
        die("mmap run");
    struct kvm_sregs s;
    if (ioctl(cpu, KVM_GET_SREGS, &s) < 0)
        die("GET_SREGS");
    s.cs.base = 0;
    s.cs.selector = 0;
    if (ioctl(cpu, KVM_SET_SREGS, &s) < 0)
        die("SET_SREGS");
    struct kvm_regs g = { .rip = 0x1000, .rflags = 2 };
    if (ioctl(cpu, KVM_SET_REGS, &g) < 0)
        die("SET_REGS");
    for (int i = 0; i < 10; i++) {
        if (ioctl(cpu, KVM_RUN, 0) < 0)
            die("KVM_RUN");
        switch (run->exit_reason) {
        case KVM_EXIT_IO:
            printf("exit IO port 0x%x byte '%c'\n", run->io.port,
                   *((char *)run + run->io.data_offset));
            break;
        case KVM_EXIT_HLT: printf("exit HLT: kvmprobe OK\n"); return 0;
        default:
            printf("unexpected exit %d (fail reason 0x%llx)\n",
                   run->exit_reason,
                   (unsigned long long)
                       run->fail_entry.hardware_entry_failure_reason);
            return 1;
        }
    }
    return 1;
}
