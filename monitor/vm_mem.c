/* Guest RAM against the host's pages: pure helpers (no KVM, no /proc). */
#include "vm.h"

int vm_mem_huge(uint64_t mem_size, uint64_t hpage)
{
    if (hpage == 0) /* the host has no transparent huge pages */
        return 1;
    return mem_size / VM_HUGE_MIN >= hpage;
}

uint64_t vm_bits_widen(uint64_t *bits, const uint64_t *hbits, uint64_t npages,
                       uint64_t per)
{
    uint64_t n = 0;

    for (uint64_t p = 0; p < npages; p++) {
        uint64_t hp = p / per;

        if (hbits[hp / 64] >> (hp % 64) & 1) {
            bits[p / 64] |= 1ULL << (p % 64);
            n++;
        }
    }
    return n;
}
