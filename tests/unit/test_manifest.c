/* Unit tests of the manifest: its ELF note and manifest_check(). */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "../../monitor/elf.h"
#include "../../monitor/err.h"
#include "../../monitor/manifest.h"

#define MiB (1ULL << 20)

/* --- manifest_check() on hand-made images and device options --- */

static void img_init(struct elf_image *img, uint64_t mem_max)
{
    memset(img, 0, sizeof(*img));
    img->has_manifest = 1;
    img->manifest.mem_max = mem_max;
}

static void img_dev(struct elf_image *img, uint32_t kind, const char *name,
                    uint32_t flags)
{
    struct mote_manifest_dev *d = &img->manifest.dev[img->manifest.ndev++];

    d->kind = kind;
    d->flags = flags;
    snprintf(d->name, sizeof(d->name), "%s", name);
}

static struct devspec spec(uint32_t kind, const char *name, int ro)
{
    struct devspec d;

    memset(&d, 0, sizeof(d));
    d.kind = kind;
    d.flags = ro ? MOTE_DEV_RO : 0;
    snprintf(d.name, sizeof(d.name), "%s", name);
    snprintf(d.target, sizeof(d.target), "%s.target", name);
    return d;
}

static int check(const struct elf_image *img, const struct devspec *dev,
                 unsigned ndev, uint64_t *mem, int given)
{
    err_clear();
    return manifest_check(img, dev, ndev, mem, given);
}

static void test_all_declared(void **state)
{
    struct devspec dev[3];
    struct elf_image img;
    uint64_t mem = 64 * MiB;

    (void)state;
    img_init(&img, 0);
    img_dev(&img, MOTE_DEV_BLOCK, "root", MOTE_DEV_RO);
    img_dev(&img, MOTE_DEV_BLOCK, "data", 0);
    img_dev(&img, MOTE_DEV_NET, "net0", 0);
    /* Any order. */
    dev[0] = spec(MOTE_DEV_NET, "net0", 0);
    dev[1] = spec(MOTE_DEV_BLOCK, "data", 0);
    dev[2] = spec(MOTE_DEV_BLOCK, "root", 1);
    assert_int_equal(check(&img, dev, 3, &mem, 1), 0);
    assert_int_equal(mem, 64 * MiB);
    /* Declared rw, attached ro: fine. */
    dev[1].flags = MOTE_DEV_RO;
    assert_int_equal(check(&img, dev, 3, &mem, 1), 0);
}

static void test_undeclared(void **state)
{
    struct devspec dev[2];
    struct elf_image img;
    uint64_t mem = 0;

    (void)state;
    img_init(&img, 0);
    img_dev(&img, MOTE_DEV_BLOCK, "root", 0);
    dev[0] = spec(MOTE_DEV_BLOCK, "root", 0);
    dev[1] = spec(MOTE_DEV_BLOCK, "extra", 0);
    expect_err(check(&img, dev, 2, &mem, 0), -EPERM, "disk 'extra'",
               "not in the image's manifest");
    dev[1] = spec(MOTE_DEV_NET, "tap", 0);
    expect_err(check(&img, dev, 2, &mem, 0), -EPERM, "network device 'tap'",
               "not in the image's manifest");
    /* Names match exactly, not by prefix. */
    dev[0] = spec(MOTE_DEV_BLOCK, "roo", 0);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM, "'roo'", "manifest");
    dev[0] = spec(MOTE_DEV_BLOCK, "root0", 0);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM, "'root0'", "manifest");
}

static void test_not_attached(void **state)
{
    struct devspec dev[1];
    struct elf_image img;
    uint64_t mem = 0;

    (void)state;
    img_init(&img, 0);
    img_dev(&img, MOTE_DEV_BLOCK, "root", 0);
    img_dev(&img, MOTE_DEV_NET, "net0", 0);
    dev[0] = spec(MOTE_DEV_BLOCK, "root", 0);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM,
               "needs network device 'net0'", "--net net0=TAP");
    dev[0] = spec(MOTE_DEV_NET, "net0", 0);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM, "needs disk 'root'",
               "--disk root=FILE");
    expect_err(check(&img, NULL, 0, &mem, 0), -EPERM, "needs disk 'root'",
               NULL);
}

static void test_kind_mismatch(void **state)
{
    struct devspec dev[1];
    struct elf_image img;
    uint64_t mem = 0;

    (void)state;
    img_init(&img, 0);
    img_dev(&img, MOTE_DEV_BLOCK, "x", 0);
    dev[0] = spec(MOTE_DEV_NET, "x", 0);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM,
               "'x' is a disk in the image's manifest", "not a network");
    img_init(&img, 0);
    img_dev(&img, MOTE_DEV_NET, "y", 0);
    dev[0] = spec(MOTE_DEV_BLOCK, "y", 1);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM,
               "'y' is a network device in the image's manifest", "not a disk");
}

static void test_ro(void **state)
{
    struct devspec dev[1];
    struct elf_image img;
    uint64_t mem = 0;

    (void)state;
    img_init(&img, 0);
    img_dev(&img, MOTE_DEV_BLOCK, "root", MOTE_DEV_RO);
    dev[0] = spec(MOTE_DEV_BLOCK, "root", 0);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM, "read-only",
               "--disk root=FILE,ro");
    dev[0].flags = MOTE_DEV_RO;
    assert_int_equal(check(&img, dev, 1, &mem, 0), 0);
}

static void test_mem(void **state)
{
    struct elf_image img;
    uint64_t mem;

    (void)state;
    img_init(&img, 128 * MiB);
    /* Not given: the manifest's value. */
    mem = 16 * MiB;
    assert_int_equal(check(&img, NULL, 0, &mem, 0), 0);
    assert_int_equal(mem, 128 * MiB);
    /* Given: a cap. */
    mem = 64 * MiB;
    assert_int_equal(check(&img, NULL, 0, &mem, 1), 0);
    assert_int_equal(mem, 64 * MiB);
    mem = 128 * MiB;
    assert_int_equal(check(&img, NULL, 0, &mem, 1), 0);
    assert_int_equal(mem, 128 * MiB);
    mem = 130 * MiB;
    expect_err(check(&img, NULL, 0, &mem, 1), -EPERM, "--mem 130 MiB",
               "allows (128 MiB)");
    mem = 128 * MiB + 1;
    expect_err(check(&img, NULL, 0, &mem, 1), -EPERM, "more than", NULL);
    mem = UINT64_MAX;
    expect_err(check(&img, NULL, 0, &mem, 1), -EPERM, "more than", NULL);
    /* No limit in the manifest: mem untouched either way. */
    img_init(&img, 0);
    mem = 16 * MiB;
    assert_int_equal(check(&img, NULL, 0, &mem, 0), 0);
    assert_int_equal(mem, 16 * MiB);
    mem = 1ULL << 40;
    assert_int_equal(check(&img, NULL, 0, &mem, 1), 0);
    assert_int_equal(mem, 1ULL << 40);
}

static void test_mem_not_2mib(void **state)
{
    static const uint64_t bad[] = { 1, MiB, 3 * MiB, 64 * MiB + 4096,
                                    UINT64_MAX };
    struct elf_image img;
    uint64_t mem;

    (void)state;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        img_init(&img, bad[i]);
        mem = 16 * MiB;
        expect_err(check(&img, NULL, 0, &mem, 0), -EINVAL, "2 MiB", NULL);
        assert_int_equal(mem, 16 * MiB);
        expect_err(check(&img, NULL, 0, &mem, 1), -EINVAL, "2 MiB", NULL);
    }
}

/* No manifest: no devices, and memory is the command line's business. */
static void test_no_manifest(void **state)
{
    struct devspec dev[1];
    struct elf_image img;
    uint64_t mem = 32 * MiB;

    (void)state;
    memset(&img, 0, sizeof(img));
    assert_int_equal(check(&img, NULL, 0, &mem, 0), 0);
    assert_int_equal(mem, 32 * MiB);
    assert_int_equal(check(&img, NULL, 0, &mem, 1), 0);
    assert_int_equal(mem, 32 * MiB);
    dev[0] = spec(MOTE_DEV_BLOCK, "d0", 1);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM, "disk 'd0'",
               "not in the image's manifest");
    dev[0] = spec(MOTE_DEV_NET, "n0", 0);
    expect_err(check(&img, dev, 1, &mem, 0), -EPERM, "network device 'n0'",
               "not in the image's manifest");
}

/* --- the manifest note, through elf_parse() --- */

/*
 * A minimal valid x86_64 image: one PT_NOTE at NOTE_OFF holding the boot
 * note and whatever manifest notes a test adds, one R+X PT_LOAD.
 */
#define FILE_MAX 0x2000
#define NOTE_OFF 0x100
#define TEXT_OFF 0x1000
#define TEXT_GPA 0x100000ULL
#define TEXT_SIZE 0x100
#define NOTE_MAX (TEXT_OFF - NOTE_OFF)
#define MAN_MAX                                                                \
    (sizeof(struct mote_manifest) +                                            \
     (MOTE_MAX_DEVICES + 2) * sizeof(struct mote_manifest_dev))

static uint8_t file[FILE_MAX];
static uint8_t note[NOTE_MAX];
static size_t note_len;

/* Append a note; returns the offset of its descriptor in the file. */
static uint64_t note_add(const char *name, uint32_t type, const void *desc,
                         uint32_t descsz)
{
    Elf64_Nhdr nh = { (uint32_t)strlen(name) + 1, descsz, type };
    uint8_t *p = note + note_len;
    size_t name_len = (nh.n_namesz + 3) & ~3u;
    size_t desc_len = (descsz + 3) & ~3u;

    assert_true(note_len + sizeof(nh) + name_len + desc_len <= NOTE_MAX);
    memcpy(p, &nh, sizeof(nh));
    memset(p + sizeof(nh), 0, name_len + desc_len);
    memcpy(p + sizeof(nh), name, nh.n_namesz);
    memcpy(p + sizeof(nh) + name_len, desc, descsz);
    note_len += sizeof(nh) + name_len + desc_len;
    return NOTE_OFF + (uint64_t)(p + sizeof(nh) + name_len - note);
}

static void notes_init(void)
{
    struct mote_note_boot b = { MOTE_ABI_VERSION, 0, TEXT_GPA };

    note_len = 0;
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_BOOT, &b, sizeof(b));
}

/* A manifest in buf (at least MAN_MAX bytes): returns its size. */
static uint32_t man_build(uint8_t *buf, uint32_t version, uint32_t ndev,
                          uint64_t mem_max)
{
    struct mote_manifest m = { version, ndev, mem_max };

    memset(buf, 0, MAN_MAX);
    memcpy(buf, &m, sizeof(m));
    for (uint32_t i = 0; i < ndev && i < MOTE_MAX_DEVICES + 2; i++) {
        struct mote_manifest_dev d = { i % 2 ? MOTE_DEV_NET : MOTE_DEV_BLOCK,
                                       i == 0 ? MOTE_DEV_RO : 0, "" };

        snprintf(d.name, sizeof(d.name), "%s%u", i % 2 ? "net" : "disk", i);
        memcpy(buf + sizeof(m) + i * sizeof(d), &d, sizeof(d));
    }
    return (uint32_t)(sizeof(m) + ndev * sizeof(struct mote_manifest_dev));
}

static struct mote_manifest_dev *man_dev(uint8_t *buf, unsigned i)
{
    return (struct mote_manifest_dev *)(buf + sizeof(struct mote_manifest) +
                                        i * sizeof(struct mote_manifest_dev));
}

static int parse(struct elf_image *img)
{
    Elf64_Ehdr eh = { 0 };
    Elf64_Phdr ph[2] = { { 0 } };

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = TEXT_GPA;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 2;
    ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE,
                          .p_flags = PF_R,
                          .p_offset = NOTE_OFF,
                          .p_filesz = note_len,
                          .p_align = 4 };
    ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD,
                          .p_flags = PF_R | PF_X,
                          .p_offset = TEXT_OFF,
                          .p_vaddr = TEXT_GPA,
                          .p_paddr = TEXT_GPA,
                          .p_filesz = TEXT_SIZE,
                          .p_memsz = TEXT_SIZE,
                          .p_align = 0x1000 };
    memset(file, 0, sizeof(file));
    memcpy(file, &eh, sizeof(eh));
    memcpy(file + sizeof(eh), ph, sizeof(ph));
    memcpy(file + NOTE_OFF, note, note_len);
    err_clear();
    return elf_parse(file, TEXT_OFF + TEXT_SIZE, EM_X86_64, img);
}

/* An image with manifest man[0, size) fails with the given words. */
static void expect_note_err(const uint8_t *man, uint32_t size, const char *w1,
                            const char *w2)
{
    struct elf_image img;

    notes_init();
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    expect_err(parse(&img), -ENOEXEC, w1, w2);
}

static void test_note_valid(void **state)
{
    uint8_t man[MAN_MAX];
    struct elf_image img;
    uint64_t off;
    uint32_t size;

    (void)state;
    /* No manifest note. */
    notes_init();
    assert_int_equal(parse(&img), 0);
    assert_int_equal(img.has_manifest, 0);
    assert_int_equal(img.manifest.ndev, 0);
    assert_int_equal(img.manifest.mem_max, 0);
    /* Three devices. */
    size = man_build(man, MOTE_MANIFEST_VERSION, 3, 256 * MiB);
    notes_init();
    off = note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    assert_int_equal(parse(&img), 0);
    assert_int_equal(img.has_manifest, 1);
    assert_int_equal(img.manifest.offset, off);
    assert_memory_equal(file + img.manifest.offset, man, size);
    assert_int_equal(img.manifest.mem_max, 256 * MiB);
    assert_int_equal(img.manifest.ndev, 3);
    assert_string_equal(img.manifest.dev[0].name, "disk0");
    assert_int_equal(img.manifest.dev[0].kind, MOTE_DEV_BLOCK);
    assert_int_equal(img.manifest.dev[0].flags, MOTE_DEV_RO);
    assert_string_equal(img.manifest.dev[1].name, "net1");
    assert_int_equal(img.manifest.dev[1].kind, MOTE_DEV_NET);
    assert_int_equal(img.manifest.dev[1].flags, 0);
    assert_string_equal(img.manifest.dev[2].name, "disk2");
    assert_int_equal(img.manifest.dev[2].flags, 0);
    /* The boot note still read. */
    assert_int_equal(img.boot.exc_entry, TEXT_GPA);
    /* Manifest before the boot note, no devices, no memory limit. */
    size = man_build(man, MOTE_MANIFEST_VERSION, 0, 0);
    note_len = 0;
    off = note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    assert_int_equal(off, NOTE_OFF + sizeof(Elf64_Nhdr) + 8);
    {
        struct mote_note_boot b = { MOTE_ABI_VERSION, 0, TEXT_GPA };

        note_add(MOTE_NOTE_NAME, MOTE_NOTE_BOOT, &b, sizeof(b));
    }
    assert_int_equal(parse(&img), 0);
    assert_int_equal(img.has_manifest, 1);
    assert_int_equal(img.manifest.offset, off);
    assert_int_equal(img.manifest.ndev, 0);
    assert_int_equal(img.manifest.mem_max, 0);
    /* The most devices. */
    size = man_build(man, MOTE_MANIFEST_VERSION, MOTE_MAX_DEVICES, 0);
    notes_init();
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    assert_int_equal(parse(&img), 0);
    assert_int_equal(img.manifest.ndev, MOTE_MAX_DEVICES);
    assert_string_equal(img.manifest.dev[15].name, "net15");
    /* A 31-character name is fine. */
    size = man_build(man, MOTE_MANIFEST_VERSION, 1, 0);
    memset(man_dev(man, 0)->name, 'n', 31);
    notes_init();
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    assert_int_equal(parse(&img), 0);
    assert_int_equal(strlen(img.manifest.dev[0].name), 31);
}

/* Another owner's note of the manifest's type is not a manifest. */
static void test_note_other_owner(void **state)
{
    uint8_t man[MAN_MAX];
    struct elf_image img;
    uint32_t size;

    (void)state;
    size = man_build(man, 99, 3, 1);
    notes_init();
    note_add("GNU", MOTE_NOTE_MANIFEST, man, size);
    assert_int_equal(parse(&img), 0);
    assert_int_equal(img.has_manifest, 0);
}

static void test_note_version(void **state)
{
    uint8_t man[MAN_MAX];
    uint32_t size;

    (void)state;
    size = man_build(man, MOTE_MANIFEST_VERSION + 1, 1, 0);
    expect_note_err(man, size, "manifest version 2", NULL);
    size = man_build(man, 0, 1, 0);
    expect_note_err(man, size, "manifest version 0", NULL);
}

static void test_note_ndevices(void **state)
{
    uint8_t man[MAN_MAX];
    uint32_t size;

    (void)state;
    /* 17 devices, with the descriptor size that 17 would need. */
    size = man_build(man, MOTE_MANIFEST_VERSION, MOTE_MAX_DEVICES + 1, 0);
    expect_note_err(man, size, "malformed manifest note", "17 devices");
    /* 17 claimed, 16 there. */
    size = man_build(man, MOTE_MANIFEST_VERSION, MOTE_MAX_DEVICES, 0);
    ((struct mote_manifest *)man)->ndevices = MOTE_MAX_DEVICES + 1;
    expect_note_err(man, size, "malformed manifest note", "17 devices");
    /* A count whose size would overflow 32 bits. */
    size = man_build(man, MOTE_MANIFEST_VERSION, 1, 0);
    ((struct mote_manifest *)man)->ndevices = UINT32_MAX;
    expect_note_err(man, size, "malformed manifest note", NULL);
}

static void test_note_descsz(void **state)
{
    uint8_t man[MAN_MAX];
    uint32_t size;

    (void)state;
    size = man_build(man, MOTE_MANIFEST_VERSION, 3, 0);
    expect_note_err(man, size - 1, "malformed manifest note", "3 devices");
    expect_note_err(man, size + 4, "malformed manifest note", "3 devices");
    expect_note_err(man, size - sizeof(struct mote_manifest_dev),
                    "malformed manifest note", "3 devices");
    /* Shorter than the header. */
    expect_note_err(man, sizeof(struct mote_manifest) - 1,
                    "malformed manifest note", NULL);
    expect_note_err(man, 0, "malformed manifest note", NULL);
}

static void test_note_kind(void **state)
{
    static const uint32_t bad[] = { MOTE_DEV_NONE, 3, UINT32_MAX };
    uint8_t man[MAN_MAX];
    uint32_t size;
    char want[48];

    (void)state;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size = man_build(man, MOTE_MANIFEST_VERSION, 3, 0);
        man_dev(man, 2)->kind = bad[i];
        snprintf(want, sizeof(want), "unknown kind %u", bad[i]);
        expect_note_err(man, size, "manifest device 2", want);
    }
}

static void test_note_flags(void **state)
{
    static const uint32_t bad[] = { 2, 0x80000000, MOTE_DEV_RO | 4 };
    uint8_t man[MAN_MAX];
    uint32_t size;

    (void)state;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size = man_build(man, MOTE_MANIFEST_VERSION, 2, 0);
        man_dev(man, 1)->flags = bad[i];
        expect_note_err(man, size, "manifest device 1", "unknown flags");
    }
}

static void test_note_name(void **state)
{
    uint8_t man[MAN_MAX];
    uint32_t size;

    (void)state;
    /* 32 characters, no NUL. */
    size = man_build(man, MOTE_MANIFEST_VERSION, 2, 0);
    memset(man_dev(man, 1)->name, 'x', 32);
    expect_note_err(man, size, "manifest device 1", "bad name");
    /* Empty. */
    size = man_build(man, MOTE_MANIFEST_VERSION, 2, 0);
    memset(man_dev(man, 0)->name, 0, 32);
    expect_note_err(man, size, "manifest device 0", "bad name");
    /* Characters outside A-Z a-z 0-9 - _ . */
    for (const char *const *b =
             (const char *const[]){ "a/b", "a b", "\xff", "a\n", "..=x", NULL };
         *b; b++) {
        size = man_build(man, MOTE_MANIFEST_VERSION, 2, 0);
        memset(man_dev(man, 1)->name, 0, 32);
        memcpy(man_dev(man, 1)->name, *b, strlen(*b));
        expect_note_err(man, size, "manifest device 1", "bad name");
    }
    /* Bytes after the name's end. */
    size = man_build(man, MOTE_MANIFEST_VERSION, 2, 0);
    man_dev(man, 0)->name[31] = 'x';
    expect_note_err(man, size, "manifest device 0", "after its end");
}

static void test_note_duplicate_name(void **state)
{
    uint8_t man[MAN_MAX];
    uint32_t size;

    (void)state;
    size = man_build(man, MOTE_MANIFEST_VERSION, 3, 0);
    strcpy(man_dev(man, 2)->name, "disk0");
    expect_note_err(man, size, "names device 'disk0'", "twice");
}

static void test_note_net_read_only(void **state)
{
    uint8_t man[MAN_MAX];
    uint32_t size;

    (void)state;
    size = man_build(man, MOTE_MANIFEST_VERSION, 2, 0);
    man_dev(man, 1)->flags = MOTE_DEV_RO; /* device 1 is a network device */
    expect_note_err(man, size, "manifest device 1", "unknown flags");
}

static void test_note_two(void **state)
{
    uint8_t man[MAN_MAX];
    struct elf_image img;
    uint32_t size;

    (void)state;
    size = man_build(man, MOTE_MANIFEST_VERSION, 1, 0);
    notes_init();
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    expect_err(parse(&img), -ENOEXEC, "two manifest notes", NULL);
    /* Even when the second says nothing. */
    notes_init();
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    size = man_build(man, MOTE_MANIFEST_VERSION, 0, 0);
    note_add(MOTE_NOTE_NAME, MOTE_NOTE_MANIFEST, man, size);
    expect_err(parse(&img), -ENOEXEC, "two manifest notes", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_declared),
        cmocka_unit_test(test_undeclared),
        cmocka_unit_test(test_not_attached),
        cmocka_unit_test(test_kind_mismatch),
        cmocka_unit_test(test_ro),
        cmocka_unit_test(test_mem),
        cmocka_unit_test(test_mem_not_2mib),
        cmocka_unit_test(test_no_manifest),
        cmocka_unit_test(test_note_valid),
        cmocka_unit_test(test_note_other_owner),
        cmocka_unit_test(test_note_version),
        cmocka_unit_test(test_note_ndevices),
        cmocka_unit_test(test_note_descsz),
        cmocka_unit_test(test_note_kind),
        cmocka_unit_test(test_note_flags),
        cmocka_unit_test(test_note_name),
        cmocka_unit_test(test_note_two),
        cmocka_unit_test(test_note_duplicate_name),
        cmocka_unit_test(test_note_net_read_only),
    };

    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
