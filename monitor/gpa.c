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
    return vm->mem + (gpa - vm->mem_base);
}

void *gpa_arg(const struct vm *vm, gpa_t gpa, uint64_t size)
{
    if (gpa & 7)
        return NULL;
    return gpa_ptr(vm, gpa, size);
}
