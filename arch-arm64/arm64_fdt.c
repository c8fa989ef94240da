/* aarch64: the guest's device tree, built with libfdt into a buffer. */
#include <errno.h>
#include <stdio.h>
#include <libfdt.h>

#include "arm64.h"

/* Architected timer PPIs: secure phys, non-secure phys, virtual, hyp. */
#define GIC_PPI 1
#define IRQ_LEVEL_LOW 0x8
static const uint32_t timer_irqs[] = { 13, 14, 11, 10 };

static int reg(void *fdt, uint64_t base, uint64_t size)
{
    fdt64_t r[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

    return fdt_property(fdt, "reg", r, sizeof(r));
}

static int root_props(void *fdt, const struct arm64_fdt_params *p)
{
    int rc;

    if ((rc = fdt_property_string(fdt, "model", p->model)) ||
        (rc = fdt_property_string(fdt, "compatible", p->compatible)) ||
        (rc = fdt_property_u32(fdt, "#address-cells", 2)) ||
        (rc = fdt_property_u32(fdt, "#size-cells", 2)))
        return rc;
    return 0;
}

static int chosen(void *fdt, const struct arm64_fdt_params *p)
{
    int rc;

    if ((rc = fdt_begin_node(fdt, "chosen")) ||
        (rc = fdt_property_string(fdt, "bootargs", p->bootargs)) ||
        (rc = fdt_property_u64(fdt, "mote,bootinfo", p->bootinfo)))
        return rc;
    return fdt_end_node(fdt);
}

static int memory(void *fdt, const struct arm64_fdt_params *p)
{
    char name[32];
    int rc;

    snprintf(name, sizeof(name), "memory@%llx",
             (unsigned long long)p->mem_base);
    if ((rc = fdt_begin_node(fdt, name)) ||
        (rc = fdt_property_string(fdt, "device_type", "memory")) ||
        (rc = reg(fdt, p->mem_base, p->mem_size)))
        return rc;
    return fdt_end_node(fdt);
}

static int cpus(void *fdt)
{
    int rc;

    if ((rc = fdt_begin_node(fdt, "cpus")) ||
        (rc = fdt_property_u32(fdt, "#address-cells", 1)) ||
        (rc = fdt_property_u32(fdt, "#size-cells", 0)) ||
        (rc = fdt_begin_node(fdt, "cpu@0")) ||
        (rc = fdt_property_string(fdt, "device_type", "cpu")) ||
        (rc = fdt_property_string(fdt, "compatible", "arm,armv8")) ||
        (rc = fdt_property_u32(fdt, "reg", 0)) || (rc = fdt_end_node(fdt)))
        return rc;
    return fdt_end_node(fdt);
}

static int timer(void *fdt, const struct arm64_fdt_params *p)
{
    fdt32_t irq[3 * 4];
    int rc;

    for (unsigned i = 0; i < 4; i++) {
        irq[3 * i] = cpu_to_fdt32(GIC_PPI);
        irq[3 * i + 1] = cpu_to_fdt32(timer_irqs[i]);
        irq[3 * i + 2] = cpu_to_fdt32(IRQ_LEVEL_LOW);
    }
    if ((rc = fdt_begin_node(fdt, "timer")) ||
        (rc = fdt_property_string(fdt, "compatible", "arm,armv8-timer")) ||
        (rc = fdt_property(fdt, "interrupts", irq, sizeof(irq))) ||
        (rc = fdt_property(fdt, "always-on", NULL, 0)))
        return rc;
    if (p->counter_freq && (rc = fdt_property_u32(fdt, "clock-frequency",
                                                  (uint32_t)p->counter_freq)))
        return rc;
    return fdt_end_node(fdt);
}

static int hypercall(void *fdt, const struct arm64_fdt_params *p)
{
    char name[32];
    int rc;

    snprintf(name, sizeof(name), "hypercall@%llx",
             (unsigned long long)p->hc_base);
    if ((rc = fdt_begin_node(fdt, name)) ||
        (rc = fdt_property_string(fdt, "compatible", "mote,hypercall")) ||
        (rc = reg(fdt, p->hc_base, p->hc_size)) ||
        (rc = fdt_property_u32(fdt, "mote,abi-version", MOTE_ABI_VERSION)))
        return rc;
    return fdt_end_node(fdt);
}

static int build(void *fdt, size_t size, const struct arm64_fdt_params *p)
{
    int rc;

    if ((rc = fdt_create(fdt, (int)size)) ||
        (rc = fdt_finish_reservemap(fdt)) || (rc = fdt_begin_node(fdt, "")) ||
        (rc = root_props(fdt, p)) || (rc = chosen(fdt, p)) ||
        (rc = memory(fdt, p)) || (rc = cpus(fdt)) || (rc = timer(fdt, p)) ||
        (rc = hypercall(fdt, p)) || (rc = fdt_end_node(fdt)) ||
        (rc = fdt_finish(fdt)))
        return rc;
    return 0;
}

int arm64_fdt_build(void *buf, size_t size, const struct arm64_fdt_params *p)
{
    size_t try = ARM64_FDT_FIRST < size ? ARM64_FDT_FIRST : size;
    int rc;

    if (size > INT32_MAX)
        return -EINVAL;
    /* fdt_create() zeroes all the room it is given: give it little first,
     * so that a guest's device tree costs it a few pages, not all of buf */
    while ((rc = build(buf, try, p)) == -FDT_ERR_NOSPACE && try < size)
        try = try < size / 2 ? try * 2 : size;
    if (rc == -FDT_ERR_NOSPACE)
        return -ENOSPC;
    return rc ? -EINVAL : 0;
}
