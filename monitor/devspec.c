/* Device options of `mote run`: --disk NAME=FILE[,ro], --net NAME=TAP[,mac=M].
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "devspec.h"
#include "err.h"

int mac_parse(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    char end;

    if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1],
                                  &v[2], &v[3], &v[4], &v[5], &end) != 6)
        return -EINVAL;
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)s[3 * i]) ||
            !isxdigit((unsigned char)s[3 * i + 1]))
            return -EINVAL;
        mac[i] = (uint8_t)v[i];
    }
    if (mac[0] & 1)
        return -EINVAL; /* multicast: not a station address */
    return 0;
}

static int valid_name(const char *s, size_t n)
{
    if (n == 0 || n >= sizeof(((struct devspec *)0)->name))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
            return 0;
    return 1;
}

static int parse_flag(uint32_t kind, const char *f, struct devspec *d)
{
    if (kind == MOTE_DEV_BLOCK && !strcmp(f, "ro")) {
        d->ro = 1;
        return 0;
    }
    if (kind == MOTE_DEV_NET && !strncmp(f, "mac=", 4)) {
        if (mac_parse(f + 4, d->mac) < 0)
            return err_set(EINVAL,
                           "--net: bad MAC address '%s' (want "
                           "aa:bb:cc:dd:ee:ff, not multicast)",
                           f + 4);
        d->has_mac = 1;
        return 0;
    }
    return err_set(EINVAL, "%s: unknown flag '%s'",
                   kind == MOTE_DEV_NET ? "--net" : "--disk", f);
}

int devspec_parse(uint32_t kind, const char *s, struct devspec *d)
{
    const char *opt = kind == MOTE_DEV_NET ? "--net" : "--disk";
    const char *eq = strchr(s, '='), *comma;
    size_t n;

    memset(d, 0, sizeof(*d));
    d->kind = kind;
    if (!eq || !valid_name(s, (size_t)(eq - s)))
        return err_set(EINVAL,
                       "%s: want NAME=%s with NAME of letters, "
                       "digits, '-', '_', '.' (got '%s')",
                       opt, kind == MOTE_DEV_NET ? "TAP" : "FILE", s);
    memcpy(d->name, s, (size_t)(eq - s));
    comma = strchr(eq + 1, ',');
    n = comma ? (size_t)(comma - eq - 1) : strlen(eq + 1);
    if (n == 0 || n >= sizeof(d->target))
        return err_set(EINVAL, "%s: missing or overlong %s in '%s'", opt,
                       kind == MOTE_DEV_NET ? "interface" : "file", s);
    memcpy(d->target, eq + 1, n);
    while (comma) {
        char flag[64];
        const char *next = strchr(comma + 1, ',');
        size_t fl = next ? (size_t)(next - comma - 1) : strlen(comma + 1);
        int rc;

        if (fl >= sizeof(flag))
            return err_set(EINVAL, "%s: flag too long in '%s'", opt, s);
        memcpy(flag, comma + 1, fl);
        flag[fl] = '\0';
        if ((rc = parse_flag(kind, flag, d)) < 0)
            return rc;
        comma = next;
    }
    return 0;
}
