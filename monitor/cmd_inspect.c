/* mote verify and mote inspect: what an image is and who signed it. */
#include <elf.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "cli.h"
#include "elf.h"
#include "devkind.h"
#include "err.h"
#include "trust.h"

static const char verify_usage[] =
    "Usage: mote verify [--trust PUB|DIR]... IMAGE\n"
    "\n"
    "Check IMAGE's signature against the trusted public keys: exit 0 if\n"
    "it is good, 1 if not.\n"
    "\n"
    "Options:\n"
    "  -t, --trust PUB|DIR\n"
    "                   trust this public key, or every *.pub in DIR\n"
    "                   (repeatable; default: " TRUST_DEFAULT_DIR ")\n"
    "  -h, --help       print this help\n";

static const char inspect_usage[] =
    "Usage: mote inspect [--trust PUB|DIR]... IMAGE\n"
    "\n"
    "Print IMAGE's arch, entry, ABI features, segments, manifest, bundled\n"
    "files and signature.\n"
    "\n"
    "Options:\n"
    "  -t, --trust PUB|DIR\n"
    "                   also check the signature against this public key,\n"
    "                   or every *.pub in DIR (repeatable; default: none)\n"
    "  -h, --help       print this help\n";

/*
 * Options shared by verify and inspect: --trust (repeatable), --help and
 * IMAGE. Returns 0, an exit status on errors, or -1 when it printed usage.
 */
static int parse(int argc, char **argv, struct trust *t, const char **image,
                 const char *cmd, const char *usage)
{
    static const struct option lo[] = {
        { "trust", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "t:h", lo, NULL)) != -1) {
        if (c == 'h')
            return fputs(usage, stdout), -1;
        if (c != 't')
            return cli_bad_option(cmd, argv[optind - 1]);
        if (trust_add(t, optarg) < 0)
            return cli_error("%s: %s", cmd, err_msg());
    }
    if (optind != argc - 1)
        return cli_error("%s: want [--trust PUB|DIR] IMAGE (try 'mote %s "
                         "--help')",
                         cmd, cmd);
    *image = argv[optind];
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    struct trust t = { 0 };
    const struct sig_key *k;
    const char *image;
    uint8_t *buf = NULL;
    size_t len, payload;
    int rc;

    if ((rc = parse(argc, argv, &t, &image, "verify", verify_usage)) != 0) {
        trust_free(&t);
        return rc < 0 ? 0 : rc;
    }
    if (t.n == 0 && trust_add(&t, TRUST_DEFAULT_DIR) < 0)
        return cli_error("verify: no --trust given and %s", err_msg());
    if (image_read(image, IMAGE_MAX, &buf, &len) < 0) {
        rc = cli_error("verify: %s", err_msg());
    } else if (image_verify(buf, len, &t, 0, &payload, &k) < 0) {
        fprintf(stderr, "mote: %s: refused: %s\n", image, err_msg());
        rc = 1;
    } else {
        printf("%s: good signature by key %s (%s)\n", image,
               sig_id_hex(sig_key_id(k), 8), sig_key_path(k));
    }
    free(buf);
    trust_free(&t);
    return rc;
}

static void print_manifest(const struct elf_image *img)
{
    const struct elf_manifest *m = &img->manifest;

    if (!img->has_manifest) {
        printf("manifest:  none (the image may use no devices)\n");
        return;
    }
    printf("manifest:  at file offset %llu, memory %s",
           (unsigned long long)m->offset, m->mem_max ? "" : "any\n");
    if (m->mem_max)
        printf("%llu MiB\n", (unsigned long long)(m->mem_max >> 20));
    for (unsigned i = 0; i < m->ndev; i++)
        printf("           %-4s %s%s\n",
               dev_kind_by_id(m->dev[i].kind)->keyword, m->dev[i].name,
               m->dev[i].flags & MOTE_DEV_RO ? " ro" : "");
}

static void print_image(const struct elf_image *img, uint16_t m)
{
    char feats[160];

    feature_names(img->boot.requires, feats, sizeof(feats));
    printf("arch:      %s\nentry:     0x%llx\nabi:       %u%s%s\n",
           elf_machine_name(m), (unsigned long long)img->entry,
           img->boot.abi_version, feats[0] ? ", requires " : "", feats);
    for (unsigned i = 0; i < img->nsegs; i++)
        printf("segment %u: 0x%08llx-0x%08llx %c%c%c, %llu bytes at file "
               "offset %llu\n",
               i, (unsigned long long)img->seg[i].gpa,
               (unsigned long long)(img->seg[i].gpa + img->seg[i].memsz),
               img->seg[i].flags & PF_R ? 'r' : '-',
               img->seg[i].flags & PF_W ? 'w' : '-',
               img->seg[i].flags & PF_X ? 'x' : '-',
               (unsigned long long)img->seg[i].filesz,
               (unsigned long long)img->seg[i].offset);
    print_manifest(img);
    if (img->has_files)
        printf("files:     %u bundled, %llu bytes at 0x%llx\n", img->nfiles,
               (unsigned long long)img->files.size,
               (unsigned long long)img->files.addr);
}

static void print_signature(const uint8_t *buf, size_t len,
                            const struct trust *t)
{
    struct sig_trailer tr;
    const struct sig_key *k;
    size_t payload;
    int rc = sig_trailer_parse(buf, len, &tr);

    if (rc <= 0) {
        printf("signature: %s\n", rc == 0 ? "none" : err_msg());
        return;
    }
    printf("signature: ECDSA P-256/SHA-256 by key %s\n",
           sig_id_hex(tr.key_id, SIG_KEYID_LEN));
    if (t->n == 0)
        printf("validity:  not checked (no trusted keys given)\n");
    else if (image_verify(buf, len, t, 0, &payload, &k) < 0)
        printf("validity:  BAD: %s\n", err_msg());
    else
        printf("validity:  good, trusted key %s\n", sig_key_path(k));
}

int cmd_inspect(int argc, char **argv)
{
    struct trust t = { 0 };
    struct elf_image img;
    struct sig_trailer tr;
    const char *image;
    uint8_t *buf = NULL;
    size_t len, payload;
    uint16_t m;
    int rc;

    if ((rc = parse(argc, argv, &t, &image, "inspect", inspect_usage)) != 0) {
        trust_free(&t);
        return rc < 0 ? 0 : rc;
    }
    if (image_read(image, IMAGE_MAX, &buf, &len) < 0) {
        rc = cli_error("inspect: %s", err_msg());
        goto out;
    }
    payload = sig_trailer_parse(buf, len, &tr) == 1 ? tr.signed_len : len;
    if (elf_parse_any(buf, payload, &img, &m) < 0) {
        rc = cli_error("inspect: %s: %s", image, err_msg());
        goto out;
    }
    printf("image:     %s\n", image);
    print_image(&img, m);
    print_signature(buf, len, &t);
out:
    free(buf);
    trust_free(&t);
    return rc;
}
