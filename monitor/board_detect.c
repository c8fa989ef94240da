/* Choosing a board: by --board name or file, or from the host's device tree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "board.h"
#include "boot.h"
#include "err.h"

#define HOST_FDT "/sys/firmware/fdt"
#define FDT_MAX (4u << 20)

static int load_file(const char *path, struct board *b)
{
    uint8_t *buf;
    size_t len;
    char *text;
    int rc;

    if ((rc = image_read(path, 64 * 1024, &buf, &len)) < 0)
        return err_set(-rc, "board file %s", err_msg());
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

/* Does the root "compatible" of fdt list s? */
static int fdt_compatible(const void *fdt, const char *s)
{
    return fdt && fdt_node_check_compatible(fdt, 0, s) == 0;
}

static int matches(const void *fdt, const struct board *b)
{
    for (unsigned i = 0; i < b->ncompat; i++)
        if (fdt_compatible(fdt, b->compat[i]))
            return 1;
    return 0;
}

/* The root "model", if it is a string: the tree's bytes are not trusted. */
static const char *root_model(const void *fdt)
{
    int len = 0;
    const char *m = fdt ? fdt_getprop(fdt, 0, "model", &len) : NULL;

    return m && len > 0 && memchr(m, '\0', (size_t)len) ? m : "unknown";
}

int board_detect_fdt(const void *fdt, size_t len, const char *arch,
                     struct board *b, char *why, size_t why_size)
{
    struct board fb = { 0 };
    int have_fb = 0;

    if (fdt && (len < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
                fdt_totalsize(fdt) > len))
        fdt = NULL; /* a broken tree is no tree */
    for (unsigned i = 0; i < board_count(); i++) {
        if (board_builtin(i, b) < 0 || strcmp(b->arch, arch))
            continue;
        if (matches(fdt, b)) {
            snprintf(why, why_size,
                     "board %s: the host's device tree says "
                     "'%s'",
                     b->name, root_model(fdt));
            return 0;
        }
        if (!b->ncompat && !have_fb)
            fb = *b, have_fb = 1;
    }
    if (!have_fb)
        return err_set(ENOENT, "no board profile for %s hosts", arch);
    *b = fb;
    snprintf(why, why_size, "board %s: %s", b->name,
             fdt ? "no profile matches the host's device tree"
                 : "no host device tree");
    return 0;
}

int board_detect(const char *arch, struct board *b, char *why, size_t why_size)
{
    uint8_t *fdt = NULL;
    size_t len = 0;
    int rc;

    if (image_read(HOST_FDT, FDT_MAX, &fdt, &len) < 0)
        fdt = NULL; /* no firmware tree: x86, or not exposed */
    rc = board_detect_fdt(fdt, len, arch, b, why, why_size);
    free(fdt);
    return rc;
}
