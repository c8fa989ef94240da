/* Restore: a guest from its snapshot file, checked the way a boot is. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arch.h"
#include "devkind.h"
#include "err.h"
#include "manifest.h"
#include "mbed.h"
#include "snap.h"
#include "vmm.h"
#include "vmm_impl.h"
#include "wx.h"

/* The image inside the snapshot: verified, parsed and checked as at boot
 * (its manifest against the devices c attaches, the board's memory cap). */
int vmm_snap_image(struct vmm *m, struct vm_config *c, struct snap *s)
{
    size_t len = s->h.image_len;
    uint64_t mem = s->h.mem_size;
    int rc;

    m->buf = s->image; /* the vmm owns it from here */
    m->image_len = len;
    s->image = NULL;
    if ((rc = vmm_verify(m, c, &len)) < 0 ||
        (rc = elf_parse(m->buf, len, arch_elf_machine, &m->img)) < 0 ||
        (rc = manifest_check(&m->img, c->dev, c->ndev, &mem, 1)) < 0)
        return err_prefix(rc, "the snapshot's image");
    m->mem = mem;
    if ((rc = vmm_board_mem_cap(m)) < 0)
        return rc;
    sym_load(m->buf, len, &m->syms);
    return 0;
}

/* c's devices in the snapshot's order, each one the snapshot has. */
int vmm_snap_order(struct vm_config *c, const struct snap *s)
{
    struct devspec sorted[MOTE_MAX_DEVICES];

    if (c->ndev != s->h.ndev)
        return err_set(EPERM,
                       "the snapshot has %u devices; attach each of them "
                       "(%u given)",
                       s->h.ndev, c->ndev);
    for (unsigned i = 0; i < s->h.ndev; i++) {
        unsigned j = 0;

        while (j < c->ndev && strcmp(c->dev[j].name, s->dev[i].name))
            j++;
        if (j == c->ndev || c->dev[j].kind != s->dev[i].kind) {
            const struct dev_kind *k = dev_kind_by_id(s->dev[i].kind);

            return err_set(EPERM, "the guest's %s '%s' is not attached",
                           k ? k->noun : "device", s->dev[i].name);
        }
        sorted[i] = c->dev[j];
    }
    memcpy(c->dev, sorted, sizeof(sorted[0]) * c->ndev);
    return 0;
}

/* Each attached device against the guest's record of it: its kind's
 * restore() decides (a disk's size, a NIC's MTU...). */
int vmm_snap_match(struct vm *vm, const struct snap *s)
{
    for (unsigned i = 0; i < vm->ndev; i++) {
        const struct dev_kind *k = dev_kind_by_id(vm->dev[i].desc.kind);
        int rc;

        if (k && k->restore && (rc = k->restore(&vm->dev[i], &s->dev[i])) < 0)
            return rc;
    }
    return 0;
}

uint64_t vmm_since(uint64_t then_ns)
{
    struct timespec ts;
    uint64_t now;

    clock_gettime(CLOCK_REALTIME, &ts);
    now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
    return now > then_ns ? now - then_ns : 0;
}

int vmm_snap_host(struct vmm *m, const struct snap *s)
{
    char model[64];

    if (s->h.machine != arch_elf_machine)
        return err_set(EPERM,
                       "the snapshot is of another arch's guest (ELF "
                       "machine %u); this mote runs %s guests",
                       s->h.machine, arch_name);
    if (s->h.mem_base != m->vm.mem_base)
        return err_set(EPERM, "the snapshot's memory layout is not this "
                              "mote's");
    if (arch_cpu_model(&m->vm, model, sizeof(model)) < 0)
        return err_set(EIO, "cannot name this host's CPU model");
    if (strcmp(model, s->h.cpu_model) != 0)
        return err_set(EPERM,
                       "the snapshot was taken on another CPU model "
                       "(%s; this host: %s)",
                       s->h.cpu_model, model);
    return 0;
}

static int restore(struct vmm *m, struct vm_config *c, struct snap *s,
                   mbedtls_sha256_context *sha)
{
    const struct sig_key *k;
    int rc;

    if ((rc = snap_open(c->image, s, sha)) < 0 ||
        (rc = vmm_snap_order(c, s)) < 0 || (rc = vmm_snap_image(m, c, s)) < 0 ||
        (rc = vm_create(&m->vm, s->h.mem_size)) < 0 ||
        (rc = wx_protect(&m->vm, &m->img)) < 0 ||
        (rc = vmm_snap_host(m, s)) < 0 ||
        (rc = snap_load_mem(s, m->vm.mem, sha, &c->trust, &k)) < 0)
        return rc;
    if (c->verbose)
        fprintf(stderr, "mote: %s: good signature by %s, %llu pages\n",
                c->image, sig_key_path(k), (unsigned long long)s->h.mem_pages);
    m->vm.model = m->board.model;
    m->vm.counter_freq = s->h.counter_freq;
    if ((rc = vmm_pin(m)) < 0 || (rc = vmm_setup_devices(m, c)) < 0 ||
        (rc = vmm_snap_match(&m->vm, s)) < 0)
        return rc;
    m->vm.moved = 1; /* the guest announces itself on its networks */
    return arch_state_load(&m->vm, s->cpu, s->h.cpu_len,
                           vmm_since(s->h.walltime_ns));
}

int vmm_restore(struct vmm *m, struct vm_config *c, const char *path)
{
    mbedtls_sha256_context sha;
    struct snap s;
    int rc;

    memset(m, 0, sizeof(*m));
    m->cfg = c;
    m->vm.kvm_fd = m->vm.vm_fd = m->vm.vcpu_fd = m->vm.console_in = -1;
    m->vm.pagemap_fd = -1;
    c->image = path;
    mbed_sha256_begin(&sha);
    if ((rc = vmm_choose_board(m, c)) == 0)
        rc = restore(m, c, &s, &sha);
    else
        s.fd = -1, s.image = s.cpu = s.map = NULL;
    snap_close(&s);
    mbedtls_sha256_free(&sha);
    return rc < 0 ? err_prefix(rc, path) : 0;
}
