/* Bundled files: the blob an image carries (struct mote_files), checked as
 * hostile input when the image is parsed. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "elf.h"
#include "err.h"
#include "files.h"

static int in_range(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* A path as <mote/abi.h> allows: components of the allowed characters,
 * none empty, "." or "..", joined by single slashes. */
static int path_ok(const char *p, size_t len)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                             "vwxyz0123456789._+,=@-/";
    const char *c = p;

    if (len == 0 || len > MOTE_FILE_PATH_MAX || strspn(p, ok) != len)
        return 0;
    for (;;) {
        size_t n = strcspn(c, "/");

        if (n == 0 || (n == 1 && c[0] == '.') ||
            (n == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        if (!c[n])
            return 1;
        c += n + 1;
    }
}

/* Is a the same path as b, or one of b's directories (or the reverse)? */
static int clash(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

    if (memcmp(a, b, n))
        return 0;
    return la == lb || (la < lb ? b[la] : a[lb]) == '/';
}

static int check_entry(const uint8_t *blob, uint64_t size,
                       const struct mote_file_entry *e, uint32_t i,
                       const char **name)
{
    const uint8_t *nul;

    if (e->name >= size ||
        !(nul = memchr(blob + e->name, 0, (size_t)(size - e->name))))
        return err_set(ENOEXEC, "bundled file %u: name outside the files", i);
    *name = (const char *)blob + e->name;
    if (!path_ok(*name, (size_t)(nul - (blob + e->name))))
        return err_set(ENOEXEC, "bundled file %u: name not allowed", i);
    if (!in_range(e->data, e->size, size))
        return err_set(ENOEXEC, "bundled file %u: contents outside the files",
                       i);
    return 0;
}

int files_check(const uint8_t *blob, uint64_t size, uint32_t *count)
{
    static const char *names[MOTE_FILES_MAX];
    struct mote_files h;
    int rc;

    if (size < sizeof(h))
        return err_set(ENOEXEC, "bundled files: truncated header");
    memcpy(&h, blob, sizeof(h));
    if (h.magic != MOTE_FILES_MAGIC || h.version != MOTE_FILES_VERSION ||
        h.reserved)
        return err_set(ENOEXEC, "bundled files: unknown format");
    if (h.count > MOTE_FILES_MAX ||
        !in_range(sizeof(h), (uint64_t)h.count * sizeof(h.entry[0]), size))
        return err_set(ENOEXEC, "bundled files: %u entries do not fit",
                       h.count);
    for (uint32_t i = 0; i < h.count; i++) {
        struct mote_file_entry e;

        memcpy(&e, blob + sizeof(h) + i * sizeof(e), sizeof(e));
        if ((rc = check_entry(blob, size, &e, i, &names[i])) < 0)
            return rc;
        for (uint32_t j = 0; j < i; j++)
            if (clash(names[i], names[j]))
                return err_set(ENOEXEC,
                               "bundled files %u and %u: the same path, or "
                               "a file where a directory is",
                               j, i);
    }
    *count = h.count;
    return 0;
}

int files_find(const struct elf_image *img, const uint8_t *buf,
               const uint8_t **blob)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];

        if (img->files.addr >= s->gpa &&
            in_range(img->files.addr - s->gpa, img->files.size, s->filesz) &&
            !(s->flags & PF_W)) {
            *blob = buf + s->offset + (img->files.addr - s->gpa);
            return 0;
        }
    }
    return err_set(ENOEXEC,
                   "bundled files at 0x%llx (%llu bytes) are not inside a "
                   "read-only loaded segment",
                   (unsigned long long)img->files.addr,
                   (unsigned long long)img->files.size);
}
