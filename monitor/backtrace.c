/* Crash backtraces: walking a guest's frame-pointer chain, naming frames. */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "backtrace.h"
#include "elf_sym.h"
#include "vm.h"

void bt_walk(struct backtrace *bt, uint64_t pc, uint64_t fp, bt_read_fn read,
             void *ctx)
{
    bt->n = 0;
    bt->leaf_ret = 0;
    bt->pc[bt->n++] = pc;
    while (bt->n < BT_MAX && fp && !(fp & 7) && fp <= UINT64_MAX - 16) {
        uint64_t next, ret;

        if (read(ctx, fp, &next) < 0 || read(ctx, fp + 8, &ret) < 0 || !ret)
            break;
        bt->pc[bt->n++] = ret;
        if (next <= fp)
            break;
        fp = next;
    }
}

static int read_guest(void *ctx, uint64_t addr, uint64_t *v)
{
    const uint8_t *p = gpa_ptr(ctx, addr, sizeof(*v));

    if (!p)
        return -1;
    memcpy(v, p, sizeof(*v));
    return 0;
}

void bt_capture(struct vm *vm, struct backtrace *bt, const struct bt_regs *r)
{
    struct bt_regs own;
    uint64_t ret;

    bt->n = 0;
    bt->leaf_ret = 0;
    if (!r && arch_frame(vm, &own) < 0)
        return;
    if (!r)
        r = &own;
    bt_walk(bt, r->pc, r->fp, read_guest, vm);
    if (arch_leaf_ret(vm, r, &ret) == 0)
        bt->leaf_ret = ret;
}

/* The start of the function holding addr, or 0 when no symbol covers it. */
static uint64_t func_of(const struct sym_table *syms, uint64_t addr)
{
    const char *name;
    uint64_t off;

    return sym_lookup(syms, addr, &name, &off) == 0 ? addr - off : 0;
}

void bt_resolve(struct backtrace *bt, const struct sym_table *syms)
{
    uint64_t f = func_of(syms, bt->leaf_ret - 1);

    if (!bt->leaf_ret || bt->n == 0 || !f || f == func_of(syms, bt->pc[0]) ||
        (bt->n > 1 && bt->pc[1] == bt->leaf_ret))
        return;
    if (bt->n == BT_MAX)
        bt->n--;
    memmove(&bt->pc[2], &bt->pc[1], (bt->n - 1) * sizeof(bt->pc[0]));
    bt->pc[1] = bt->leaf_ret;
    bt->n++;
    bt->leaf_ret = 0;
}

void bt_format(const struct backtrace *bt, unsigned i,
               const struct sym_table *syms, char *buf, size_t size)
{
    uint64_t pc = bt->pc[i], at = i && pc ? pc - 1 : pc, off;
    const char *name;

    if (syms && sym_lookup(syms, at, &name, &off) == 0)
        snprintf(buf, size, "#%u 0x%llx %s+0x%llx", i, (unsigned long long)pc,
                 name, (unsigned long long)(off + (pc - at)));
    else
        snprintf(buf, size, "#%u 0x%llx", i, (unsigned long long)pc);
}
