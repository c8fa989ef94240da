/* Device options of `mote run`: --KEYWORD NAME=TARGET[,FLAG...]. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "devkind.h"
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

int devspec_name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= sizeof(((struct devspec *)0)->name))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
            return 0;
    return 1;
}

int devspec_parse(uint32_t kind, const char *s, struct devspec *d)
{
    const struct dev_kind *k = dev_kind_by_id(kind);
    const char *eq = strchr(s, '='), *comma;
    char opt[32];
    size_t n;

    memset(d, 0, sizeof(*d));
    if (!k || !k->keyword)
        return err_set(EINVAL, "device kind %u has no option", kind);
    snprintf(opt, sizeof(opt), "--%s", k->keyword);
    d->kind = kind;
    if (!eq || !devspec_name_ok(s, (size_t)(eq - s)))
        return err_set(EINVAL,
                       "%s: want NAME=%s with NAME of letters, "
                       "digits, '-', '_', '.' (got '%s')",
                       opt, k->target, s);
    memcpy(d->name, s, (size_t)(eq - s));
    comma = strchr(eq + 1, ',');
    n = comma ? (size_t)(comma - eq - 1) : strlen(eq + 1);
    if (n == 0 || n >= sizeof(d->target))
        return err_set(EINVAL, "%s: missing or overlong %s in '%s'", opt,
                       k->target, s);
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
        if (!k->flag)
            return err_set(EINVAL, "%s: '%s' takes no flags (got '%s')", opt,
                           k->keyword, flag);
        if ((rc = k->flag(d, flag)) < 0)
            return rc;
        comma = next;
    }
    return 0;
}
