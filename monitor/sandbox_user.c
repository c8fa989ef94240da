/* --user USER[:GROUP]: names or numbers, looked up in /etc/passwd and
 * /etc/group (sandbox.h). Read as files: a static monitor has no NSS. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fileio.h"
#include "sandbox.h"

#define DB_MAX (4u << 20) /* a passwd or group file larger is refused */
#define NOBODY 65534u

/* A decimal id below 2^32 - 1 (-1 is "no change" to setuid). */
static int number(const char *s, size_t n, uint32_t *v)
{
    uint64_t x = 0;

    if (n == 0 || n > 10)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    if (x >= 0xffffffffu)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

/*
 * In db (lines of NAME:x:ID:ID2:...), the line whose first field is
 * name[0, n): its third field into *id and, if id2, its fourth into *id2.
 * 0, or -1 when no well-formed line names it.
 */
static int lookup(const char *db, const char *name, size_t n, uint32_t *id,
                  uint32_t *id2)
{
    for (const char *l = db; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
        const char *f[5];
        size_t len = strcspn(l, "\n");
        unsigned k = 0;

        f[0] = l;
        for (const char *p = l; p < l + len && k < 4; p++)
            if (*p == ':')
                f[++k] = p + 1;
        if (k < (id2 ? 4u : 3u) || (size_t)(f[1] - 1 - l) != n ||
            strncmp(l, name, n) != 0)
            continue;
        if (number(f[2], strcspn(f[2], ":\n"), id) < 0 ||
            (id2 && number(f[3], strcspn(f[3], ":\n"), id2) < 0))
            return -1;
        return 0;
    }
    return -1;
}

int sandbox_user_parse(const char *spec, const char *passwd, const char *group,
                       uid_t *uid, gid_t *gid)
{
    size_t un = strcspn(spec, ":");
    const char *g = spec[un] ? spec + un + 1 : NULL;
    uint32_t u, pg;
    int named = lookup(passwd, spec, un, &u, &pg) == 0;

    if (un == 0 || (g && !*g))
        return err_set(EINVAL, "--user: want USER or USER:GROUP, not '%s'",
                       spec);
    if (!named && number(spec, un, &u) < 0)
        return err_set(ENOENT, "--user: no user '%.*s' in /etc/passwd", (int)un,
                       spec);
    if (!named)
        pg = u;
    if (g && lookup(group, g, strlen(g), &pg, NULL) < 0 &&
        number(g, strlen(g), &pg) < 0)
        return err_set(ENOENT, "--user: no group '%s' in /etc/group", g);
    *uid = (uid_t)u;
    *gid = (gid_t)pg;
    return 0;
}

/* A file of the user database, or an empty one when it cannot be read. */
static char *db(const char *path)
{
    uint8_t *buf = NULL;
    size_t len;

    if (fileio_read_small(path, DB_MAX, &buf, &len) < 0)
        return strdup("");
    return (char *)buf;
}

int sandbox_user(struct sandbox *sb, const char *spec)
{
    char *pw, *gr;
    int rc = 0;

    sb->change = spec || geteuid() == 0;
    if (!sb->change)
        return 0;
    pw = db("/etc/passwd");
    gr = db("/etc/group");
    if (!pw || !gr)
        rc = err_set(ENOMEM, "--user: out of memory");
    else if (spec)
        rc = sandbox_user_parse(spec, pw, gr, &sb->uid, &sb->gid);
    else if (sandbox_user_parse(SANDBOX_DEFAULT_USER, pw, gr, &sb->uid,
                                &sb->gid) < 0)
        sb->uid = sb->gid = NOBODY; /* no such user here: its usual id */
    free(pw);
    free(gr);
    return rc;
}
