/* Checked translation of guest addresses: the only way guest pointers are used.
 */
#include "vm.h"

void *gpa_ptr(const struct vm *vm, gpa_t gpa, uint64_t len)
{
    gpa_t end = vm->mem_base + vm->mem_size;

    if (gpa < vm->gpa_lo || gpa < vm->mem_base || gpa > end)
        return NULL;
    if (len > end - gpa)
        return NULL;
    if (vm->mdirty && len) /* a migration runs: what mote touches moves */
        vm_mark_dirty(vm, gpa - vm->mem_base, len);
    return vm->mem + (gpa - vm->mem_base);
}

void *gpa_wptr(const struct vm *vm, gpa_t gpa, uint64_t len)
{
    void *p = gpa_ptr(vm, gpa, len);

    if (!p || !len)
        return p;
    for (unsigned i = 0; i < vm->nro; i++) /* gpa + len cannot wrap here */
        if (gpa < vm->ro[i].hi && vm->ro[i].lo < gpa + len)
            return NULL;
    return p;
}

void *gpa_arg(const struct vm *vm, gpa_t gpa, uint64_t size)
{
    if (gpa & 7)
        return NULL;
    return gpa_wptr(vm, gpa, size);
}

void vm_mark_dirty(const struct vm *vm, uint64_t off, uint64_t len)
{
    for (uint64_t p = off / 4096; p <= (off + len - 1) / 4096; p++)
        __atomic_fetch_or(&vm->mdirty[p / 64], 1ULL << (p % 64),
                          __ATOMIC_RELAXED);
}
