/* Board profiles: parsing, the built-in set, selection by name or file. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "boot.h"
#include "err.h"

/* Generated from the boards/ folder by the build (board_data.c). */
extern const char *const board_data[][2];
extern const unsigned board_data_count;

static int parse_cpus(const char *v, uint64_t *mask)
{
    char *end;

    *mask = 0;
    if (!strcmp(v, "all"))
        return 0;
    while (*v) {
        unsigned long lo = strtoul(v, &end, 10), hi = lo;

        if (end == v)
            return -EINVAL;
        if (*end == '-')
            hi = strtoul(end + 1, &end, 10);
        if (hi < lo || hi > 63 || (*end && *end != ','))
            return -EINVAL;
        for (unsigned long c = lo; c <= hi; c++)
            *mask |= 1ULL << c;
        v = *end ? end + 1 : end;
    }
    return *mask ? 0 : -EINVAL;
}

static int parse_compat(char *v, struct board *b)
{
    for (char *save, *t = strtok_r(v, " \t", &save); t;
         t = strtok_r(NULL, " \t", &save)) {
        if (b->ncompat == BOARD_MAX_COMPAT || strlen(t) >= sizeof(b->compat[0]))
            return -EINVAL;
        strcpy(b->compat[b->ncompat++], t);
    }
    return 0;
}

static int copy(char *dst, size_t size, const char *v)
{
    if (!*v || strlen(v) >= size)
        return -EINVAL;
    strcpy(dst, v);
    return 0;
}

static int parse_mem(const char *v, uint64_t *out)
{
    if (size_parse(v, out) < 0 || *out == 0 || *out % (2ULL << 20))
        return -EINVAL;
    return 0;
}

/* One "key value" line; -EINVAL for a bad value, -ENOENT for a bad key. */
static int parse_line(char *key, char *v, struct board *b)
{
    if (!strcmp(key, "name"))
        return copy(b->name, sizeof(b->name), v);
    if (!strcmp(key, "arch")) {
        if (strcmp(v, "aarch64") && strcmp(v, "x86_64"))
            return -EINVAL;
        return copy(b->arch, sizeof(b->arch), v);
    }
    if (!strcmp(key, "model"))
        return copy(b->model, sizeof(b->model), v);
    if (!strcmp(key, "compatible"))
        return parse_compat(v, b);
    if (!strcmp(key, "mem-default"))
        return parse_mem(v, &b->mem_default);
    if (!strcmp(key, "mem-max"))
        return parse_mem(v, &b->mem_max);
    if (!strcmp(key, "cpus"))
        return parse_cpus(v, &b->cpus);
    if (!strcmp(key, "allow-unsigned")) {
        if (strcmp(v, "yes") && strcmp(v, "no"))
            return -EINVAL;
        b->allow_unsigned = !strcmp(v, "yes");
        return 0;
    }
    return -ENOENT;
}

static char *trim(char *s)
{
    char *e;

    s += strspn(s, " \t");
    e = s + strlen(s);
    while (e > s && strchr(" \t\r", e[-1]))
        *--e = '\0';
    return s;
}

static int check_complete(const struct board *b, const char *origin)
{
    if (!b->name[0] || !b->arch[0] || !b->model[0] || !b->mem_default ||
        !b->mem_max)
        return err_set(EINVAL,
                       "%s: a board needs name, arch, model, "
                       "mem-default and mem-max",
                       origin);
    if (b->mem_default > b->mem_max)
        return err_set(EINVAL, "%s: mem-default is above mem-max", origin);
    return 0;
}

int board_parse(const char *text, const char *origin, struct board *b)
{
    char line[512];
    unsigned no = 0;

    memset(b, 0, sizeof(*b));
    b->allow_unsigned = 1;
    while (*text) {
        size_t n = strcspn(text, "\n");
        char *s, *key, *v;
        int rc;

        no++;
        if (n >= sizeof(line))
            return err_set(EINVAL, "%s:%u: line too long", origin, no);
        memcpy(line, text, n);
        line[n] = '\0';
        text += n + (text[n] == '\n');
        line[strcspn(line, "#")] = '\0';
        s = trim(line);
        if (!*s)
            continue;
        key = s;
        v = s + strcspn(s, " \t");
        if (*v)
            *v++ = '\0';
        v = trim(v);
        rc = parse_line(key, v, b);
        if (rc == -ENOENT)
            return err_set(EINVAL, "%s:%u: unknown key '%s'", origin, no, key);
        if (rc < 0)
            return err_set(EINVAL, "%s:%u: bad value for %s: '%s'", origin, no,
                           key, v);
    }
    return check_complete(b, origin);
}

unsigned board_count(void)
{
    return board_data_count;
}

int board_builtin(unsigned i, struct board *b)
{
    if (i >= board_data_count)
        return -ENOENT;
    return board_parse(board_data[i][1], board_data[i][0], b);
}

int board_by_name(const char *name, struct board *b)
{
    for (unsigned i = 0; i < board_data_count; i++)
        if (!strcmp(board_data[i][0], name))
            return board_builtin(i, b);
    return err_set(ENOENT, "unknown board '%s' (see 'mote boards')", name);
}

int board_pin(const struct board *b)
{
    cpu_set_t set;

    if (!b->cpus)
        return 0;
    CPU_ZERO(&set);
    for (int c = 0; c < 64; c++)
        if (b->cpus & (1ULL << c))
            CPU_SET(c, &set);
    if (sched_setaffinity(0, sizeof(set), &set) < 0)
        return err_set(errno, "board %s: cannot run on its CPUs: %s", b->name,
                       strerror(errno));
    return 0;
}
