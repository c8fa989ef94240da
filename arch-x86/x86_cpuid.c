/* x86_64: looking up KVM's supported CPUID table by leaf, not position. */
#include <stddef.h>
#include <linux/kvm.h>

#include "x86.h"

#define CPUID1_ECX_XSAVE (1u << 26)
#define XCR0_MASK 0x7ULL /* x87, SSE, AVX */

const struct kvm_cpuid_entry2 *x86_cpuid_find(const struct kvm_cpuid2 *c,
                                              uint32_t function, uint32_t index)
{
    for (uint32_t i = 0; i < c->nent; i++) {
        const struct kvm_cpuid_entry2 *e = &c->entries[i];

        if (e->function == function &&
            (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
             e->index == index))
            return e;
    }
    return NULL;
}

uint64_t x86_cpuid_xcr0(const struct kvm_cpuid2 *c)
{
    const struct kvm_cpuid_entry2 *f1 = x86_cpuid_find(c, 1, 0);
    const struct kvm_cpuid_entry2 *xsave = x86_cpuid_find(c, 0xd, 0);

    if (!f1 || !(f1->ecx & CPUID1_ECX_XSAVE) || !xsave)
        return 0;
    return xsave->eax & XCR0_MASK;
}
