/* Fuzz target: symbol tables of hostile images (sym_load, sym_lookup) and
 * frame-pointer walks over hostile guest memory (bt_walk, bt_format). */
#include <stdint.h>
#include <string.h>

#include "../../monitor/backtrace.h"
#include "../../monitor/elf_sym.h"
#include "fuzz.h"

static void check_table(const struct sym_table *t)
{
    FUZZ_CHECK(t->n <= SYM_MAX);
    FUZZ_CHECK((t->n == 0) == (t->sym == NULL));
    for (unsigned i = 0; i < t->n; i++) {
        const struct sym *s = &t->sym[i];
        const char *name = t->names + s->name, *got;
        size_t l = strlen(name);
        uint64_t off;

        FUZZ_CHECK(l >= 1 && l <= SYM_NAME_MAX);
        for (size_t k = 0; k < l; k++)
            FUZZ_CHECK(name[k] > 0x20 && name[k] < 0x7f);
        FUZZ_CHECK(s->size > 0);
        FUZZ_CHECK(i == 0 || t->sym[i - 1].addr < s->addr);
        FUZZ_CHECK(sym_lookup(t, s->addr, &got, &off) == 0);
        FUZZ_CHECK(got == name && off == 0);
    }
}

/* The input as guest memory at BASE, read 8 bytes at a time. */
#define BASE 0x100000ULL

struct mem {
    const uint8_t *p;
    size_t len;
    unsigned reads;
};

static int read_mem(void *ctx, uint64_t addr, uint64_t *v)
{
    struct mem *m = ctx;

    m->reads++;
    if (addr < BASE || addr - BASE > m->len || m->len - (addr - BASE) < 8)
        return -1;
    memcpy(v, m->p + (addr - BASE), 8);
    return 0;
}

static void walk(const uint8_t *data, size_t size, const struct sym_table *t)
{
    struct mem m = { data, size, 0 };
    struct backtrace bt;
    uint64_t fp = BASE;
    char line[160];

    if (size >= 8)
        memcpy(&fp, data, 8); /* the first word is the starting fp */
    bt_walk(&bt, BASE, fp, read_mem, &m);
    FUZZ_CHECK(bt.n >= 1 && bt.n <= BT_MAX && m.reads <= 2 * BT_MAX);
    bt.leaf_ret = fp;
    bt_resolve(&bt, t);
    FUZZ_CHECK(bt.n >= 1 && bt.n <= BT_MAX);
    for (unsigned i = 0; i < bt.n; i++) {
        bt_format(&bt, i, t, line, sizeof(line));
        FUZZ_CHECK(line[0] == '#');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sym_table t;

    sym_load(data, size, &t);
    check_table(&t);
    walk(data, size, &t);
    sym_free(&t);
    return 0;
}
