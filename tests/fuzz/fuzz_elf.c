/* Fuzz target: ELF images (elf_parse, elf_parse_any, notes, manifests). */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../monitor/elf.h"
#include "../../monitor/err.h"
#include "../../monitor/manifest.h"
#include "fuzz.h"
#include "fuzz_ram.h"

#define LOAD_MAX (1u << 20) /* images this small are also loaded */

static void check_segs(const struct elf_image *img, size_t len)
{
    FUZZ_CHECK(img->nsegs >= 1 && img->nsegs <= ELF_MAX_SEGS);
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];

        FUZZ_CHECK(s->offset <= len && s->filesz <= len - s->offset);
        FUZZ_CHECK(s->filesz <= s->memsz && s->memsz > 0);
        FUZZ_CHECK(s->gpa + s->memsz > s->gpa); /* no wrap */
        FUZZ_CHECK(s->gpa >= img->lo && s->gpa + s->memsz <= img->hi);
        for (unsigned j = 0; j < i; j++) {
            const struct elf_seg *t = &img->seg[j];

            FUZZ_CHECK(s->gpa >= t->gpa + t->memsz ||
                       t->gpa >= s->gpa + s->memsz);
        }
    }
}

static void check_entry(const struct elf_image *img)
{
    int in_code = 0;

    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];

        in_code |= img->entry >= s->gpa && img->entry < s->gpa + s->memsz &&
                   (s->flags & PF_X);
    }
    FUZZ_CHECK(in_code);
    FUZZ_CHECK(img->boot.abi_version == MOTE_ABI_VERSION);
    FUZZ_CHECK((img->boot.requires & ~(uint32_t)MOTE_FEATURES) == 0);
}

static void check_manifest(const struct elf_image *img, size_t len)
{
    static struct devspec dev[MOTE_MAX_DEVICES];
    const struct elf_manifest *m = &img->manifest;
    uint64_t mem = 0;

    if (!img->has_manifest) {
        FUZZ_CHECK(m->ndev == 0);
        return;
    }
    FUZZ_CHECK(m->ndev <= MOTE_MAX_DEVICES);
    FUZZ_CHECK(m->offset <= len &&
               len - m->offset >=
                   sizeof(struct mote_manifest) + m->ndev * sizeof(m->dev[0]));
    for (unsigned i = 0; i < m->ndev; i++) {
        FUZZ_CHECK(memchr(m->dev[i].name, 0, sizeof(m->dev[i].name)));
        FUZZ_CHECK(m->dev[i].name[0] != '\0');
        FUZZ_CHECK(m->dev[i].kind == MOTE_DEV_BLOCK ||
                   m->dev[i].kind == MOTE_DEV_NET);
        for (unsigned j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(m->dev[i].name, m->dev[j].name) != 0);
    }
    /* Nothing attached: fine only for an image that declares nothing. */
    if (m->ndev)
        FUZZ_CHECK(manifest_check(img, NULL, 0, &mem, 0) == -EPERM);
    /* Everything attached as declared: fine unless the memory is odd. */
    for (unsigned i = 0; i < m->ndev; i++) {
        memset(&dev[i], 0, sizeof(dev[i]));
        dev[i].kind = m->dev[i].kind;
        dev[i].flags = MOTE_DEV_RO;
        strcpy(dev[i].name, m->dev[i].name);
    }
    FUZZ_CHECK((manifest_check(img, dev, m->ndev, &mem, 0) == 0) ==
               (m->mem_max % (2ULL << 20) == 0));
}

/* Load small images into a buffer of exactly their size (redzones around
 * it: fuzz_ram.h). */
static void load(const struct elf_image *img, const uint8_t *buf)
{
    uint8_t *mem;

    if (img->hi - img->lo > LOAD_MAX)
        return;
    FUZZ_CHECK(elf_check_fit(img, img->lo, img->hi) == 0);
    FUZZ_CHECK(elf_check_fit(img, img->lo, img->hi - 1) == -ENOMEM);
    mem = fuzz_ram_get(LOAD_MAX, img->hi - img->lo);
    elf_load(img, buf, mem, img->lo);
    fuzz_ram_put(mem);
}

static void parse(const uint8_t *buf, size_t len, uint16_t machine)
{
    struct elf_image img;
    int rc;

    err_clear();
    rc = elf_parse(buf, len, machine, &img);
    if (rc < 0) {
        FUZZ_CHECK(rc == -ENOEXEC);
        FUZZ_CHECK(strcmp(err_msg(), "unknown error") != 0);
        return;
    }
    FUZZ_CHECK(rc == 0);
    check_segs(&img, len);
    check_entry(&img);
    check_manifest(&img, len);
    load(&img, buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img, again;
    uint16_t m = 0;

    parse(data, size, EM_X86_64);
    parse(data, size, EM_AARCH64);
    if (elf_parse_any(data, size, &img, &m) == 0) {
        FUZZ_CHECK(m == EM_X86_64 || m == EM_AARCH64);
        FUZZ_CHECK(elf_parse(data, size, m, &again) == 0);
        FUZZ_CHECK(img.entry == again.entry && img.nsegs == again.nsegs);
        FUZZ_CHECK(img.lo == again.lo && img.hi == again.hi);
        FUZZ_CHECK(img.manifest.ndev == again.manifest.ndev);
    }
    return 0;
}
