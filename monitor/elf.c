/* Parsing and loading unikernel ELF images from a buffer in monitor memory. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "elf.h"
#include "err.h"

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
        return err_set(ENOEXEC, "not a 64-bit ELF (class %u)",
                       buf[EI_CLASS]);
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
        return err_set(ENOEXEC, "bad program header size %u",
                       eh->e_phentsize);
    if (eh->e_phnum == 0)
        return err_set(ENOEXEC, "no program headers");
    if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr),
                 len))
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
        return err_set(ENOEXEC, "segment %u: impossible address or size "
                       "(vaddr 0x%llx, memsz 0x%llx)", i,
                       (unsigned long long)ph->p_vaddr,
                       (unsigned long long)ph->p_memsz);
    if (ph->p_filesz > ph->p_memsz)
        return err_set(ENOEXEC, "segment %u: file size exceeds memory size",
                       i);
    if (!in_file(ph->p_offset, ph->p_filesz, len))
        return err_set(ENOEXEC, "truncated ELF: segment %u lies past the "
                       "end of the file", i);
    *s = (struct elf_seg){ ph->p_offset, ph->p_filesz, ph->p_vaddr,
                           ph->p_memsz, ph->p_flags };
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

/* Look for the mote boot note in one PT_NOTE segment. 1 = found. */
static int scan_notes(const uint8_t *p, uint64_t size,
                      struct mote_note_boot *boot)
{
    while (size >= sizeof(Elf64_Nhdr)) {
        Elf64_Nhdr nh;
        uint64_t name_len, desc_len;

        memcpy(&nh, p, sizeof(nh));
        name_len = ((uint64_t)nh.n_namesz + 3) & ~3ULL;
        desc_len = ((uint64_t)nh.n_descsz + 3) & ~3ULL;
        p += sizeof(nh);
        size -= sizeof(nh);
        if (name_len > size || desc_len > size - name_len)
            return err_set(ENOEXEC, "malformed ELF note");
        if (nh.n_namesz == sizeof(MOTE_NOTE_NAME) &&
            memcmp(p, MOTE_NOTE_NAME, sizeof(MOTE_NOTE_NAME)) == 0 &&
            nh.n_type == MOTE_NOTE_BOOT) {
            if (nh.n_descsz != sizeof(*boot))
                return err_set(ENOEXEC, "malformed mote boot note");
            memcpy(boot, p + name_len, sizeof(*boot));
            return 1;
        }
        p += name_len + desc_len;
        size -= name_len + desc_len;
    }
    return 0;
}

static int check_boot_note(const struct mote_note_boot *b, int found)
{
    if (!found)
        return err_set(ENOEXEC, "no mote boot note: not a mote unikernel "
                       "(link it with the mote libOS)");
    if (b->abi_version != MOTE_ABI_VERSION)
        return err_set(ENOEXEC, "image built for mote ABI %u, this mote "
                       "speaks ABI %u", b->abi_version, MOTE_ABI_VERSION);
    if (b->flags != 0)
        return err_set(ENOEXEC, "unknown boot note flags 0x%x", b->flags);
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
        } else if (ph.p_type == PT_NOTE && !found) {
            if (!in_file(ph.p_offset, ph.p_filesz, len))
                return err_set(ENOEXEC, "truncated ELF: note past the end "
                               "of the file");
            found = scan_notes(buf + ph.p_offset, ph.p_filesz, &img->boot);
            if (found < 0)
                return found;
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
    return err_set(ENOEXEC, "entry point 0x%llx is outside the image's "
                   "code", (unsigned long long)img->entry);
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
    if ((rc = check_overlap(img)) < 0)
        return rc;
    compute_bounds(img);
    return check_entry(img);
}

int elf_check_fit(const struct elf_image *img, gpa_t lo, gpa_t hi)
{
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_seg *s = &img->seg[i];

        if (s->gpa < lo)
            return err_set(ENOEXEC, "segment %u at 0x%llx is below the "
                           "lowest load address 0x%llx", i,
                           (unsigned long long)s->gpa,
                           (unsigned long long)lo);
        if (s->gpa + s->memsz > hi)
            return err_set(ENOMEM, "image needs guest memory up to 0x%llx "
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
        memset(dst + s->filesz, 0, s->memsz - s->filesz);
    }
}
