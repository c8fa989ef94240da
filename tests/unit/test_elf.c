/* Unit tests of ELF image parsing, fitting and loading (monitor/elf.c). */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "../../monitor/elf.h"
#include "../../monitor/err.h"

/*
 * The default test image, an x86_64 ET_EXEC:
 *   0x0000  ELF header, program headers from 0x40
 *   0x0800  PT_NOTE: the mote boot note
 *   0x1000  PT_LOAD R+X, 0x100 bytes at GPA 0x100000, entry 0x100010
 *   0x2000  PT_LOAD R+W, 0x80 file bytes, 0x1000 in memory at 0x101000
 * The file ends with the last data byte, so any truncation cuts something.
 */
#define FILE_MAX 0x4000
#define NOTE_OFF 0x800
#define TEXT_OFF 0x1000
#define TEXT_GPA 0x100000ULL
#define TEXT_SIZE 0x100
#define DATA_OFF 0x2000
#define DATA_GPA 0x101000ULL
#define DATA_FILESZ 0x80
#define DATA_MEMSZ 0x1000
#define ENTRY (TEXT_GPA + 0x10)
#define EXC_ENTRY (TEXT_GPA + 0x80)
#define MAX_PH (ELF_MAX_SEGS + 4)

struct spec {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[MAX_PH];
    uint8_t note[128];
    size_t note_len;
    size_t len; /* file length handed to elf_parse */
};

static uint8_t file[FILE_MAX];

/* Append one ELF note (4-byte aligned name and desc) to s->note. */
static void note_add(struct spec *s, const char *name, uint32_t type,
                     const void *desc, uint32_t descsz)
{
    Elf64_Nhdr nh = { (uint32_t)strlen(name) + 1, descsz, type };
    uint8_t *p = s->note + s->note_len;
    size_t name_len = (nh.n_namesz + 3) & ~3u;
    size_t desc_len = (descsz + 3) & ~3u;

    assert_true(s->note_len + sizeof(nh) + name_len + desc_len <=
                sizeof(s->note));
    memcpy(p, &nh, sizeof(nh));
    memset(p + sizeof(nh), 0, name_len + desc_len);
    memcpy(p + sizeof(nh), name, nh.n_namesz);
    memcpy(p + sizeof(nh) + name_len, desc, descsz);
    s->note_len += sizeof(nh) + name_len + desc_len;
}

static void boot_note_add(struct spec *s, uint32_t abi_version)
{
    struct mote_note_boot b = { abi_version, 0, EXC_ENTRY };

    note_add(s, MOTE_NOTE_NAME, MOTE_NOTE_BOOT, &b, sizeof(b));
}

static Elf64_Phdr load_ph(uint64_t off, uint64_t gpa, uint64_t filesz,
                          uint64_t memsz, uint32_t flags)
{
    return (Elf64_Phdr){ .p_type = PT_LOAD,
                         .p_flags = flags,
                         .p_offset = off,
                         .p_vaddr = gpa,
                         .p_paddr = gpa,
                         .p_filesz = filesz,
                         .p_memsz = memsz,
                         .p_align = 0x1000 };
}

/* The default valid image described above. */
static void spec_init(struct spec *s)
{
    memset(s, 0, sizeof(*s));
    memcpy(s->eh.e_ident, ELFMAG, SELFMAG);
    s->eh.e_ident[EI_CLASS] = ELFCLASS64;
    s->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    s->eh.e_ident[EI_VERSION] = EV_CURRENT;
    s->eh.e_type = ET_EXEC;
    s->eh.e_machine = EM_X86_64;
    s->eh.e_version = EV_CURRENT;
    s->eh.e_entry = ENTRY;
    s->eh.e_phoff = sizeof(Elf64_Ehdr);
    s->eh.e_ehsize = sizeof(Elf64_Ehdr);
    s->eh.e_phentsize = sizeof(Elf64_Phdr);
    s->eh.e_phnum = 3;
    s->ph[0] = (Elf64_Phdr){
        .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = NOTE_OFF, .p_align = 4
    };
    s->ph[1] = load_ph(TEXT_OFF, TEXT_GPA, TEXT_SIZE, TEXT_SIZE, PF_R | PF_X);
    s->ph[2] =
        load_ph(DATA_OFF, DATA_GPA, DATA_FILESZ, DATA_MEMSZ, PF_R | PF_W);
    boot_note_add(s, MOTE_ABI_VERSION);
    s->len = DATA_OFF + DATA_FILESZ;
}

/* Copy what fits of [off, off + n) into file[]. */
static void put(uint64_t off, const void *p, uint64_t n)
{
    if (off >= FILE_MAX)
        return;
    memcpy(file + off, p, n < FILE_MAX - off ? n : FILE_MAX - off);
}

/* Lay the image out in file[]: headers, the note, patterned segment data. */
static size_t spec_write(struct spec *s)
{
    memset(file, 0, sizeof(file));
    for (unsigned i = 0; i < TEXT_SIZE; i++)
        file[TEXT_OFF + i] = (uint8_t)(0x90 + i);
    for (unsigned i = 0; i < DATA_FILESZ; i++)
        file[DATA_OFF + i] = (uint8_t)(0x11 * i + 1);
    if (s->ph[0].p_type == PT_NOTE && s->ph[0].p_filesz == 0)
        s->ph[0].p_filesz = s->note_len;
    put(NOTE_OFF, s->note, s->note_len);
    put(0, &s->eh, sizeof(s->eh));
    for (unsigned i = 0; i < s->eh.e_phnum && i < MAX_PH; i++) {
        uint64_t off = s->eh.e_phoff + i * sizeof(Elf64_Phdr);

        if (off < s->eh.e_phoff)
            break; /* wrapped around */
        put(off, &s->ph[i], sizeof(Elf64_Phdr));
    }
    return s->len;
}

static int parse(struct spec *s, struct elf_image *img)
{
    size_t len = spec_write(s);

    err_clear();
    return elf_parse(file, len, EM_X86_64, img);
}

/* elf_parse fails with ENOEXEC and a message holding each given word. */
static void expect_reject(struct spec *s, const char *w1, const char *w2)
{
    struct elf_image img;

    assert_int_equal(parse(s, &img), -ENOEXEC);
    if (!strstr(err_msg(), w1) || (w2 && !strstr(err_msg(), w2)))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err_msg(), w1,
                 w2 ? w2 : "");
}

static void test_valid(void **state)
{
    struct elf_image img;
    struct spec s;

    (void)state;
    spec_init(&s);
    assert_int_equal(parse(&s, &img), 0);
    assert_int_equal(img.entry, ENTRY);
    assert_int_equal(img.lo, TEXT_GPA);
    assert_int_equal(img.hi, DATA_GPA + DATA_MEMSZ);
    assert_int_equal(img.nsegs, 2);
    assert_int_equal(img.seg[0].offset, TEXT_OFF);
    assert_int_equal(img.seg[0].gpa, TEXT_GPA);
    assert_int_equal(img.seg[0].filesz, TEXT_SIZE);
    assert_int_equal(img.seg[0].flags, PF_R | PF_X);
    assert_int_equal(img.seg[1].offset, DATA_OFF);
    assert_int_equal(img.seg[1].gpa, DATA_GPA);
    assert_int_equal(img.seg[1].filesz, DATA_FILESZ);
    assert_int_equal(img.seg[1].memsz, DATA_MEMSZ);
    assert_int_equal(img.boot.abi_version, MOTE_ABI_VERSION);
    assert_int_equal(img.boot.exc_entry, EXC_ENTRY);
}

/* A foreign note before the boot note is skipped, not fatal. */
static void test_other_note_skipped(void **state)
{
    uint8_t id[20] = { 1, 2, 3 };
    struct elf_image img;
    struct spec s;

    (void)state;
    spec_init(&s);
    s.note_len = 0;
    note_add(&s, "GNU", NT_GNU_BUILD_ID, id, sizeof(id));
    note_add(&s, "mote", 99, id, 3); /* a type this mote does not know */
    boot_note_add(&s, MOTE_ABI_VERSION);
    assert_int_equal(parse(&s, &img), 0);
    assert_int_equal(img.boot.exc_entry, EXC_ENTRY);
}

static void test_empty(void **state)
{
    struct elf_image img;

    (void)state;
    err_clear();
    assert_int_equal(elf_parse(file, 0, EM_X86_64, &img), -ENOEXEC);
    assert_non_null(strstr(err_msg(), "not an ELF"));
    assert_int_equal(elf_parse(NULL, 0, EM_X86_64, &img), -ENOEXEC);
}

static void test_not_elf(void **state)
{
    static const uint8_t text[] = "#!/bin/sh\necho this is no ELF image\n"
                                  "................................\n";
    struct elf_image img;

    (void)state;
    err_clear();
    assert_int_equal(elf_parse(text, sizeof(text), EM_X86_64, &img), -ENOEXEC);
    assert_non_null(strstr(err_msg(), "not an ELF"));
}

static void test_short_header(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.len = sizeof(Elf64_Ehdr) - 1;
    expect_reject(&s, "truncated", "header");
}

static void test_elf32(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_ident[EI_CLASS] = ELFCLASS32;
    expect_reject(&s, "64-bit", NULL);
}

static void test_big_endian(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    expect_reject(&s, "little-endian", NULL);
}

static void test_wrong_arch(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_machine = EM_AARCH64;
    expect_reject(&s, "aarch64", "x86_64");
}

static void test_et_dyn(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_type = ET_DYN;
    expect_reject(&s, "static executable", NULL);
}

static void test_bad_phentsize(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_phentsize = sizeof(Elf64_Phdr) - 8;
    expect_reject(&s, "program header size", NULL);
}

static void test_no_phdrs(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_phnum = 0;
    expect_reject(&s, "no program headers", NULL);
}

static void test_phdrs_truncated(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_phoff = s.len - 3 * sizeof(Elf64_Phdr) + 1;
    expect_reject(&s, "truncated", "program headers");
    spec_init(&s);
    s.eh.e_phoff = UINT64_MAX - sizeof(Elf64_Phdr) + 1;
    expect_reject(&s, "truncated", "program headers");
    spec_init(&s);
    s.eh.e_phnum = 0xffff;
    expect_reject(&s, "truncated", "program headers");
}

static void test_seg_truncated(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[2].p_offset = s.len - DATA_FILESZ + 1;
    expect_reject(&s, "truncated", "segment 1");
    spec_init(&s);
    s.ph[2].p_offset = UINT64_MAX - 0x10;
    expect_reject(&s, "truncated", "segment 1");
}

static void test_filesz_over_memsz(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[2].p_filesz = DATA_FILESZ;
    s.ph[2].p_memsz = DATA_FILESZ - 1;
    expect_reject(&s, "file size exceeds memory size", NULL);
}

static void test_huge_memsz(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[2].p_memsz = 1ULL << 62;
    expect_reject(&s, "impossible", NULL);
}

static void test_vaddr_overflow(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[2].p_vaddr = UINT64_MAX - 0xfff;
    s.ph[2].p_memsz = 0x2000;
    expect_reject(&s, "impossible", NULL);
}

static void test_overlap(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[2].p_vaddr = TEXT_GPA + TEXT_SIZE - 1;
    expect_reject(&s, "overlap", NULL);
    /* Touching is fine, with the same rights. */
    spec_init(&s);
    s.ph[2].p_vaddr = TEXT_GPA + TEXT_SIZE;
    s.ph[2].p_flags = PF_R | PF_X;
    assert_int_equal(parse(&s, &(struct elf_image){ 0 }), 0);
}

/* W^X: no segment writable and executable, and no page shared by a
 * writable segment and an executable one, even without a byte of overlap. */
static void test_wx(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[1].p_flags = PF_R | PF_W | PF_X;
    expect_reject(&s, "writable and executable", NULL);
    spec_init(&s);
    s.ph[2].p_flags = PF_W | PF_X;
    expect_reject(&s, "writable and executable", NULL);
    spec_init(&s);
    s.ph[2].p_vaddr = TEXT_GPA + TEXT_SIZE; /* data in text's page */
    expect_reject(&s, "share a page", NULL);
    spec_init(&s);
    s.ph[2].p_vaddr = TEXT_GPA + 0x1000; /* the next page: fine */
    assert_int_equal(parse(&s, &(struct elf_image){ 0 }), 0);
    spec_init(&s);
    s.ph[2].p_flags = PF_R; /* one page, one set of rights: R-- != R-X */
    s.ph[2].p_vaddr = TEXT_GPA + TEXT_SIZE;
    expect_reject(&s, "share a page", NULL);
}

static void test_entry_outside(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_entry = TEXT_GPA + TEXT_SIZE;
    expect_reject(&s, "entry point", NULL);
    spec_init(&s);
    s.eh.e_entry = TEXT_GPA - 1;
    expect_reject(&s, "entry point", NULL);
}

static void test_entry_not_exec(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_entry = DATA_GPA + 0x10;
    expect_reject(&s, "entry point", NULL);
}

static void test_no_boot_note(void **state)
{
    uint8_t d[16] = { 0 };
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[0].p_type = PT_NULL;
    expect_reject(&s, "no mote boot note", NULL);
    spec_init(&s);
    s.note_len = 0;
    note_add(&s, "motf", MOTE_NOTE_BOOT, d, sizeof(d));
    expect_reject(&s, "no mote boot note", NULL);
}

static void test_bad_abi_version(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.note_len = 0;
    boot_note_add(&s, MOTE_ABI_VERSION + 1);
    expect_reject(&s, "ABI", NULL);
}

/* An image that needs a feature this monitor lacks is refused by name;
 * one that needs only known features loads. */
static void test_note_requires(void **state)
{
    struct spec s;
    struct mote_note_boot b = { MOTE_ABI_VERSION, 0x40000000, EXC_ENTRY };
    struct elf_image img;

    (void)state;
    spec_init(&s);
    s.note_len = 0;
    note_add(&s, MOTE_NOTE_NAME, MOTE_NOTE_BOOT, &b, sizeof(b));
    expect_reject(&s, "needs ABI features this mote lacks: feature-30", NULL);
    spec_init(&s);
    s.note_len = 0;
    b.requires = MOTE_FEATURES;
    note_add(&s, MOTE_NOTE_NAME, MOTE_NOTE_BOOT, &b, sizeof(b));
    assert_int_equal(parse(&s, &img), 0);
    assert_int_equal(img.boot.requires, MOTE_FEATURES);
}

/* The files note must point into a read-only segment's file bytes, and
 * what it points at must be a valid blob (here: the text's bytes). */
static void files_note(uint64_t addr, uint64_t size, const char *want)
{
    struct mote_note_files f = { addr, size };
    struct spec s;

    spec_init(&s);
    note_add(&s, MOTE_NOTE_NAME, MOTE_NOTE_FILES, &f, sizeof(f));
    expect_reject(&s, want, NULL);
}

static void test_files_note(void **state)
{
    (void)state;
    files_note(TEXT_GPA + TEXT_SIZE - 8, 16, "not inside a read-only");
    files_note(DATA_GPA, 16, "not inside a read-only");
    files_note(UINT64_MAX - 4, 16, "not inside a read-only");
    files_note(TEXT_GPA, 64, "bundled files: unknown format");
    files_note(TEXT_GPA, 8, "bundled files: truncated");
}

static void test_feature_names(void **state)
{
    char buf[160];

    (void)state;
    feature_names(MOTE_FEAT_SET_TP | MOTE_FEAT_NET_RECV_WAIT, buf, sizeof(buf));
    assert_string_equal(buf, "net-recv-wait, set-tp");
    feature_names(MOTE_FEAT_ENV | 0x80000000u, buf, sizeof(buf));
    assert_string_equal(buf, "env, feature-31");
    feature_names(MOTE_FEAT_BLOCK_BATCH | MOTE_FEAT_MOVED | MOTE_FEAT_NET_XFER |
                      0x200,
                  buf, sizeof(buf));
    assert_string_equal(buf, "moved, net-xfer, block-batch, feature-9");
    feature_names(0, buf, sizeof(buf));
    assert_string_equal(buf, "");
}

static void test_malformed_note(void **state)
{
    Elf64_Nhdr nh;
    struct spec s;

    (void)state;
    spec_init(&s);
    memcpy(&nh, s.note, sizeof(nh));
    nh.n_namesz = 0x1000;
    memcpy(s.note, &nh, sizeof(nh));
    expect_reject(&s, "malformed", NULL);
    spec_init(&s);
    nh.n_namesz = sizeof(MOTE_NOTE_NAME);
    nh.n_descsz = UINT32_MAX;
    memcpy(s.note, &nh, sizeof(nh));
    expect_reject(&s, "malformed", NULL);
    /* Another note whose desc runs past the segment. */
    spec_init(&s);
    s.note_len = 0;
    note_add(&s, "GNU", NT_GNU_BUILD_ID, &nh, 8);
    memcpy(&nh, s.note, sizeof(nh));
    nh.n_descsz = 0x1000;
    memcpy(s.note, &nh, sizeof(nh));
    boot_note_add(&s, MOTE_ABI_VERSION);
    expect_reject(&s, "malformed", NULL);
    /* The boot note cut short by the segment's end. */
    spec_init(&s);
    s.ph[0].p_filesz = s.note_len - 4;
    expect_reject(&s, "malformed", NULL);
    /* A boot note whose desc is not a struct mote_note_boot. */
    spec_init(&s);
    s.note_len = 0;
    note_add(&s, MOTE_NOTE_NAME, MOTE_NOTE_BOOT, &nh, 8);
    expect_reject(&s, "malformed", NULL);
}

static void test_note_truncated(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.ph[0].p_offset = s.len - 8;
    s.ph[0].p_filesz = s.note_len;
    expect_reject(&s, "truncated", "note");
}

static void test_too_many_segs(void **state)
{
    struct spec s;

    (void)state;
    spec_init(&s);
    s.eh.e_phnum = ELF_MAX_SEGS + 2;
    for (unsigned i = 1; i < s.eh.e_phnum; i++)
        s.ph[i] = load_ph(TEXT_OFF, TEXT_GPA + 0x1000 * i, TEXT_SIZE, TEXT_SIZE,
                          PF_R | PF_X);
    expect_reject(&s, "too many", NULL);
    /* Exactly ELF_MAX_SEGS is fine. */
    s.eh.e_phnum = ELF_MAX_SEGS + 1;
    s.eh.e_entry = TEXT_GPA + 0x1000;
    assert_int_equal(parse(&s, &(struct elf_image){ 0 }), 0);
}

static void test_check_fit(void **state)
{
    struct elf_image img;
    struct spec s;

    (void)state;
    spec_init(&s);
    assert_int_equal(parse(&s, &img), 0);
    assert_int_equal(elf_check_fit(&img, TEXT_GPA, DATA_GPA + DATA_MEMSZ), 0);
    err_clear();
    assert_int_equal(elf_check_fit(&img, TEXT_GPA + 1, 1ULL << 30), -ENOEXEC);
    assert_non_null(strstr(err_msg(), "below the lowest load address"));
    err_clear();
    assert_int_equal(elf_check_fit(&img, TEXT_GPA, DATA_GPA + DATA_MEMSZ - 1),
                     -ENOMEM);
    assert_non_null(strstr(err_msg(), "raise --mem"));
    assert_non_null(strstr(err_msg(), "0x102000"));
}

static void test_load(void **state)
{
    const size_t mem_size = 0x200000;
    uint8_t *mem = malloc(mem_size);
    struct elf_image img;
    struct spec s;

    (void)state;
    assert_non_null(mem);
    spec_init(&s);
    assert_int_equal(parse(&s, &img), 0);
    memset(mem, 0xaa, mem_size);
    elf_load(&img, file, mem, 0);
    assert_memory_equal(mem + TEXT_GPA, file + TEXT_OFF, TEXT_SIZE);
    assert_memory_equal(mem + DATA_GPA, file + DATA_OFF, DATA_FILESZ);
    /* memsz past filesz is the caller's zero memory: not written at all */
    for (uint64_t a = DATA_GPA + DATA_FILESZ; a < DATA_GPA + DATA_MEMSZ; a++)
        assert_int_equal(mem[a], 0xaa);
    /* Nothing outside the segments is touched. */
    assert_int_equal(mem[TEXT_GPA - 1], 0xaa);
    for (uint64_t a = TEXT_GPA + TEXT_SIZE; a < DATA_GPA; a++)
        assert_int_equal(mem[a], 0xaa);
    assert_int_equal(mem[DATA_GPA + DATA_MEMSZ], 0xaa);
    free(mem);
}

/* In a fresh anonymous mapping (as vm_create's guest RAM), the pages of a
 * segment past its file bytes stay unresident and read as zero. */
static void test_load_bss_untouched(void **state)
{
    const size_t mem_size = 0x200000, page = 4096, bss_end = 0x111000;
    uint8_t *mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char vec[(bss_end - DATA_GPA) / 4096];
    struct elf_image img;
    struct spec s;

    (void)state;
    assert_true(mem != MAP_FAILED);
    spec_init(&s);
    s.ph[2].p_memsz = bss_end - DATA_GPA; /* 64 KiB: 15 pages of bss only */
    assert_int_equal(parse(&s, &img), 0);
    elf_load(&img, file, mem, 0);
    assert_memory_equal(mem + DATA_GPA, file + DATA_OFF, DATA_FILESZ);
    assert_int_equal(mincore(mem + DATA_GPA, bss_end - DATA_GPA, vec), 0);
    assert_true(vec[0] & 1); /* the page with the file bytes */
    for (size_t i = 1; i < sizeof(vec); i++)
        assert_int_equal(vec[i] & 1, 0);
    for (size_t a = DATA_GPA + DATA_FILESZ; a < bss_end; a += page / 4)
        assert_int_equal(mem[a], 0);
    munmap(mem, mem_size);
}

/* With RAM starting at a nonzero GPA, mem[0] is that GPA. */
static void test_load_mem_base(void **state)
{
    const size_t mem_size = 0x3000;
    uint8_t *mem = malloc(mem_size);
    struct elf_image img;
    struct spec s;

    (void)state;
    assert_non_null(mem);
    spec_init(&s);
    assert_int_equal(parse(&s, &img), 0);
    assert_int_equal(elf_check_fit(&img, TEXT_GPA, TEXT_GPA + mem_size), 0);
    memset(mem, 0xaa, mem_size);
    elf_load(&img, file, mem, TEXT_GPA);
    assert_memory_equal(mem, file + TEXT_OFF, TEXT_SIZE);
    assert_int_equal(mem[TEXT_SIZE], 0xaa);
    assert_memory_equal(mem + 0x1000, file + DATA_OFF, DATA_FILESZ);
    assert_int_equal(mem[0x1000 + DATA_MEMSZ - 1], 0xaa); /* not written */
    assert_int_equal(mem[0x2000], 0xaa);
    free(mem);
}

/*
 * Crash test: every proper prefix of a valid image is rejected, and parsing
 * reads nothing past it (the prefix is copied to a buffer of exactly its
 * size, so a sanitizer or valgrind catches an over-read).
 */
static void test_truncations(void **state)
{
    struct elf_image img;
    struct spec s;
    size_t len;

    (void)state;
    spec_init(&s);
    len = spec_write(&s);
    assert_int_equal(elf_parse(file, len, EM_X86_64, &img), 0);
    for (size_t n = 0; n < len; n++) {
        uint8_t *p = malloc(n ? n : 1);

        assert_non_null(p);
        memcpy(p, file, n);
        if (elf_parse(p, n, EM_X86_64, &img) != -ENOEXEC)
            fail_msg("prefix of %zu bytes was not rejected", n);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_other_note_skipped),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_not_elf),
        cmocka_unit_test(test_short_header),
        cmocka_unit_test(test_elf32),
        cmocka_unit_test(test_big_endian),
        cmocka_unit_test(test_wrong_arch),
        cmocka_unit_test(test_et_dyn),
        cmocka_unit_test(test_bad_phentsize),
        cmocka_unit_test(test_no_phdrs),
        cmocka_unit_test(test_phdrs_truncated),
        cmocka_unit_test(test_seg_truncated),
        cmocka_unit_test(test_filesz_over_memsz),
        cmocka_unit_test(test_huge_memsz),
        cmocka_unit_test(test_vaddr_overflow),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_wx),
        cmocka_unit_test(test_entry_outside),
        cmocka_unit_test(test_entry_not_exec),
        cmocka_unit_test(test_no_boot_note),
        cmocka_unit_test(test_bad_abi_version),
        cmocka_unit_test(test_note_requires),
        cmocka_unit_test(test_feature_names),
        cmocka_unit_test(test_files_note),
        cmocka_unit_test(test_malformed_note),
        cmocka_unit_test(test_note_truncated),
        cmocka_unit_test(test_too_many_segs),
        cmocka_unit_test(test_check_fit),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_load_bss_untouched),
        cmocka_unit_test(test_load_mem_base),
        cmocka_unit_test(test_truncations),
    };

    return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
