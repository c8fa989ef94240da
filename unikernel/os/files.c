/* The files bundled into the image, added to the tree at boot. The monitor
 * checked the blob when it loaded the image; the bounds are checked again
 * here, so a blob from anywhere else cannot send the guest astray. */
#include <errno.h>
#include <mote.h>
#include <string.h>

#include "os.h"

/* The blob, between these symbols of the linker script (empty: none). */
extern const unsigned char __mote_files_start[], __mote_files_end[];

static int in_blob(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

int files_load(void)
{
    const struct mote_files *h = (const void *)__mote_files_start;
    uint64_t size = (uint64_t)(__mote_files_end - __mote_files_start);
    const unsigned char *b = __mote_files_start;

    if (size == 0)
        return 0;
    if (size < sizeof(*h) || h->magic != MOTE_FILES_MAGIC ||
        h->version != MOTE_FILES_VERSION || h->count > MOTE_FILES_MAX ||
        !in_blob(sizeof(*h), h->count * sizeof(h->entry[0]), size))
        return -ENOEXEC;
    for (uint32_t i = 0; i < h->count; i++) {
        const struct mote_file_entry *e = &h->entry[i];
        int rc;

        if (!in_blob(e->data, e->size, size) || e->name >= size ||
            !memchr(b + e->name, 0, (size_t)(size - e->name)))
            return -ENOEXEC;
        if ((rc = vfs_add_rom((const char *)b + e->name, b + e->data,
                              e->size)) < 0)
            return rc;
    }
    return 0;
}
