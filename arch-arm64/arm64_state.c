/* aarch64 vCPU state for snapshots: every register KVM lists for the vCPU
 * (core, FP/SIMD, system registers, the virtual timer and counter, the
 * firmware's), saved and set back through KVM_{GET,SET}_ONE_REG. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "../monitor/arch.h"
#include "../monitor/err.h"
#include "arm64.h"

#define STATE_MAGIC 0x53343661u /* "a64S" */
#define STATE_VERSION 1
#define REG_MIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 0)
#define REG_MAX 2048

struct state_hdr {
    uint32_t magic, version;
    uint32_t nreg, reserved;
};

struct state_reg {
    uint64_t id;
    uint8_t v[16]; /* up to 128 bits, little-endian */
};

static unsigned reg_bytes(uint64_t id)
{
    return 1u << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

static int one_reg(struct vm *vm, unsigned long op, uint64_t id, void *v)
{
    struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)v };

    return ioctl(vm->vcpu_fd, op, &r) < 0 ? -errno : 0;
}

int arch_cpu_model(struct vm *vm, char *buf, size_t size)
{
    uint64_t midr = 0;
    int rc = one_reg(vm, KVM_GET_ONE_REG, REG_MIDR_EL1, &midr);

    if (rc == -ENOEXEC) { /* not initialized yet (a restore) */
        if ((rc = arm64_vcpu_arm_init(vm)) == 0)
            rc = one_reg(vm, KVM_GET_ONE_REG, REG_MIDR_EL1, &midr);
    }
    if (rc < 0)
        return rc;
    snprintf(buf, size, "MIDR_EL1 0x%llx", (unsigned long long)midr);
    return 0;
}

/* KVM's register list for the vCPU; the caller frees it. */
static struct kvm_reg_list *reg_list(struct vm *vm)
{
    struct kvm_reg_list probe = { .n = 0 }, *l;

    if (ioctl(vm->vcpu_fd, KVM_GET_REG_LIST, &probe) == 0 || errno != E2BIG ||
        probe.n == 0 || probe.n > REG_MAX) {
        err_set(EIO, "snapshot: KVM_GET_REG_LIST: %s", strerror(errno));
        return NULL;
    }
    l = malloc(sizeof(*l) + probe.n * sizeof(uint64_t));
    if (!l) {
        err_set(ENOMEM, "out of memory");
        return NULL;
    }
    l->n = probe.n;
    if (ioctl(vm->vcpu_fd, KVM_GET_REG_LIST, l) < 0) {
        err_set(EIO, "snapshot: KVM_GET_REG_LIST: %s", strerror(errno));
        free(l);
        return NULL;
    }
    return l;
}

int arch_state_save(struct vm *vm, uint8_t *buf, size_t cap, size_t *len)
{
    struct kvm_reg_list *l = reg_list(vm);
    struct state_hdr h = { STATE_MAGIC, STATE_VERSION, 0, 0 };
    size_t at = sizeof(h);
    int rc = 0;

    if (!l)
        return -EIO;
    for (uint64_t i = 0; i < l->n && rc == 0; i++) {
        struct state_reg r = { .id = l->reg[i] };

        if (reg_bytes(r.id) > sizeof(r.v))
            continue; /* SVE's wide registers: SVE is not enabled */
        if (at + sizeof(r) > cap)
            rc = err_set(ENOSPC, "snapshot: too many vCPU registers");
        else if ((rc = one_reg(vm, KVM_GET_ONE_REG, r.id, r.v)) < 0)
            rc = err_set(-rc, "snapshot: register 0x%llx: %s",
                         (unsigned long long)r.id, strerror(-rc));
        else {
            memcpy(buf + at, &r, sizeof(r));
            at += sizeof(r);
            h.nreg++;
        }
    }
    free(l);
    memcpy(buf, &h, sizeof(h));
    *len = at;
    return rc;
}

static int listed(const struct kvm_reg_list *l, uint64_t id)
{
    for (uint64_t i = 0; i < l->n; i++)
        if (l->reg[i] == id)
            return 1;
    return 0;
}

/* The virtual counter goes on by the time that passed. */
static void move_counter(struct state_reg *r, uint64_t elapsed_ns)
{
    uint64_t cnt, hz = 0;

    if (r->id != KVM_REG_ARM_TIMER_CNT || arch_counter_freq(NULL, &hz) < 0)
        return;
    memcpy(&cnt, r->v, 8);
    cnt += (uint64_t)((unsigned __int128)elapsed_ns * hz / 1000000000u);
    memcpy(r->v, &cnt, 8);
}

static int set_all(struct vm *vm, const uint8_t *buf, uint32_t n,
                   const struct kvm_reg_list *l, uint64_t elapsed_ns)
{
    for (uint32_t i = 0; i < n; i++) {
        struct state_reg r;
        int rc;

        memcpy(&r, buf + sizeof(struct state_hdr) + i * sizeof(r), sizeof(r));
        if (!listed(l, r.id) || reg_bytes(r.id) > sizeof(r.v))
            return err_set(EINVAL,
                           "snapshot: vCPU register 0x%llx does not exist "
                           "here (another CPU model or KVM?)",
                           (unsigned long long)r.id);
        move_counter(&r, elapsed_ns);
        if ((rc = one_reg(vm, KVM_SET_ONE_REG, r.id, r.v)) < 0)
            return err_set(-rc,
                           "snapshot: KVM refused vCPU register 0x%llx: %s "
                           "(another CPU model?)",
                           (unsigned long long)r.id, strerror(-rc));
    }
    return 0;
}

int arch_state_load(struct vm *vm, const uint8_t *buf, size_t len,
                    uint64_t elapsed_ns)
{
    struct kvm_reg_list *l;
    struct state_hdr h;
    uint64_t hz = 0;
    int rc;

    if (len < sizeof(h))
        return err_set(EINVAL, "snapshot: malformed aarch64 vCPU state");
    memcpy(&h, buf, sizeof(h));
    if (h.magic != STATE_MAGIC || h.version != STATE_VERSION || h.reserved ||
        h.nreg == 0 || h.nreg > REG_MAX ||
        len != sizeof(h) + (size_t)h.nreg * sizeof(struct state_reg))
        return err_set(EINVAL, "snapshot: malformed aarch64 vCPU state");
    if ((rc = arch_counter_freq(vm, &hz)) < 0)
        return rc;
    if (hz != vm->counter_freq)
        return err_set(ENOTSUP,
                       "snapshot: its counter ran at %llu Hz, this host's at "
                       "%llu Hz",
                       (unsigned long long)vm->counter_freq,
                       (unsigned long long)hz);
    if ((rc = arm64_vcpu_arm_init(vm)) < 0 || !(l = reg_list(vm)))
        return rc < 0 ? rc : -EIO;
    rc = set_all(vm, buf, h.nreg, l, elapsed_ns);
    free(l);
    return rc;
}
