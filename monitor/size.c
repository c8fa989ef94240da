/* Parsing sizes given on the command line ("64M", "1G", "512"), and
 * saying them back. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "boot.h"

static int suffix_shift(const char *s, unsigned *shift)
{
    switch (toupper((unsigned char)*s)) {
    case 'K': *shift = 10; break;
    case 'M': *shift = 20; break;
    case 'G': *shift = 30; break;
    default: return -EINVAL;
    }
    s++;
    if (*s == '\0' || strcasecmp(s, "iB") == 0 || strcasecmp(s, "B") == 0)
        return 0;
    return -EINVAL;
}

/* A bare number is 1 << bare bytes. */
static int parse(const char *s, unsigned bare, uint64_t *out)
{
    unsigned long long v;
    unsigned shift = bare;
    char *end;

    if (!s || !isdigit((unsigned char)*s))
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || (*end && suffix_shift(end, &shift) < 0))
        return -EINVAL;
    if (v > (UINT64_MAX >> shift))
        return -EINVAL;
    *out = (uint64_t)v << shift;
    return 0;
}

int size_parse(const char *s, uint64_t *out)
{
    return parse(s, 20, out);
}

int size_parse_bytes(const char *s, uint64_t *out)
{
    return parse(s, 0, out);
}

void size_str(uint64_t v, char *buf, size_t size)
{
    static const char *const unit[] = { "GiB", "MiB", "KiB" };

    for (unsigned i = 0; i < 3; i++) {
        unsigned shift = 30 - 10 * i;

        if (v && v % (1ULL << shift) == 0) {
            snprintf(buf, size, "%llu %s", (unsigned long long)(v >> shift),
                     unit[i]);
            return;
        }
    }
    snprintf(buf, size, "%llu byte%s", (unsigned long long)v,
             v == 1 ? "" : "s");
}
