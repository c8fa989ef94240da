/* Creating and tearing down the KVM VM, its RAM and its one vCPU. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>

#include "arch.h"
#include "err.h"
#include "timing.h"
#include "vm.h"

static int open_kvm(struct vm *vm)
{
    int api;

    vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (vm->kvm_fd < 0 && (errno == EACCES || errno == EPERM))
        return err_set(errno,
                       "cannot open /dev/kvm: %s (it is usually root:kvm, "
                       "mode 0660: add this user to the kvm group with "
                       "'sudo usermod -aG kvm USER', then log out and in "
                       "again)",
                       strerror(errno));
    if (vm->kvm_fd < 0)
        return err_set(errno,
                       "cannot open /dev/kvm: %s (is KVM enabled: "
                       "virtualization on in the firmware, the kvm module "
                       "loaded?)",
                       strerror(errno));
    api = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION)
        return err_set(ENOTSUP, "unsupported KVM API version %d", api);
    return 0;
}

/* The host's transparent huge page size; 0 when it has none. */
static uint64_t huge_page_size(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "re");
    unsigned long long v = 0;

    if (!f)
        return 0;
    if (fscanf(f, "%llu", &v) != 1)
        v = 0;
    fclose(f);
    return v;
}

static int map_ram(struct vm *vm, uint64_t mem_size)
{
    struct kvm_userspace_memory_region r;

    vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (vm->mem == MAP_FAILED) {
        vm->mem = NULL;
        return err_set(errno, "cannot allocate %llu MiB of guest memory: %s",
                       (unsigned long long)(mem_size >> 20), strerror(errno));
    }
    if (!vm_mem_huge(mem_size, huge_page_size()))
        madvise(vm->mem, mem_size, MADV_NOHUGEPAGE); /* advice: may fail */
    vm->mem_size = mem_size;
    vm->mem_base = arch_layout.mem_base;
    vm->gpa_lo = arch_layout.gpa_lo;
    vm->exc = (struct gpa_range){ arch_layout.exc_lo, arch_layout.exc_hi };
    r = (struct kvm_userspace_memory_region){
        .slot = 0,
        .guest_phys_addr = vm->mem_base,
        .memory_size = mem_size,
        .userspace_addr = (uintptr_t)vm->mem,
    };
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
        return err_set(errno, "KVM_SET_USER_MEMORY_REGION: %s",
                       strerror(errno));
    return 0;
}

int vm_dirty_log(struct vm *vm, int on)
{
    struct kvm_userspace_memory_region r = {
        .slot = 0,
        .flags = on ? KVM_MEM_LOG_DIRTY_PAGES : 0,
        .guest_phys_addr = vm->mem_base,
        .memory_size = vm->mem_size,
        .userspace_addr = (uintptr_t)vm->mem,
    };

    return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

/* The pagemap entries of n host pages from host page number first, into
 * hbits (zeroed by the caller): bit i set when page first + i is present
 * or swapped. */
static int pagemap_read(int fd, uint64_t first, uint64_t n, uint64_t *hbits)
{
    uint64_t ent[512];

    for (uint64_t p = 0; p < n; p += 512) {
        uint64_t k = n - p < 512 ? n - p : 512;

        if (pread(fd, ent, k * 8, (off_t)((first + p) * 8)) != (ssize_t)(k * 8))
            return -EIO;
        for (uint64_t i = 0; i < k; i++)
            if (ent[i] >> 62) /* present (63) or swapped (62) */
                hbits[(p + i) / 64] |= 1ULL << ((p + i) % 64);
    }
    return 0;
}

/* The 4 KiB pages of guest RAM in host pages that hold memory; every page
 * when that cannot be told. */
static void pages_used(const struct vm *vm, uint64_t *bits)
{
    uint64_t npages = vm->mem_size / 4096, words = (npages + 63) / 64;
    long psz = sysconf(_SC_PAGESIZE);
    uint64_t hn = psz > 0 ? vm->mem_size / (uint64_t)psz : 0;
    uint64_t *hbits = calloc((hn + 63) / 64 + 1, 8);
    int fd = vm->pagemap_fd > 0 /* 0 in a zeroed vm: never pagemap */
                 ? vm->pagemap_fd
                 : open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    int rc = -EIO;

    memset(bits, 0, words * 8);
    if (fd >= 0 && hbits && psz >= 4096 && psz % 4096 == 0)
        rc = pagemap_read(fd, (uintptr_t)vm->mem / (uint64_t)psz, hn, hbits);
    if (rc == 0)
        vm_bits_widen(bits, hbits, npages, (uint64_t)psz / 4096);
    else
        memset(bits, 0xff, words * 8);
    if (fd >= 0 && fd != vm->pagemap_fd)
        close(fd);
    free(hbits);
}

static int page_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;

    for (unsigned i = 0; i < 4096 / 8; i++)
        if (w[i])
            return 0;
    return 1;
}

uint64_t vm_pages_nonzero(const struct vm *vm, uint64_t *bits)
{
    uint64_t npages = vm->mem_size / 4096, n = 0;

    pages_used(vm, bits);
    for (uint64_t p = 0; p < npages; p++) {
        if (!(bits[p / 64] >> (p % 64) & 1))
            continue;
        if (page_zero(vm->mem + p * 4096))
            bits[p / 64] &= ~(1ULL << (p % 64));
        else
            n++;
    }
    return n;
}

int vm_dirty_fetch(struct vm *vm, uint64_t *bits)
{
    struct kvm_dirty_log d = { .slot = 0, .dirty_bitmap = bits };

    return ioctl(vm->vm_fd, KVM_GET_DIRTY_LOG, &d) < 0 ? -errno : 0;
}

static int create_vcpu(struct vm *vm)
{
    int sz;

    vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0)
        return err_set(errno, "KVM_CREATE_VCPU: %s", strerror(errno));
    sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (sz < (int)sizeof(struct kvm_run))
        return err_set(EINVAL, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
    vm->run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED,
                   vm->vcpu_fd, 0);
    if (vm->run == MAP_FAILED) {
        vm->run = NULL;
        return err_set(errno, "cannot map the vCPU run area: %s",
                       strerror(errno));
    }
    vm->run_size = (size_t)sz;
    return 0;
}

int vm_create(struct vm *vm, uint64_t mem_size)
{
    unsigned long type;
    int rc;

    timing_mark("kvm-start");
    memset(vm, 0, sizeof(*vm));
    vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = vm->console_in = -1;
    vm->pagemap_fd = -1;
    if ((rc = open_kvm(vm)) < 0 ||
        (rc = arch_vm_type(vm->kvm_fd, mem_size, &type)) < 0)
        goto fail;
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
    if (vm->vm_fd < 0) {
        rc = err_set(errno, "KVM_CREATE_VM: %s", strerror(errno));
        goto fail;
    }
    if ((rc = map_ram(vm, mem_size)) < 0 || (rc = arch_vm_init(vm)) < 0 ||
        (rc = create_vcpu(vm)) < 0)
        goto fail;
    timing_mark("kvm-ready");
    return 0;
fail:
    vm_destroy(vm);
    return rc;
}

void vm_destroy(struct vm *vm)
{
    for (unsigned i = 0; i < vm->ndev; i++)
        if (vm->dev[i].fd >= 0)
            close(vm->dev[i].fd);
    vm->ndev = 0;
    if (vm->run)
        munmap(vm->run, vm->run_size);
    if (vm->vcpu_fd >= 0)
        close(vm->vcpu_fd);
    timing_memory(vm->mem, vm->mem_size);
    if (vm->mem)
        munmap(vm->mem, vm->mem_size);
    if (vm->vm_fd >= 0)
        close(vm->vm_fd);
    if (vm->kvm_fd >= 0)
        close(vm->kvm_fd);
    if (vm->pagemap_fd > 0)
        close(vm->pagemap_fd);
    vm->pagemap_fd = -1;
    vm->run = NULL;
    vm->mem = NULL;
    vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = vm->console_in = -1;
    timing_mark("teardown-done");
}
