/* Board profiles: parsing board files, finding and detecting boards. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libfdt.h>

#include "board.h"
#include "boot.h"
#include "err.h"

#define FW_FDT "/sys/firmware/fdt"
#define FW_FDT_MAX (1 << 20)
#define BOARD_FILE_MAX 4096

static int copy(char *dst, size_t size, const char *v)
{
    if (!*v || strlen(v) >= size)
        return -EINVAL;
    strcpy(dst, v);
    return 0;
}

static int add_matches(struct board *b, char *v)
{
    for (char *t = strtok(v, " \t"); t; t = strtok(NULL, " \t")) {
        if (b->nmatch == BOARD_MAX_MATCH)
            return -EINVAL;
        if (copy(b->match[b->nmatch++], sizeof(b->match[0]), t) < 0)
            return -EINVAL;
    }
    return 0;
}

/* "0-3,6": a CPU mask; CPUs 0 to 63. */
static int parse_cpus(const char *v, uint64_t *mask)
{
    char *end;

    *mask = 0;
    for (;;) {
        unsigned long lo = strtoul(v, &end, 10), hi = lo;

        if (end == v)
            return -EINVAL;
        if (*end == '-') {
            v = end + 1;
            hi = strtoul(v, &end, 10);
            if (end == v)
                return -EINVAL;
        }
        if (lo > hi || hi > 63)
            return -EINVAL;
        for (unsigned long c = lo; c <= hi; c++)
            *mask |= 1ULL << c;
        if (*end == '\0')
            return 0;
        if (*end != ',')
            return -EINVAL;
        v = end + 1;
    }
}

static int set_key(struct board *b, const char *key, char *v)
{
    if (!strcmp(key, "arch"))
        return copy(b->arch, sizeof(b->arch), v);
    if (!strcmp(key, "model"))
        return copy(b->model, sizeof(b->model), v);
    if (!strcmp(key, "match"))
        return add_matches(b, v);
    if (!strcmp(key, "generic"))
        return strcmp(v, "yes") ? -EINVAL : (b->generic = 1, 0);
    if (!strcmp(key, "mem"))
        return size_parse(v, &b->mem_default);
    if (!strcmp(key, "mem-max"))
        return size_parse(v, &b->mem_max);
    if (!strcmp(key, "cpus"))
        return parse_cpus(v, &b->cpus);
    return -ENOENT;
}

/* One line, without its newline: "KEY VALUE" or a comment. */
static int parse_line(const char *name, unsigned n, char *line, struct board *b)
{
    char *key = line + strspn(line, " \t"), *v;
    size_t len = strlen(key);
    int rc;

    while (len && strchr(" \t\r", key[len - 1]))
        key[--len] = '\0';
    if (!*key || *key == '#')
        return 0;
    v = key + strcspn(key, " \t");
    if (*v)
        *v++ = '\0';
    v += strspn(v, " \t");
    rc = set_key(b, key, v);
    if (rc == -ENOENT)
        return err_set(EINVAL, "board %s, line %u: unknown key '%s'", name, n,
                       key);
    if (rc < 0)
        return err_set(EINVAL, "board %s, line %u: bad value for %s: '%s'",
                       name, n, key, v);
    return 0;
}

static int check(const char *name, const struct board *b)
{
    const char *miss = !b->arch[0]       ? "arch"
                       : !b->model[0]    ? "model"
                       : !b->mem_default ? "mem"
                       : !b->mem_max     ? "mem-max"
                                         : NULL;

    if (miss)
        return err_set(EINVAL, "board %s: no %s line", name, miss);
    if (b->mem_default > b->mem_max)
        return err_set(EINVAL, "board %s: mem is above mem-max", name);
    return 0;
}

int board_parse(const char *name, const char *text, struct board *b)
{
    char line[256];
    unsigned n = 0;
    int rc;

    memset(b, 0, sizeof(*b));
    if (copy(b->name, sizeof(b->name), name) < 0)
        return err_set(EINVAL, "bad board name '%s'", name);
    while (*text) {
        size_t len = strcspn(text, "\n");

        n++;
        if (len >= sizeof(line))
            return err_set(EINVAL, "board %s, line %u: too long", name, n);
        memcpy(line, text, len);
        line[len] = '\0';
        if ((rc = parse_line(name, n, line, b)) < 0)
            return rc;
        text += len + (text[len] == '\n');
    }
    return check(name, b);
}

/* Read a whole (small) file; sysfs may hand it over in pieces. */
static size_t slurp(const char *path, char *buf, size_t max)
{
    size_t len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    while (fd >= 0 && len < max) {
        ssize_t n = read(fd, buf + len, max - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    if (fd >= 0)
        close(fd);
    return len;
}

/* A board file given by path: its base name without ".board" names it. */
static int load_file(const char *path, struct board *b)
{
    const char *base = strrchr(path, '/') + 1;
    char *text = malloc(BOARD_FILE_MAX + 1), name[32];
    size_t len = strcspn(base, ".");
    int rc;

    if (!text)
        return err_set(ENOMEM, "out of memory");
    snprintf(name, sizeof(name), "%.*s", (int)len, base);
    len = slurp(path, text, BOARD_FILE_MAX + 1);
    text[len] = '\0';
    if (len == 0 || len > BOARD_FILE_MAX || strlen(text) != len)
        rc = err_set(EINVAL, "%s: not a readable board file", path);
    else
        rc = board_parse(name, text, b);
    free(text);
    return rc;
}

int board_find(const char *name, struct board *b)
{
    if (strchr(name, '/'))
        return load_file(name, b);
    for (unsigned i = 0; i < board_nfiles; i++)
        if (!strcmp(board_files[i].name, name))
            return board_parse(name, board_files[i].text, b);
    return err_set(ENOENT, "unknown board '%s' (try 'mote boards')", name);
}

static int matches(const struct board *b, const char *compat)
{
    for (unsigned i = 0; i < b->nmatch; i++)
        if (!strcmp(b->match[i], compat))
            return 1;
    return 0;
}

/* The built-in board of arch matching one compatible string: 1, else 0. */
static int find_match(const char *arch, const char *compat, struct board *b)
{
    for (unsigned i = 0; i < board_nfiles; i++) {
        if (board_parse(board_files[i].name, board_files[i].text, b) < 0)
            continue;
        if (!strcmp(b->arch, arch) && matches(b, compat))
            return 1;
    }
    return 0;
}

static int fallback(const char *arch, struct board *b)
{
    for (unsigned i = 0; i < board_nfiles; i++)
        if (board_parse(board_files[i].name, board_files[i].text, b) == 0 &&
            b->generic && !strcmp(b->arch, arch))
            return 0;
    return err_set(ENOENT, "no generic board for %s", arch);
}

int board_detect(const char *arch, const void *fdt, size_t len, struct board *b)
{
    const char *list;
    int n;

    if (!fdt || len < sizeof(struct fdt_header) || fdt_check_header(fdt) != 0 ||
        fdt_totalsize(fdt) > len)
        return fallback(arch, b);
    list = fdt_getprop(fdt, 0, "compatible", &n);
    for (int off = 0; list && off < n;) {
        const char *s = list + off;
        size_t l = strnlen(s, (size_t)(n - off));

        if (l == (size_t)(n - off))
            break; /* not NUL-terminated */
        if (find_match(arch, s, b))
            return 1;
        off += (int)l + 1;
    }
    return fallback(arch, b);
}

int board_detect_host(const char *arch, struct board *b)
{
    char *buf = malloc(FW_FDT_MAX);
    size_t len;
    int rc;

    if (!buf)
        return err_set(ENOMEM, "out of memory");
    len = slurp(FW_FDT, buf, FW_FDT_MAX);
    rc = board_detect(arch, len ? buf : NULL, len, b);
    free(buf);
    return rc;
}
