/* Reading an image's function symbols from its ELF section headers. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "elf_sym.h"

/* The symbol table and its string table, once found inside the file. */
struct symtab_loc {
    const uint8_t *syms;
    uint64_t nsyms;
    const char *str;
    uint64_t strsz;
};

/* [off, off + size) inside [0, len), without overflow. */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

/* Section header i of a file whose header table was checked. */
static void read_shdr(const uint8_t *buf, const Elf64_Ehdr *eh, unsigned i,
                      Elf64_Shdr *sh)
{
    memcpy(sh, buf + eh->e_shoff + (uint64_t)i * sizeof(*sh), sizeof(*sh));
}

static int read_ehdr(const uint8_t *buf, size_t len, Elf64_Ehdr *eh)
{
    if (len < sizeof(*eh) || memcmp(buf, ELFMAG, SELFMAG) != 0 ||
        buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
        return -1;
    memcpy(eh, buf, sizeof(*eh));
    if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
        !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), len))
        return -1;
    return 0;
}

/* Find the first SHT_SYMTAB and the string table it links to. */
static int find_tables(const uint8_t *buf, size_t len, struct symtab_loc *loc)
{
    Elf64_Ehdr eh;
    Elf64_Shdr sh, st;
    unsigned i;

    if (read_ehdr(buf, len, &eh) < 0)
        return -1;
    for (i = 0; i < eh.e_shnum; i++) {
        read_shdr(buf, &eh, i, &sh);
        if (sh.sh_type == SHT_SYMTAB)
            break;
    }
    if (i == eh.e_shnum || sh.sh_link >= eh.e_shnum ||
        sh.sh_entsize != sizeof(Elf64_Sym) ||
        !in_file(sh.sh_offset, sh.sh_size, len))
        return -1;
    read_shdr(buf, &eh, sh.sh_link, &st);
    if (st.sh_type != SHT_STRTAB || !in_file(st.sh_offset, st.sh_size, len))
        return -1;
    loc->syms = buf + sh.sh_offset;
    loc->nsyms = sh.sh_size / sizeof(Elf64_Sym);
    loc->str = (const char *)buf + st.sh_offset;
    loc->strsz = st.sh_size;
    return 0;
}

/*
 * The length of the name at off, at most SYM_NAME_MAX, or 0 when it is
 * empty or ends without a NUL inside the table. At most SYM_NAME_MAX + 1
 * bytes are looked at, so hostile tables cost no more than real ones.
 */
static size_t name_len(const struct symtab_loc *loc, uint32_t off)
{
    uint64_t room;
    const char *p, *nul;

    if (off >= loc->strsz)
        return 0;
    p = loc->str + off;
    room = loc->strsz - off;
    nul = memchr(p, 0, room < SYM_NAME_MAX + 1 ? room : SYM_NAME_MAX + 1);
    if (nul)
        return (size_t)(nul - p);
    return room > SYM_NAME_MAX ? SYM_NAME_MAX : 0;
}

/* Symbol i if it is a defined function with a size and a name: its length. */
static size_t func_sym(const struct symtab_loc *loc, uint64_t i, Elf64_Sym *s)
{
    memcpy(s, loc->syms + i * sizeof(*s), sizeof(*s));
    if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_size == 0 ||
        s->st_shndx == SHN_UNDEF)
        return 0;
    return name_len(loc, s->st_name);
}

/* Copy a name, turning anything but printable ASCII into '?'. */
static void copy_name(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i] > 0x20 && src[i] < 0x7f ? src[i] : '?';
    dst[n] = 0;
}

/* Pass one: how many symbols to keep and the room their names need. */
static unsigned count(const struct symtab_loc *loc, size_t *names)
{
    unsigned n = 0;
    Elf64_Sym s;

    *names = 0;
    for (uint64_t i = 0; i < loc->nsyms && n < SYM_MAX; i++) {
        size_t l = func_sym(loc, i, &s);

        if (l) {
            n++;
            *names += l + 1;
        }
    }
    return n;
}

/* Pass two: fill t, which has room for max symbols. */
static void fill(const struct symtab_loc *loc, struct sym_table *t,
                 unsigned max)
{
    uint32_t at = 0;
    Elf64_Sym s;

    for (uint64_t i = 0; i < loc->nsyms && t->n < max; i++) {
        size_t l = func_sym(loc, i, &s);

        if (!l)
            continue;
        copy_name(t->names + at, loc->str + s.st_name, l);
        t->sym[t->n++] = (struct sym){
            s.st_value,
            s.st_size > UINT32_MAX ? UINT32_MAX : (uint32_t)s.st_size, at
        };
        at += (uint32_t)l + 1;
    }
}

static int by_addr(const void *a, const void *b)
{
    const struct sym *x = a, *y = b;

    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->name < y->name ? -1 : x->name > y->name;
}

/* Keep one symbol per address (the first of the file's aliases). */
static void dedup(struct sym_table *t)
{
    unsigned n = 0;

    for (unsigned i = 0; i < t->n; i++)
        if (n == 0 || t->sym[i].addr != t->sym[n - 1].addr)
            t->sym[n++] = t->sym[i];
    t->n = n;
}

unsigned sym_load(const uint8_t *buf, size_t len, struct sym_table *t)
{
    struct symtab_loc loc;
    size_t names;
    unsigned n;

    memset(t, 0, sizeof(*t));
    if (find_tables(buf, len, &loc) < 0 || (n = count(&loc, &names)) == 0)
        return 0;
    t->sym = malloc(n * sizeof(*t->sym));
    t->names = malloc(names);
    if (!t->sym || !t->names) {
        sym_free(t);
        return 0;
    }
    fill(&loc, t, n);
    qsort(t->sym, t->n, sizeof(*t->sym), by_addr);
    dedup(t);
    return t->n;
}

void sym_free(struct sym_table *t)
{
    free(t->sym);
    free(t->names);
    memset(t, 0, sizeof(*t));
}

int sym_lookup(const struct sym_table *t, uint64_t addr, const char **name,
               uint64_t *offset)
{
    unsigned lo = 0, hi = t->n; /* the answer is below hi */
    const struct sym *s;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        if (t->sym[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    s = &t->sym[lo - 1];
    if (addr - s->addr >= s->size)
        return -1;
    *name = t->names + s->name;
    *offset = addr - s->addr;
    return 0;
}
