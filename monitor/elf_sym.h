/* An image's function symbols, read from its ELF symbol table, by address. */
#ifndef MOTE_ELF_SYM_H
#define MOTE_ELF_SYM_H

#include <stddef.h>
#include <stdint.h>

#define SYM_MAX 65536   /* function symbols kept; the rest are dropped */
#define SYM_NAME_MAX 95 /* longer names are cut to this many bytes */

struct sym {
    uint64_t addr;
    uint32_t size; /* capped at 4 GiB - 1 */
    uint32_t name; /* offset of its NUL-terminated name in names */
};

struct sym_table {
    struct sym *sym; /* sorted by address */
    unsigned n;
    char *names;
};

/*
 * Read the function symbols (STT_FUNC, nonzero size) of the ELF file in
 * buf[0, len) into t. Every header field is hostile: an image without a
 * symbol table, or with a malformed one, gives an empty table, never an
 * error. Returns the number of symbols kept; t is always safe to use and
 * to free.
 */
unsigned sym_load(const uint8_t *buf, size_t len, struct sym_table *t);

void sym_free(struct sym_table *t);

/*
 * The function containing addr: 0 with its name and addr's offset into
 * it, or -1 when no symbol covers addr.
 */
int sym_lookup(const struct sym_table *t, uint64_t addr, const char **name,
               uint64_t *offset);

#endif
