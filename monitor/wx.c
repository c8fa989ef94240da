/* W^X: guest page rights from the image's segments. */
#include <elf.h>
#include <errno.h>

#include "elf.h"
#include "err.h"
#include "wx.h"

static unsigned seg_rights(const struct elf_seg *s)
{
    return (s->flags & PF_W ? WX_W : 0) | (s->flags & PF_X ? WX_X : 0);
}

/* The pages a segment touches: [*lo, *hi). elf_parse bounds gpa + memsz
 * far below 2^64, so the rounding cannot wrap. */
static void seg_pages(const struct elf_seg *s, gpa_t *lo, gpa_t *hi)
{
    *lo = s->gpa & ~(WX_PAGE - 1);
    *hi = (s->gpa + s->memsz + WX_PAGE - 1) & ~(WX_PAGE - 1);
}

int wx_check(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        gpa_t alo, ahi;

        if (seg_rights(&img->seg[i]) == (WX_W | WX_X))
            return err_set(ENOEXEC, "segment %u is writable and executable", i);
        seg_pages(&img->seg[i], &alo, &ahi);
        for (unsigned j = i + 1; j < img->nsegs; j++) {
            gpa_t blo, bhi;

            seg_pages(&img->seg[j], &blo, &bhi);
            if (alo < bhi && blo < ahi &&
                seg_rights(&img->seg[i]) != seg_rights(&img->seg[j]))
                return err_set(ENOEXEC,
                               "segments %u and %u share a page but not "
                               "their rights (W^X needs them 4 KiB apart)",
                               i, j);
        }
    }
    return 0;
}

int wx_rights(const struct elf_image *img, gpa_t lo, gpa_t hi, unsigned *rights)
{
    unsigned r = WX_W;

    for (unsigned i = 0; i < img->nsegs; i++) {
        unsigned sr = seg_rights(&img->seg[i]);
        gpa_t slo, shi;

        if (sr == WX_W) /* as the pages around it */
            continue;
        seg_pages(&img->seg[i], &slo, &shi);
        if (shi <= lo || slo >= hi)
            continue;
        if (slo > lo || shi < hi)
            return 0; /* the range is only partly this segment's */
        r = sr;
    }
    *rights = r;
    return 1;
}

int wx_protect(struct vm *vm, const struct elf_image *img)
{
    vm->nro = 0;
    for (unsigned i = 0; i < img->nsegs; i++) {
        if (seg_rights(&img->seg[i]) & WX_W)
            continue;
        if (vm->nro == VM_RO_MAX)
            return err_set(E2BIG, "too many read-only segments");
        seg_pages(&img->seg[i], &vm->ro[vm->nro].lo, &vm->ro[vm->nro].hi);
        vm->nro++;
    }
    return 0;
}
