/* Parsing and loading unikernel ELF images from a buffer in monitor memory. */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "elf.h"
#include "devkind.h"
#include "devspec.h"
#include "err.h"
#include "files.h"
#include "wx.h"

/* Largest memsz any segment may claim: far above any real guest. */
#define ELF_SEG_MAX (1ULL << 40)

const char *elf_machine_name(uint16_t machine)
{
    switch (machine) {
    case EM_X86_64: return "x86_64";
    case EM_AARCH64: return "aarch64";
    case EM_386: return "i386";
    case EM_ARM: return "arm";
    case EM_RISCV: return "riscv";
    default: return "unknown";
    }
}

/* [off, off + size) inside [0, len), without overflow. */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static int check_ident(const uint8_t *buf, size_t len)
{
    if (len < 4 || memcmp(buf, ELFMAG, SELFMAG) != 0)
        return err_set(ENOEXEC, "not an ELF file");
    if (len < sizeof(Elf64_Ehdr))
        return err_set(ENOEXEC, "truncated ELF header (%zu bytes)", len);
    if (buf[EI_CLASS] != ELFCLASS64)
        return err_set(ENOEXEC, "not a 64-bit ELF (class %u)", buf[EI_CLASS]);
    if (buf[EI_DATA] != ELFDATA2LSB)
        return err_set(ENOEXEC, "not a little-endian ELF");
    if (buf[EI_VERSION] != EV_CURRENT)
        return err_set(ENOEXEC, "bad ELF version %u", buf[EI_VERSION]);
    return 0;
}

static int check_ehdr(const Elf64_Ehdr *eh, size_t len, uint16_t machine)
{
    if (eh->e_machine != machine)
        return err_set(ENOEXEC, "image is for %s, this mote runs %s guests",
                       elf_machine_name(eh->e_machine),
                       elf_machine_name(machine));
    if (eh->e_type != ET_EXEC)
        return err_set(ENOEXEC, "not a static executable (ELF type %u)",
                       eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return err_set(ENOEXEC, "bad program header size %u", eh->e_phentsize);
    if (eh->e_phnum == 0)
        return err_set(ENOEXEC, "no program headers");
    if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len))
        return err_set(ENOEXEC, "truncated ELF: program headers past the "
                                "end of the file");
    return 0;
}

static int add_seg(struct elf_image *img, const Elf64_Phdr *ph, size_t len)
{
    unsigned i = img->nsegs;
    struct elf_seg *s = &img->seg[i];

    if (i == ELF_MAX_SEGS)
        return err_set(ENOEXEC, "too many loadable segments (over %d)",
                       ELF_MAX_SEGS);
    if (ph->p_memsz > ELF_SEG_MAX || ph->p_vaddr > ELF_SEG_MAX)
        return err_set(ENOEXEC,
                       "segment %u: impossible address or size "
                       "(vaddr 0x%llx, memsz 0x%llx)",
                       i, (unsigned long long)ph->p_vaddr,
                       (unsigned long long)ph->p_memsz);
    if (ph->p_filesz > ph->p_memsz)
        return err_set(ENOEXEC, "segment %u: file size exceeds memory size", i);
    if (!in_file(ph->p_offset, ph->p_filesz, len))
        return err_set(ENOEXEC,
                       "truncated ELF: segment %u lies past the "
                       "end of the file",
                       i);
    *s = (struct elf_seg){ ph->p_offset, ph->p_filesz, ph->p_vaddr, ph->p_memsz,
                           ph->p_flags };
    img->nsegs++;
    return 0;
}

static int check_overlap(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *a = &img->seg[i];

        for (unsigned j = i + 1; j < img->nsegs; j++) {
            const struct elf_seg *b = &img->seg[j];

            if (a->gpa < b->gpa + b->memsz && b->gpa < a->gpa + a->memsz)
                return err_set(ENOEXEC, "segments %u and %u overlap", i, j);
        }
    }
    return 0;
}

static int is_mote(const uint8_t *name, const Elf64_Nhdr *nh)
{
    return nh->n_namesz == sizeof(MOTE_NOTE_NAME) &&
           memcmp(name, MOTE_NOTE_NAME, sizeof(MOTE_NOTE_NAME)) == 0;
}

static int check_manifest_dev(const struct mote_manifest_dev *d, unsigned i)
{
    const struct dev_kind *k = dev_kind_by_id(d->kind);
    size_t n;

    if (!k)
        return err_set(ENOEXEC, "manifest device %u: unknown kind %u", i,
                       d->kind);
    if (d->flags & ~k->manifest_flags)
        return err_set(ENOEXEC, "manifest device %u: unknown flags", i);
    n = strnlen(d->name, sizeof(d->name));
    if (n == sizeof(d->name) || !devspec_name_ok(d->name, n))
        return err_set(ENOEXEC,
                       "manifest device %u: bad name (want 1 to 31 "
                       "of A-Z a-z 0-9 - _ .)",
                       i);
    while (++n < sizeof(d->name)) /* one form only: zeros after the end */
        if (d->name[n])
            return err_set(ENOEXEC,
                           "manifest device %u: bad name (bytes after "
                           "its end)",
                           i);
    return 0;
}

static int read_manifest(const uint8_t *p, uint32_t size, struct elf_image *img,
                         uint64_t offset)
{
    struct elf_manifest *em = &img->manifest;
    struct mote_manifest m;
    int rc;

    if (img->has_manifest)
        return err_set(ENOEXEC, "two manifest notes");
    if (size < sizeof(m))
        return err_set(ENOEXEC, "malformed manifest note");
    memcpy(&m, p, sizeof(m));
    if (m.version != MOTE_MANIFEST_VERSION)
        return err_set(ENOEXEC,
                       "manifest version %u, this mote reads "
                       "version %u",
                       m.version, MOTE_MANIFEST_VERSION);
    if (m.ndevices > MOTE_MAX_DEVICES ||
        size != sizeof(m) + m.ndevices * sizeof(em->dev[0]))
        return err_set(ENOEXEC, "malformed manifest note (%u devices)",
                       m.ndevices);
    em->offset = offset;
    em->mem_max = m.mem_max;
    em->ndev = m.ndevices;
    memcpy(em->dev, p + sizeof(m), em->ndev * sizeof(em->dev[0]));
    for (unsigned i = 0; i < em->ndev; i++) {
        if ((rc = check_manifest_dev(&em->dev[i], i)) < 0)
            return rc;
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(em->dev[i].name, em->dev[j].name))
                return err_set(ENOEXEC, "manifest names device '%s' twice",
                               em->dev[i].name);
    }
    img->has_manifest = 1;
    return 0;
}

/* One mote note: the boot note (sets *boot_found) or the manifest. */
static int read_note(const Elf64_Nhdr *nh, const uint8_t *desc,
                     struct elf_image *img, int *boot_found, uint64_t off)
{
    if (nh->n_type == MOTE_NOTE_MANIFEST)
        return read_manifest(desc, nh->n_descsz, img, off);
    if (nh->n_type == MOTE_NOTE_FILES) {
        if (img->has_files || nh->n_descsz != sizeof(img->files))
            return err_set(ENOEXEC, "malformed or second mote files note");
        memcpy(&img->files, desc, sizeof(img->files));
        img->has_files = 1;
        return 0;
    }
    if (nh->n_type != MOTE_NOTE_BOOT)
        return 0;
    if (*boot_found)
        return err_set(ENOEXEC, "two mote boot notes");
    if (nh->n_descsz != sizeof(img->boot))
        return err_set(ENOEXEC, "malformed mote boot note");
    memcpy(&img->boot, desc, sizeof(img->boot));
    *boot_found = 1;
    return 0;
}

/* Read the mote notes of one PT_NOTE segment. */
static int scan_notes(const uint8_t *file, uint64_t off, uint64_t size,
                      struct elf_image *img, int *boot_found)
{
    const uint8_t *p = file + off;

    while (size >= sizeof(Elf64_Nhdr)) {
        Elf64_Nhdr nh;
        uint64_t name_len, desc_len;
        int rc;

        memcpy(&nh, p, sizeof(nh));
        name_len = ((uint64_t)nh.n_namesz + 3) & ~3ULL;
        desc_len = ((uint64_t)nh.n_descsz + 3) & ~3ULL;
        p += sizeof(nh);
        size -= sizeof(nh);
        if (name_len > size || desc_len > size - name_len)
            return err_set(ENOEXEC, "malformed ELF note");
        if (is_mote(p, &nh) &&
            (rc = read_note(&nh, p + name_len, img, boot_found,
                            (uint64_t)(p + name_len - file))) < 0)
            return rc;
        p += name_len + desc_len;
        size -= name_len + desc_len;
    }
    return 0;
}

void feature_names(uint32_t bits, char *buf, size_t size)
{
    static const char *const names[] = {
        "net-recv-wait", "console-read", "set-tp",
        "env",           "wake-console", "shutdown",
        "moved",         "net-xfer",     "block-batch",
    };
    size_t at = 0;

    buf[0] = 0;
    for (unsigned i = 0; i < 32 && at < size; i++) {
        char one[32];

        if (!(bits & (1u << i)))
            continue;
        if (i < sizeof(names) / sizeof(names[0]) && names[i])
            snprintf(one, sizeof(one), "%s", names[i]);
        else
            snprintf(one, sizeof(one), "feature-%u", i);
        at +=
            (size_t)snprintf(buf + at, size - at, "%s%s", at ? ", " : "", one);
    }
}

static int check_boot_note(const struct mote_note_boot *b, int found)
{
    if (!found)
        return err_set(ENOEXEC, "no mote boot note: not a mote unikernel "
                                "(link it with the mote libOS)");
    if (b->abi_version != MOTE_ABI_VERSION)
        return err_set(ENOEXEC,
                       "image built for mote ABI %u, this mote "
                       "speaks ABI %u",
                       b->abi_version, MOTE_ABI_VERSION);
    if (b->requires & ~(uint32_t)MOTE_FEATURES) {
        char names[160];

        feature_names(b->requires & ~(uint32_t)MOTE_FEATURES, names,
                      sizeof(names));
        return err_set(ENOEXEC,
                       "image needs ABI features this mote lacks: %s "
                       "(a newer mote runs it)",
                       names);
    }
    return 0;
}

static int read_phdrs(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
                      struct elf_image *img)
{
    int found = 0, rc;

    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, buf + eh->e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type == PT_LOAD && ph.p_memsz > 0) {
            if ((rc = add_seg(img, &ph, len)) < 0)
                return rc;
        } else if (ph.p_type == PT_NOTE) {
            if (!in_file(ph.p_offset, ph.p_filesz, len))
                return err_set(ENOEXEC, "truncated ELF: note past the end "
                                        "of the file");
            rc = scan_notes(buf, ph.p_offset, ph.p_filesz, img, &found);
            if (rc < 0)
                return rc;
        }
    }
    return check_boot_note(&img->boot, found);
}

static void compute_bounds(struct elf_image *img)
{
    img->lo = UINT64_MAX;
    img->hi = 0;
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];

        if (s->gpa < img->lo)
            img->lo = s->gpa;
        if (s->gpa + s->memsz > img->hi)
            img->hi = s->gpa + s->memsz;
    }
}

static int check_entry(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];

        if (img->entry >= s->gpa && img->entry < s->gpa + s->memsz &&
            (s->flags & PF_X))
            return 0;
    }
    return err_set(ENOEXEC,
                   "entry point 0x%llx is outside the image's "
                   "code",
                   (unsigned long long)img->entry);
}

static int check_files(struct elf_image *img, const uint8_t *buf)
{
    const uint8_t *blob;
    int rc;

    if ((rc = files_find(img, buf, &blob)) < 0)
        return rc;
    return files_check(blob, img->files.size, &img->nfiles);
}

int elf_parse(const uint8_t *buf, size_t len, uint16_t machine,
              struct elf_image *img)
{
    Elf64_Ehdr eh;
    int rc;

    memset(img, 0, sizeof(*img));
    if ((rc = check_ident(buf, len)) < 0)
        return rc;
    memcpy(&eh, buf, sizeof(eh));
    if ((rc = check_ehdr(&eh, len, machine)) < 0)
        return rc;
    img->entry = eh.e_entry;
    if ((rc = read_phdrs(buf, len, &eh, img)) < 0)
        return rc;
    if (img->nsegs == 0)
        return err_set(ENOEXEC, "no loadable segments");
    if ((rc = check_overlap(img)) < 0 || (rc = wx_check(img)) < 0)
        return rc;
    compute_bounds(img);
    if ((rc = check_entry(img)) < 0)
        return rc;
    return img->has_files ? check_files(img, buf) : 0;
}

int elf_check_fit(const struct elf_image *img, gpa_t lo, gpa_t hi)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];

        if (s->gpa < lo)
            return err_set(ENOEXEC,
                           "segment %u at 0x%llx is below the "
                           "lowest load address 0x%llx",
                           i, (unsigned long long)s->gpa,
                           (unsigned long long)lo);
        if (s->gpa + s->memsz > hi)
            return err_set(ENOMEM,
                           "image needs guest memory up to 0x%llx "
                           "but guest memory ends at 0x%llx: raise --mem",
                           (unsigned long long)(s->gpa + s->memsz),
                           (unsigned long long)hi);
    }
    return 0;
}

void elf_load(const struct elf_image *img, const uint8_t *buf, uint8_t *mem,
              gpa_t mem_base)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];
        uint8_t *dst = mem + (s->gpa - mem_base);

        memcpy(dst, buf + s->offset, s->filesz);
    }
}

int elf_parse_any(const uint8_t *buf, size_t len, struct elf_image *img,
                  uint16_t *machine)
{
    uint16_t m = 0;
    int rc;

    if ((rc = check_ident(buf, len)) < 0)
        return rc;
    memcpy(&m, buf + offsetof(Elf64_Ehdr, e_machine), sizeof(m));
    if (m != EM_X86_64 && m != EM_AARCH64)
        return err_set(ENOEXEC,
                       "image is for %s: mote runs x86_64 and "
                       "aarch64 guests",
                       elf_machine_name(m));
    *machine = m;
    return elf_parse(buf, len, m, img);
}
