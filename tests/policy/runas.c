/*
 * runas: run a command as another user, for the labs' policy test (busybox
 * has su only with a password database; this needs none).
 *
 *   runas UID GID[,GID...] COMMAND [ARG...]
 *
 * The first GID is the primary group, the rest the supplementary ones (the
 * kvm group, say). Exits 127 when it cannot switch or run COMMAND.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_GROUPS 16

static int number(const char *s, unsigned long *v)
{
    char *end;

    errno = 0;
    *v = strtoul(s, &end, 10);
    return errno || end == s || *v > 0xfffffffeUL ? -1 : (int)(end - s);
}

/* "G1,G2,...": *n groups into g. */
static int groups(const char *s, gid_t *g, size_t *n)
{
    unsigned long v;
    int k;

    for (*n = 0; *n < MAX_GROUPS; s += k + 1) {
        if ((k = number(s, &v)) < 0)
            return -1;
        g[(*n)++] = (gid_t)v;
        if (!s[k])
            return 0;
        if (s[k] != ',')
            return -1;
    }
    return -1;
}

int main(int argc, char **argv)
{
    gid_t g[MAX_GROUPS];
    unsigned long uid;
    size_t n;
    int k = argc < 4 ? -1 : number(argv[1], &uid);

    if (k < 0 || argv[1][k] || groups(argv[2], g, &n) < 0) {
        fprintf(stderr, "usage: runas UID GID[,GID...] COMMAND [ARG...]\n");
        return 127;
    }
    if (setgroups(n - 1, g + 1) < 0 || setgid(g[0]) < 0 ||
        setuid((uid_t)uid) < 0) {
        fprintf(stderr, "runas: %s\n", strerror(errno));
        return 127;
    }
    execvp(argv[3], argv + 3);
    fprintf(stderr, "runas: %s: %s\n", argv[3], strerror(errno));
    return 127;
}
