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

int board_parse_cpus(const char *v, uint64_t *mask)
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

int board_parse_mem(const char *v, uint64_t *out)
{
    if (size_parse(v, out) < 0 || *out == 0 || *out % (2ULL << 20))
        return -EINVAL;
    return 0;
}

int board_parse_rate(const char *v, uint64_t *out)
{
    if (size_parse_bytes(v, out) < 0 || *out == 0)
        return -EINVAL;
    return 0;
}

int board_parse_yesno(const char *v, int *out)
{
    if (strcmp(v, "yes") && strcmp(v, "no"))
        return -EINVAL;
    *out = !strcmp(v, "yes");
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
        return board_parse_mem(v, &b->mem_default);
    if (!strcmp(key, "mem-max"))
        return board_parse_mem(v, &b->mem_max);
    if (!strcmp(key, "cpus"))
        return board_parse_cpus(v, &b->cpus);
    if (!strcmp(key, "allow-unsigned"))
        return board_parse_yesno(v, &b->allow_unsigned);
    if (!strcmp(key, "console-rate-max"))
        return board_parse_rate(v, &b->console_rate_max);
    return -ENOENT;
}

static int board_line(char *key, char *v, void *b)
{
    return parse_line(key, v, b);
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

int board_lines(const char *text, const char *origin,
                int (*fn)(char *key, char *v, void *ctx), void *ctx)
{
    char line[512];
    unsigned no = 0;

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
        rc = fn(key, v, ctx);
        if (rc == -ENOENT)
            return err_set(EINVAL, "%s:%u: unknown key '%s'", origin, no, key);
        if (rc < 0)
            return err_set(EINVAL, "%s:%u: bad value for %s: '%s'", origin, no,
                           key, v);
    }
    return 0;
}

int board_parse(const char *text, const char *origin, struct board *b)
{
    memset(b, 0, sizeof(*b));
    b->allow_unsigned = 1;
    if (board_lines(text, origin, board_line, b) < 0 ||
        check_complete(b, origin) < 0)
        return -EINVAL;
    snprintf(b->mem_max_by, sizeof(b->mem_max_by), "board %s", b->name);
    snprintf(b->unsigned_by, sizeof(b->unsigned_by), "board %s", b->name);
    snprintf(b->console_rate_by, sizeof(b->console_rate_by), "board %s",
             b->name);
    return 0;
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

void board_cpus_str(uint64_t cpus, char *buf, size_t size)
{
    size_t n = 0;

    if (size)
        buf[0] = '\0';
    if (!cpus) {
        snprintf(buf, size, "all");
        return;
    }
    for (int c = 0; c < 64 && n < size; c++) {
        int e = c;

        if (!(cpus >> c & 1))
            continue;
        while (e < 63 && cpus >> (e + 1) & 1)
            e++;
        if (e == c)
            n += (size_t)snprintf(buf + n, size - n, "%s%d", n ? "," : "", c);
        else
            n += (size_t)snprintf(buf + n, size - n, "%s%d-%d", n ? "," : "", c,
                                  e);
        c = e;
    }
}

void board_limits_of(const struct board *b, struct board_limits *l)
{
    l->allow_unsigned = b->allow_unsigned;
    l->mem_max = b->mem_max;
    l->cpus = b->cpus;
    l->console_rate_max = b->console_rate_max;
}

/* Both CPU sets (0 = all) at once. */
static uint64_t cpus_and(uint64_t a, uint64_t b)
{
    return !a ? b : !b ? a : a & b;
}

int board_limit(struct board *b, const struct board_limits *l, const char *by)
{
    uint64_t cpus = cpus_and(b->cpus, l->cpus);

    if ((b->cpus || l->cpus) && !cpus) {
        char mine[64], theirs[64];

        board_cpus_str(b->cpus, mine, sizeof(mine));
        board_cpus_str(l->cpus, theirs, sizeof(theirs));
        return err_set(EPERM,
                       "board %s's CPUs (%s) are none of those %s "
                       "allows (%s)",
                       b->name, mine, by, theirs);
    }
    b->cpus = cpus;
    if (b->allow_unsigned && !l->allow_unsigned) {
        b->allow_unsigned = 0;
        snprintf(b->unsigned_by, sizeof(b->unsigned_by), "%s", by);
    }
    if (l->mem_max && l->mem_max < b->mem_max) {
        b->mem_max = l->mem_max;
        snprintf(b->mem_max_by, sizeof(b->mem_max_by), "%s", by);
    }
    if (b->mem_default > b->mem_max)
        b->mem_default = b->mem_max;
    if (l->console_rate_max &&
        (!b->console_rate_max || l->console_rate_max < b->console_rate_max)) {
        b->console_rate_max = l->console_rate_max;
        snprintf(b->console_rate_by, sizeof(b->console_rate_by), "%s", by);
    }
    return 0;
}

int board_pin_plan(const struct board *b, uint64_t allowed, uint64_t *pin,
                   char *warn, size_t warn_size)
{
    uint64_t both = b->cpus & allowed;
    char want[64], may[64], got[64];

    *pin = b->cpus ? both : 0;
    if (warn_size)
        warn[0] = '\0';
    if (!b->cpus || both == b->cpus)
        return 0;
    board_cpus_str(b->cpus, want, sizeof(want));
    board_cpus_str(allowed, may, sizeof(may));
    if (!allowed) /* none below 64 */
        snprintf(may, sizeof(may), "none of 0-63");
    board_cpus_str(both, got, sizeof(got));
    if (both)
        snprintf(warn, warn_size,
                 "board %s's CPUs %s: only %s of them allowed here (this "
                 "process may use %s); the vCPU runs on %s",
                 b->name, want, got, may, got);
    else
        snprintf(warn, warn_size,
                 "board %s's CPUs %s: none is allowed here (this process "
                 "may use %s); the vCPU runs where it may",
                 b->name, want, may);
    return 1;
}

int board_pin(const struct board *b, char *warn, size_t warn_size)
{
    cpu_set_t set;
    uint64_t allowed = 0, pin;

    if (warn_size)
        warn[0] = '\0';
    if (!b->cpus)
        return 0;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) < 0)
        return err_set(errno, "cannot read this process's CPUs: %s",
                       strerror(errno));
    for (int c = 0; c < 64; c++)
        if (CPU_ISSET(c, &set))
            allowed |= 1ULL << c;
    board_pin_plan(b, allowed, &pin, warn, warn_size);
    if (!pin)
        return 0;
    CPU_ZERO(&set);
    for (int c = 0; c < 64; c++)
        if (pin & (1ULL << c))
            CPU_SET(c, &set);
    if (sched_setaffinity(0, sizeof(set), &set) < 0) {
        char s[64];

        board_cpus_str(pin, s, sizeof(s));
        return err_set(errno, "board %s: cannot run on CPUs %s: %s", b->name, s,
                       strerror(errno));
    }
    return 0;
}
