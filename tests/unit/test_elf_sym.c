/* Unit tests of reading function symbols from hostile images (elf_sym.c). */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../monitor/elf_sym.h"

/*
 * The test file: the ELF header, section headers [null, .symtab, .strtab,
 * .text] at SH_OFF, the string table at STR_OFF, the symbols at SYM_OFF.
 */
#define SH_OFF 0x40
#define NSH 4
#define STR_OFF 0x200
#define STR_MAX 0x200
#define SYM_OFF 0x400

struct img {
    Elf64_Ehdr eh;
    Elf64_Shdr sh[NSH];
    char str[STR_MAX];
    size_t strsz;
    Elf64_Sym *sym;
    size_t nsym, cap;
};

static void img_init(struct img *m)
{
    memset(m, 0, sizeof(*m));
    memcpy(m->eh.e_ident, ELFMAG, SELFMAG);
    m->eh.e_ident[EI_CLASS] = ELFCLASS64;
    m->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    m->eh.e_shoff = SH_OFF;
    m->eh.e_shentsize = sizeof(Elf64_Shdr);
    m->eh.e_shnum = NSH;
    m->strsz = 1; /* the empty name */
    m->sh[1] = (Elf64_Shdr){ .sh_type = SHT_SYMTAB,
                             .sh_offset = SYM_OFF,
                             .sh_link = 2,
                             .sh_entsize = sizeof(Elf64_Sym) };
    m->sh[2] = (Elf64_Shdr){ .sh_type = SHT_STRTAB, .sh_offset = STR_OFF };
    m->sh[3] = (Elf64_Shdr){ .sh_type = SHT_PROGBITS };
}

/* Add a symbol named name (NULL: name offset 0); returns its index. */
static size_t sym_add(struct img *m, const char *name, uint64_t addr,
                      uint64_t size, int type)
{
    Elf64_Sym s = { .st_info = ELF64_ST_INFO(STB_GLOBAL, type),
                    .st_shndx = 3,
                    .st_value = addr,
                    .st_size = size };

    if (name) {
        size_t l = strlen(name) + 1;

        assert_true(m->strsz + l <= STR_MAX);
        memcpy(m->str + m->strsz, name, l);
        s.st_name = (uint32_t)m->strsz;
        m->strsz += l;
    }
    if (m->nsym == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 16;
        m->sym = realloc(m->sym, m->cap * sizeof(*m->sym));
        assert_non_null(m->sym);
    }
    m->sym[m->nsym] = s;
    return m->nsym++;
}

/* Lay the image out in a new buffer of exactly its size. */
static uint8_t *img_write(struct img *m, size_t *len)
{
    uint8_t *buf;

    if (!m->sh[1].sh_size)
        m->sh[1].sh_size = m->nsym * sizeof(Elf64_Sym);
    if (!m->sh[2].sh_size)
        m->sh[2].sh_size = m->strsz;
    *len = SYM_OFF + m->nsym * sizeof(Elf64_Sym);
    buf = calloc(1, *len);
    assert_non_null(buf);
    memcpy(buf, &m->eh, sizeof(m->eh));
    memcpy(buf + SH_OFF, m->sh, sizeof(m->sh));
    memcpy(buf + STR_OFF, m->str, m->strsz);
    if (m->nsym)
        memcpy(buf + SYM_OFF, m->sym, m->nsym * sizeof(Elf64_Sym));
    return buf;
}

static unsigned load(struct img *m, struct sym_table *t)
{
    size_t len;
    uint8_t *buf = img_write(m, &len);
    unsigned n = sym_load(buf, len, t);

    free(buf);
    free(m->sym);
    m->sym = NULL;
    return n;
}

/* addr is in function name at offset off. */
static void expect_sym(const struct sym_table *t, uint64_t addr,
                       const char *name, uint64_t off)
{
    const char *got;
    uint64_t o;

    if (sym_lookup(t, addr, &got, &o) != 0)
        fail_msg("0x%llx: no symbol, want %s", (unsigned long long)addr, name);
    assert_string_equal(got, name);
    assert_int_equal(o, off);
}

static void expect_none(const struct sym_table *t, uint64_t addr)
{
    const char *got;
    uint64_t o;

    assert_int_equal(sym_lookup(t, addr, &got, &o), -1);
}

/* The common good image: three functions out of order, and the rest. */
static void img_good(struct img *m)
{
    img_init(m);
    sym_add(m, NULL, 0, 0, STT_NOTYPE); /* symbol 0 */
    sym_add(m, "main", 0x101000, 0x40, STT_FUNC);
    sym_add(m, "crash_here", 0x100800, 0x10, STT_FUNC);
    sym_add(m, "counter", 0x100900, 8, STT_OBJECT);
    sym_add(m, "empty", 0x100a00, 0, STT_FUNC);
    sym_add(m, "_start", 0x100000, 0x20, STT_FUNC);
    sym_add(m, "main_alias", 0x101000, 0x40, STT_FUNC);
    m->sym[sym_add(m, "undef", 0x100c00, 4, STT_FUNC)].st_shndx = SHN_UNDEF;
}

static void test_valid(void **state)
{
    struct sym_table t;
    struct img m;

    (void)state;
    img_good(&m);
    assert_int_equal(load(&m, &t), 3); /* main_alias folded into main */
    expect_sym(&t, 0x100000, "_start", 0);
    expect_sym(&t, 0x10001f, "_start", 0x1f);
    expect_none(&t, 0x100020);
    expect_sym(&t, 0x100804, "crash_here", 4);
    expect_none(&t, 0x100900); /* an object, not a function */
    expect_none(&t, 0x100a00); /* size 0 */
    expect_none(&t, 0x100c00); /* undefined */
    expect_sym(&t, 0x10103f, "main", 0x3f);
    expect_none(&t, 0x101040);
    expect_none(&t, 0xfffff);
    expect_none(&t, UINT64_MAX);
    sym_free(&t);
    sym_free(&t); /* twice is fine */
}

static void test_empty_table(void **state)
{
    struct sym_table t = { 0 };

    (void)state;
    expect_none(&t, 0);
    expect_none(&t, 0x100000);
    sym_free(&t);
}

/* Each of these leaves an image with no symbols, never a crash. */
static void expect_no_syms(struct img *m)
{
    struct sym_table t;

    assert_int_equal(load(m, &t), 0);
    assert_int_equal(t.n, 0);
    expect_none(&t, 0x101000);
    sym_free(&t);
}

static void test_no_sections(void **state)
{
    struct img m;

    (void)state;
    img_good(&m);
    m.eh.e_shnum = 0;
    expect_no_syms(&m);
    img_good(&m);
    memset(m.sh, 0, sizeof(m.sh)); /* no SHT_SYMTAB */
    expect_no_syms(&m);
}

static void test_bad_headers(void **state)
{
    struct img m;

    (void)state;
    img_good(&m);
    m.eh.e_shoff = UINT64_MAX - 8; /* past the end, and wraps */
    expect_no_syms(&m);
    img_good(&m);
    m.eh.e_shnum = 0xffff; /* the table runs past the end */
    expect_no_syms(&m);
    img_good(&m);
    m.eh.e_shentsize = 32;
    expect_no_syms(&m);
    img_good(&m);
    m.eh.e_ident[EI_CLASS] = ELFCLASS32;
    expect_no_syms(&m);
}

static void test_bad_link(void **state)
{
    struct img m;

    (void)state;
    img_good(&m);
    m.sh[1].sh_link = NSH; /* out of range */
    expect_no_syms(&m);
    img_good(&m);
    m.sh[1].sh_link = 0xffffffff;
    expect_no_syms(&m);
    img_good(&m);
    m.sh[1].sh_link = 3; /* not a string table */
    expect_no_syms(&m);
}

static void test_bad_offsets(void **state)
{
    struct img m;

    (void)state;
    img_good(&m);
    m.sh[1].sh_offset = UINT64_MAX - 16;
    expect_no_syms(&m);
    img_good(&m);
    m.sh[1].sh_size = UINT64_MAX - SYM_OFF + 24; /* offset + size wraps */
    expect_no_syms(&m);
    img_good(&m);
    m.sh[2].sh_offset = 1ULL << 40;
    expect_no_syms(&m);
    img_good(&m);
    m.sh[2].sh_size = UINT64_MAX;
    expect_no_syms(&m);
    img_good(&m);
    m.sh[1].sh_entsize = 16;
    expect_no_syms(&m);
}

/* Names past the table or without a NUL are dropped; long ones cut. */
static void test_bad_names(void **state)
{
    char long_name[200];
    struct sym_table t;
    struct img m;
    size_t i;

    (void)state;
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = 0;
    img_init(&m);
    m.sym = NULL;
    sym_add(&m, "ok", 0x1000, 0x10, STT_FUNC);
    i = sym_add(&m, "far", 0x2000, 0x10, STT_FUNC);
    m.sym[i].st_name = 0x7fffffff;
    sym_add(&m, long_name, 0x3000, 0x10, STT_FUNC);
    sym_add(&m, "bad\033[2Jname", 0x4000, 0x10, STT_FUNC);
    i = sym_add(&m, "cut", 0x5000, 0x10, STT_FUNC);
    m.sh[2].sh_size = m.strsz - 1; /* "cut" loses its NUL */
    assert_int_equal(load(&m, &t), 3);
    expect_sym(&t, 0x1000, "ok", 0);
    expect_none(&t, 0x2000);
    long_name[SYM_NAME_MAX] = 0;
    expect_sym(&t, 0x3001, long_name, 1);
    expect_sym(&t, 0x4000, "bad?[2Jname", 0);
    expect_none(&t, 0x5000);
    sym_free(&t);
}

/* More functions than SYM_MAX: the first SYM_MAX are kept. */
static void test_huge_count(void **state)
{
    struct sym_table t;
    struct img m;

    (void)state;
    img_init(&m);
    for (unsigned i = 0; i < SYM_MAX + 10; i++)
        sym_add(&m, i ? NULL : "f", 0x100000 + 16ULL * i, 16, STT_FUNC);
    for (unsigned i = 1; i < SYM_MAX + 10; i++)
        m.sym[i].st_name = 1; /* all named "f" */
    assert_int_equal(load(&m, &t), SYM_MAX);
    expect_sym(&t, 0x100000 + 16ULL * (SYM_MAX - 1) + 3, "f", 3);
    expect_none(&t, 0x100000 + 16ULL * SYM_MAX);
    sym_free(&t);
}

/* Every truncation of a good image reads only what is there. */
static void test_truncations(void **state)
{
    struct sym_table t;
    struct img m;
    size_t len;
    uint8_t *full;

    (void)state;
    img_good(&m);
    full = img_write(&m, &len);
    free(m.sym);
    for (size_t l = 0; l <= len; l++) {
        uint8_t *cut = malloc(l ? l : 1);

        assert_non_null(cut);
        memcpy(cut, full, l);
        assert_int_equal(sym_load(cut, l, &t), l == len ? 3 : 0);
        sym_free(&t);
        free(cut);
    }
    free(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),       cmocka_unit_test(test_empty_table),
        cmocka_unit_test(test_no_sections), cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_bad_link),    cmocka_unit_test(test_bad_offsets),
        cmocka_unit_test(test_bad_names),   cmocka_unit_test(test_huge_count),
        cmocka_unit_test(test_truncations),
    };

    return cmocka_run_group_tests_name("elf_sym", tests, NULL, NULL);
}
