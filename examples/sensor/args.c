/* sensor: its arguments (collector=, rate=, count=, seed=, name=). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sensor.h"

/* A decimal number, all of s, from lo to hi. */
static int num(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
    char *end;

    if (*s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return *end || errno || *v < lo || *v > hi ? -EINVAL : 0;
}

/* "A.B.C.D:PORT", port 1 to 65535. */
static int addr(const char *s, struct sockaddr_in *sin)
{
    const char *colon = strrchr(s, ':');
    char ip[16];
    uint64_t port;

    if (!colon || (size_t)(colon - s) >= sizeof(ip))
        return -EINVAL;
    memcpy(ip, s, (size_t)(colon - s));
    ip[colon - s] = '\0';
    if (num(colon + 1, 1, 65535, &port) < 0 ||
        inet_pton(AF_INET, ip, &sin->sin_addr) != 1)
        return -EINVAL;
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)port);
    return 0;
}

static int one(struct sensor_args *a, const char *s, int *have_collector)
{
    uint64_t v;

    if (!strncmp(s, "collector=", 10)) {
        *have_collector = 1;
        return addr(s + 10, &a->collector);
    }
    if (!strncmp(s, "rate=", 5)) {
        if (num(s + 5, 1, 1000, &v) < 0)
            return -EINVAL;
        a->rate = (unsigned)v;
        return 0;
    }
    if (!strncmp(s, "count=", 6))
        return num(s + 6, 0, UINT64_MAX, &a->count);
    if (!strncmp(s, "seed=", 5)) {
        a->have_seed = 1;
        return num(s + 5, 0, UINT64_MAX, &a->seed);
    }
    if (!strncmp(s, "name=", 5)) {
        a->name = s + 5;
        return *a->name && strlen(a->name) <= 32 ? 0 : -EINVAL;
    }
    return 0;
}

int sensor_args(int argc, char **argv, struct sensor_args *a)
{
    int have_collector = 0;

    memset(a, 0, sizeof(*a));
    a->rate = 1;
    a->name = "sensor";
    for (int i = 1; i < argc; i++)
        if (one(a, argv[i], &have_collector) < 0) {
            a->bad = argv[i];
            return -EINVAL;
        }
    if (!have_collector) {
        a->bad = "collector= is required";
        return -EINVAL;
    }
    return 0;
}
