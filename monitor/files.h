/* Bundled files in an image: finding and checking the blob. */
#ifndef MOTE_FILES_H
#define MOTE_FILES_H

#include <stdint.h>

#include "elf.h"

/*
 * Check the blob blob[0, size) against every rule of <mote/abi.h>'s
 * struct mote_files (bounds, path characters and components, duplicate
 * paths, a file standing where another file's directory is). 0 with
 * *count set, or -ENOEXEC with the reason in err_msg().
 */
int files_check(const uint8_t *blob, uint64_t size, uint32_t *count);

/* Point *blob at the image's files (img->files) inside buf: they must lie
 * in the file-backed bytes of a read-only segment. 0 or -ENOEXEC. */
int files_find(const struct elf_image *img, const uint8_t *buf,
               const uint8_t **blob);

#endif
