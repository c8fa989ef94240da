/* The hypercall table: registration, argument checks and dispatch. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "vm.h"

int hc_register(struct vm *vm, unsigned nr, const char *name, uint32_t size,
                hc_fn fn)
{
    if (nr >= MOTE_HC_MAX || !fn || size == 0 || size > HC_ARG_MAX)
        return -EINVAL;
    if (vm->hc[nr].fn)
        return -EEXIST;
    vm->hc[nr] = (struct hc_entry){ fn, size, name };
    return 0;
}

int hc_register_all(struct vm *vm, const struct hc_def *defs, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        int rc =
            hc_register(vm, defs[i].nr, defs[i].name, defs[i].size, defs[i].fn);

        if (rc < 0)
            return rc;
    }
    return 0;
}

int vm_crash(struct vm *vm, const char *fmt, ...)
{
    char buf[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    err_set(EFAULT, "%s", buf);
    vm->stop = VM_CRASHED;
    bt_capture(vm, &vm->bt, NULL);
    return 1;
}

/*
 * A crash report may also come from the exception stack (x86: the ring-0
 * stubs' own, below what hypercalls may name): read there, never written,
 * for the crash call only, which does not return.
 */
static void *crash_arg(const struct vm *vm, gpa_t arg, uint64_t size)
{
    const struct gpa_range *e = &vm->exc;

    if ((arg & 7) || arg < e->lo || arg >= e->hi || size > e->hi - arg ||
        e->lo < vm->mem_base || e->hi - vm->mem_base > vm->mem_size)
        return NULL;
    return vm->mem + (arg - vm->mem_base);
}

/*
 * The handler works on a private copy of the argument struct: read from
 * guest memory once before it runs, written back once after. Whatever the
 * handler writes into guest buffers (which may overlap the struct, or be
 * the struct) can then never change the lengths and addresses it checked.
 */
int hc_dispatch(struct vm *vm, unsigned nr, gpa_t arg)
{
    const struct hc_entry *h = nr < MOTE_HC_MAX ? &vm->hc[nr] : NULL;
    uint64_t copy[HC_ARG_MAX / sizeof(uint64_t)];
    void *p;
    int rc, ro;

    if (!h || !h->fn)
        return vm_crash(vm, "guest made unknown hypercall %u", nr);
    p = gpa_arg(vm, arg, h->size);
    ro = !p && nr == MOTE_HC_CRASH && (p = crash_arg(vm, arg, h->size));
    if (!p)
        return vm_crash(vm,
                        "guest passed a bad argument address 0x%llx "
                        "to hypercall %s",
                        (unsigned long long)arg, h->name);
    memcpy(copy, p, h->size);
    __atomic_store_n(&vm->stats.hc[nr], vm->stats.hc[nr] + 1, __ATOMIC_RELAXED);
    rc = h->fn(vm, copy);
    if (rc == 0 && !ro)
        memcpy(p, copy, h->size);
    return rc;
}
