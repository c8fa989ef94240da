/* Guest page rights from the image's segments (W^X): what the arch's page
 * tables map and what the monitor may write for a hypercall. */
#ifndef MOTE_WX_H
#define MOTE_WX_H

#include <stdint.h>

#include "vm.h"

struct elf_image;

#define WX_PAGE 4096ULL
#define WX_W 1u /* guest code may write */
#define WX_X 2u /* guest code may execute */

/*
 * Refuse an image that would need a page both writable and executable: a
 * segment flagged PF_W and PF_X, or two segments of different rights that
 * share a page. 0 or -ENOEXEC with a message.
 */
int wx_check(const struct elf_image *img);

/*
 * The rights of guest pages [lo, hi) (page-aligned): an image segment's
 * (PF_W, PF_X), and outside every segment (heap, boot info) WX_W. Returns
 * 1 and sets *rights when every page of the range has the same rights, 0
 * when they differ (a page table then needs finer entries there).
 */
int wx_rights(const struct elf_image *img, gpa_t lo, gpa_t hi,
              unsigned *rights);

/* Record the image's read-only pages in vm (vm->ro): hypercalls may not
 * write there (gpa_wptr()). -E2BIG if there are too many ranges. */
int wx_protect(struct vm *vm, const struct elf_image *img);

#endif
