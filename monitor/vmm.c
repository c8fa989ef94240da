/* The boot sequence: board -> image -> verify -> memory -> devices ->
 * load -> vCPU; the run itself. */
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "boot.h"
#include "devkind.h"
#include "err.h"
#include "manifest.h"
#include "policy.h"
#include "sandbox.h"
#include "vmm.h"
#include "vmm_impl.h"
#include "wx.h"

/* The console's rate: c's, or the board's maximum, never above it. */
static int console_rate(struct vmm *m, const struct vm_config *c)
{
    uint64_t max = m->board.console_rate_max;
    char want[32], most[32];

    m->console_rate = c->console_rate ? c->console_rate : max;
    size_str(m->console_rate, want, sizeof(want));
    size_str(max, most, sizeof(most));
    if (max && m->console_rate > max)
        return err_set(EPERM,
                       "a console rate of %s a second is more than %s "
                       "allows (%s)",
                       want, m->board.console_rate_by, most);
    if (c->verbose && c->console_rate)
        fprintf(stderr, "mote: console output: at most %s a second\n", want);
    else if (c->verbose && max)
        fprintf(stderr,
                "mote: console output: at most %s a second, the most %s "
                "allows\n",
                want, m->board.console_rate_by);
    return 0;
}

int vmm_choose_board(struct vmm *m, const struct vm_config *c)
{
    const struct board_request r = {
        .board = c->board,
        .allow_unsigned = c->allow_unsigned,
        .root = "",
        .policy = POLICY_PATH,
    };
    char why[300];
    int rc;

    if ((rc = policy_board(&r, arch_name, &m->board, why, sizeof(why))) < 0)
        return rc;
    if (c->verbose)
        fprintf(stderr, "mote: %s\n", why);
    m->mem = c->mem ? c->mem : m->board.mem_default;
    return console_rate(m, c);
}

int vmm_pin(const struct vmm *m)
{
    char warn[300];
    int rc = board_pin(&m->board, warn, sizeof(warn));

    if (rc == 0 && warn[0])
        fprintf(stderr, "mote: warning: %s\n", warn);
    return rc;
}

/* After the manifest had its say: the board's memory cap. */
int vmm_board_mem_cap(const struct vmm *m)
{
    if (m->mem > m->board.mem_max)
        return err_set(EPERM,
                       "%llu MiB of guest memory is more than %s allows "
                       "(%llu MiB)",
                       (unsigned long long)(m->mem >> 20), m->board.mem_max_by,
                       (unsigned long long)(m->board.mem_max >> 20));
    return 0;
}

/* A container's memory limit: less guest memory than the manifest's, or
 * an error when even the least a guest needs does not fit. */
static int mem_cap(struct vmm *m, const struct vm_config *c)
{
    uint64_t cap = c->mem_cap & ~((2ULL << 20) - 1);

    if (!c->mem_cap || m->mem <= cap)
        return 0;
    if (cap < arch_layout.mem_min)
        return err_set(EPERM,
                       "a memory limit of %llu KiB leaves the guest less "
                       "than the %llu MiB it needs",
                       (unsigned long long)(c->mem_cap >> 10),
                       (unsigned long long)(arch_layout.mem_min >> 20));
    m->mem = cap;
    return 0;
}

/* Check the signature of the image in m->buf; *len becomes the signed
 * part. */
int vmm_verify(struct vmm *m, struct vm_config *c, size_t *len)
{
    const struct sig_key *k;
    int rc;

    if (c->trust.n == 0 && access(TRUST_DEFAULT_DIR, F_OK) == 0 &&
        (rc = trust_add(&c->trust, TRUST_DEFAULT_DIR)) < 0)
        return rc;
    rc = image_verify(m->buf, *len, &c->trust, c->allow_unsigned, len, &k);
    if (rc < 0)
        return rc;
    m->unsigned_image = !k;
    if (k && c->verbose)
        fprintf(stderr, "mote: %s: good signature by %s\n", c->image,
                sig_key_path(k));
    return 0;
}

/*
 * Read the image once, verify it, then parse and later load exactly those
 * bytes: nothing is read again between the check and the load.
 */
static int load_image(struct vmm *m, struct vm_config *c)
{
    struct elf_image *img = &m->img;
    size_t len;
    int rc;

    if ((rc = image_read(c->image, IMAGE_MAX, &m->buf, &len)) < 0)
        return rc;
    m->image_len = len;
    if ((rc = vmm_verify(m, c, &len)) < 0 ||
        (rc = elf_parse(m->buf, len, arch_elf_machine, img)) < 0 ||
        (c->add_devices &&
         (rc = c->add_devices(c, img, c->add_devices_arg)) < 0) ||
        (rc = manifest_check(img, c->dev, c->ndev, &m->mem, c->mem != 0)) < 0 ||
        (rc = mem_cap(m, c)) < 0 || (rc = vmm_board_mem_cap(m)) < 0 ||
        (rc = elf_check_fit(img, arch_layout.image_lo,
                            arch_layout.mem_base + m->mem)) < 0)
        return err_prefix(rc, c->image);
    sym_load(m->buf, len, &m->syms); /* none is fine: crashes show addresses */
    if (c->verbose)
        fprintf(stderr,
                "mote: %s: %s image, entry 0x%llx, %u segments at "
                "0x%llx-0x%llx, %llu MiB of guest memory\n",
                c->image, arch_name, (unsigned long long)img->entry, img->nsegs,
                (unsigned long long)img->lo, (unsigned long long)img->hi,
                (unsigned long long)(m->mem >> 20));
    return 0;
}

/* The core hypercalls, every kind's, the built-in devices, then the
 * attached ones in the order given. */
int vmm_setup_devices(struct vmm *m, const struct vm_config *c)
{
    struct vm *vm = &m->vm;
    int rc;

    vm->console_rate = m->console_rate;
    if ((rc = hc_core_setup(vm)) < 0)
        return err_set(-rc, "cannot register the core hypercalls");
    if ((rc = dev_kinds_register(vm)) < 0)
        return rc;
    for (const struct dev_kind *const *k = dev_kinds; *k; k++)
        if (!(*k)->keyword && (*k)->attach && (rc = (*k)->attach(vm, NULL)) < 0)
            return rc;
    for (unsigned i = 0; i < c->ndev; i++) {
        const struct dev_kind *k = dev_kind_by_id(c->dev[i].kind);

        if (!k)
            return err_set(EINVAL, "device '%s': unknown kind", c->dev[i].name);
        if ((rc = k->attach(vm, &c->dev[i])) < 0)
            return rc;
    }
    return 0;
}

static int load(struct vmm *m, const struct vm_config *c)
{
    struct vm *vm = &m->vm;
    struct bootinfo_params bp = {
        .mem_size = m->mem,
        .mem_base = vm->mem_base,
        .heap_start = (m->img.hi + 4095) & ~4095ULL,
        .argc = c->argc,
        .argv = c->argv,
        .envc = c->envc,
        .envp = c->envp,
        .dev = vm->dev,
    };
    int rc;

    if ((rc = vmm_setup_devices(m, c)) < 0 ||
        (rc = arch_counter_freq(vm, &bp.counter_freq)) < 0)
        return rc;
    vm->counter_freq = bp.counter_freq;
    bp.ndev = vm->ndev;
    elf_load(&m->img, m->buf, vm->mem, vm->mem_base);
    rc = bootinfo_build(vm->mem + (arch_layout.bootinfo - vm->mem_base),
                        arch_layout.bootinfo_max, arch_layout.bootinfo, &bp);
    if (rc < 0)
        return rc;
    return arch_vcpu_init(vm, &m->img, arch_layout.bootinfo);
}

int vmm_boot(struct vmm *m, struct vm_config *c)
{
    int rc;

    memset(m, 0, sizeof(*m));
    m->cfg = c;
    m->vm.kvm_fd = m->vm.vm_fd = m->vm.vcpu_fd = m->vm.console_in = -1;
    m->vm.pagemap_fd = -1;
    if ((rc = vmm_choose_board(m, c)) < 0 || (rc = load_image(m, c)) < 0 ||
        (rc = vm_create(&m->vm, m->mem)) < 0 ||
        (rc = wx_protect(&m->vm, &m->img)) < 0)
        return rc;
    m->vm.model = m->board.model;
    if ((rc = vmm_pin(m)) < 0)
        return rc;
    return load(m, c);
}

void vmm_drop_image(struct vmm *m)
{
    free(m->buf);
    m->buf = NULL;
#ifdef __GLIBC__
    malloc_trim(0); /* an image below the mmap threshold was on the heap */
#endif
}

int vmm_sandbox_keep(struct vmm *m, struct sandbox *sb)
{
    struct vm *vm = &m->vm;
    int rc = 0;

    if (vm->kvm_fd >= 0)
        close(vm->kvm_fd);
    vm->kvm_fd = -1;
    if (m->buf && vm->pagemap_fd < 0 &&
        (vm->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)) < 0)
        return err_set(errno, "/proc/self/pagemap: %s", strerror(errno));
    rc |= sandbox_keep(sb, vm->vm_fd) | sandbox_keep(sb, vm->vcpu_fd) |
          sandbox_keep(sb, vm->console_in) | sandbox_keep(sb, vm->pagemap_fd);
    for (unsigned i = 0; i < vm->ndev; i++)
        rc |= sandbox_keep(sb, vm->dev[i].fd);
    return rc ? err_set(ENOSPC, "sandbox: too many fds to keep") : 0;
}

int vmm_run(struct vmm *m)
{
    return vm_run(&m->vm);
}

void vmm_free(struct vmm *m)
{
    if (m->vm.vm_fd >= 0 || m->vm.kvm_fd >= 0)
        vm_destroy(&m->vm);
    free(m->buf);
    m->buf = NULL;
    sym_free(&m->syms);
}
