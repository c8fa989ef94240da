/* Parsing sizes given on the command line ("64M", "1G", "512"). */
#include <ctype.h>
#include <errno.h>
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
