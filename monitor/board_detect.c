/* Choosing a board: by --board name or file, or from the host's device tree. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "board.h"
#include "boot.h"
#include "err.h"

#define PROP_MAX 4096 /* a root compatible or model property */
#define FDT_MAX (4u << 20)

static int load_file(const char *path, struct board *b)
{
    uint8_t *buf;
    size_t len;
    char *text;
    int rc;

    if ((rc = image_read(path, 64 * 1024, &buf, &len)) < 0) {
        char why[300]; /* err_set() must not read its own buffer */

        snprintf(why, sizeof(why), "%s", err_msg());
        return err_set(-rc, "board file %s", why);
    }
    text = realloc(buf, len + 1);
    if (!text) {
        free(buf);
        return err_set(ENOMEM, "out of memory");
    }
    text[len] = '\0';
    rc = strlen(text) != len
             ? err_set(EINVAL, "board file %s: not a text file", path)
             : board_parse(text, path, b);
    free(text);
    return rc;
}

int board_select(const char *arg, const char *arch, struct board *b)
{
    size_t n = strlen(arg);
    int rc = strchr(arg, '/') || (n > 6 && !strcmp(arg + n - 6, ".board"))
                 ? load_file(arg, b)
                 : board_by_name(arg, b);

    if (rc < 0)
        return rc;
    if (strcmp(b->arch, arch))
        return err_set(EINVAL, "board %s is for %s hosts, this is %s", b->name,
                       b->arch, arch);
    return 0;
}

/* Is s[0, len) one or more non-empty NUL-terminated strings? */
static int string_list(const char *s, size_t len)
{
    if (!len || s[len - 1] || !s[0])
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!s[i] && !s[i - 1])
            return 0;
    return 1;
}

/* Does the string list compat[0, len) hold one of b's compatibles? */
static int matches(const char *compat, size_t len, const struct board *b)
{
    for (size_t i = 0; compat && i < len; i += strlen(compat + i) + 1)
        for (unsigned k = 0; k < b->ncompat; k++)
            if (!strcmp(compat + i, b->compat[k]))
                return 1;
    return 0;
}

/* The model for messages: printable ASCII only, at most 79 characters. */
static void clean_model(const char *m, char *out, size_t size)
{
    size_t n = 0;

    for (; m && *m && n + 1 < size; m++)
        out[n++] = *m >= 0x20 && *m < 0x7f ? *m : '?';
    out[n] = '\0';
    if (!n)
        snprintf(out, size, "unknown");
}

int board_detect_compat(const char *compat, size_t len, const char *model,
                        const char *arch, struct board *b, char *why,
                        size_t why_size)
{
    struct board fb = { 0 };
    char m[80];
    int have_fb = 0;

    if (compat && len && !string_list(compat, len))
        return err_set(EINVAL, "the host's device tree has a malformed root "
                               "compatible");
    clean_model(model, m, sizeof(m));
    for (unsigned i = 0; i < board_count(); i++) {
        if (board_builtin(i, b) < 0 || strcmp(b->arch, arch))
            continue;
        if (matches(compat, len, b)) {
            snprintf(why, why_size,
                     "board %s: the host's device tree says '%s'", b->name, m);
            return 0;
        }
        if (!b->ncompat && !have_fb)
            fb = *b, have_fb = 1;
    }
    if (!have_fb)
        return err_set(ENOENT, "no board profile for %s hosts", arch);
    *b = fb;
    snprintf(why, why_size, "board %s: %s", b->name,
             compat ? "no profile matches the host's device tree"
                    : "no host device tree");
    return 0;
}

/* Is p[0, n) inside the blob fdt[0, len)? libfdt takes a property's
 * length from the tree itself, unchecked: -4 (0xfffffffc) comes back as
 * is. */
static int in_blob(const void *fdt, size_t len, const void *p, int n)
{
    const char *b = fdt, *q = p;

    return n >= 0 && q >= b && (size_t)(q - b) <= len &&
           (size_t)n <= len - (size_t)(q - b);
}

int board_detect_fdt(const void *fdt, size_t len, const char *arch,
                     struct board *b, char *why, size_t why_size)
{
    const char *compat = NULL, *model;
    int clen = 0, mlen = 0;

    if (!fdt)
        return board_detect_compat(NULL, 0, NULL, arch, b, why, why_size);
    if (len < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
        fdt_totalsize(fdt) > len)
        return err_set(EINVAL, "the host's device tree is malformed");
    compat = fdt_getprop(fdt, 0, "compatible", &clen);
    model = fdt_getprop(fdt, 0, "model", &mlen);
    if ((compat && !in_blob(fdt, len, compat, clen)) ||
        (model && !in_blob(fdt, len, model, mlen)))
        return err_set(EINVAL, "the host's device tree is malformed");
    if (!model || mlen <= 0 || !memchr(model, '\0', (size_t)mlen))
        model = NULL; /* the tree's bytes are not trusted */
    return board_detect_compat(compat ? compat : "", compat ? (size_t)clen : 0,
                               model, arch, b, why, why_size);
}

/* Read root/path whole (at most max bytes): 0, or a negative errno with
 * a message naming path. */
static int read_at(const char *root, const char *path, uint64_t max,
                   uint8_t **buf, size_t *len)
{
    char full[PATH_MAX];

    if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >=
        sizeof(full))
        return err_set(ENAMETOOLONG, "%s%s: path too long", root, path);
    return image_read(full, max, buf, len);
}

/* The host's root model from /proc/device-tree, or NULL (only said). */
static char *read_model(const char *root)
{
    uint8_t *m;
    size_t len;

    if (read_at(root, BOARD_DT_MODEL, PROP_MAX, &m, &len) < 0)
        return NULL;
    if (!len || !memchr(m, '\0', len)) {
        free(m);
        return NULL;
    }
    return (char *)m;
}

int board_detect_at(const char *root, const char *arch, struct board *b,
                    char *why, size_t why_size)
{
    char first[300] = "";
    uint8_t *buf;
    size_t len;
    int rc;

    rc = read_at(root, BOARD_DT_COMPAT, PROP_MAX, &buf, &len);
    if (rc == 0) {
        char *model = read_model(root);

        rc = board_detect_compat((char *)buf, len, model, arch, b, why,
                                 why_size);
        free(model);
        free(buf);
        return rc < 0 ? err_prefix(rc, BOARD_DT_COMPAT) : 0;
    }
    if (rc != -ENOENT)
        snprintf(first, sizeof(first), "%s", err_msg());
    rc = read_at(root, BOARD_HOST_FDT, FDT_MAX, &buf, &len);
    if (rc == 0) {
        rc = board_detect_fdt(buf, len, arch, b, why, why_size);
        free(buf);
        return rc < 0 ? err_prefix(rc, BOARD_HOST_FDT) : 0;
    }
    if (rc != -ENOENT && !first[0])
        snprintf(first, sizeof(first), "%s", err_msg());
    if (first[0])
        return err_set(EACCES,
                       "cannot tell this host's board, so not its policy "
                       "either: %s (a site policy's 'board' line can name "
                       "it: see boards/README.md)",
                       first);
    return board_detect_compat(NULL, 0, NULL, arch, b, why, why_size);
}

int board_detect(const char *arch, struct board *b, char *why, size_t why_size)
{
    return board_detect_at("", arch, b, why, why_size);
}
