/* mqtt-sensor: its key=value arguments. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "mqtt.h"

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

static int yesno(const char *s, int *v)
{
    if (!strcmp(s, "yes") || !strcmp(s, "no")) {
        *v = !strcmp(s, "yes");
        return 0;
    }
    return -EINVAL;
}

/* A client id brokers must take: letters, digits, '-' and '_'. */
static int client_id(const char *s)
{
    size_t n = strlen(s);

    return n && n <= MQTT_ID_MAX &&
                   strspn(s, "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789-_") == n
               ? 0
               : -EINVAL;
}

static int topic(const char *s)
{
    size_t n = strlen(s);

    return n && n <= MQTT_TOPIC_MAX && !strpbrk(s, "+#") ? 0 : -EINVAL;
}

static int file(const char *s, const char **v)
{
    *v = s;
    return *s ? 0 : -EINVAL;
}

static int one(struct args *a, const char *s, int *have_port)
{
    const char *v = strchr(s, '=');
    size_t k = v ? (size_t)(v - s) : 0;
    uint64_t x;

#define KEY(name) (k == sizeof(name) - 1 && !strncmp(s, name, k))
    if (!v)
        return -EINVAL;
    v++;
    if (KEY("broker"))
        return file(v, &a->broker);
    if (KEY("port")) {
        *have_port = 1;
        if (num(v, 1, 65535, &x) < 0)
            return -EINVAL;
        a->port = (unsigned)x;
        return 0;
    }
    if (KEY("topic"))
        return topic(a->topic = v);
    if (KEY("id"))
        return client_id(a->id = v);
    if (KEY("interval"))
        return num(v, 1, 86400000, &a->interval);
    if (KEY("count"))
        return num(v, 0, UINT64_MAX, &a->count);
    if (KEY("keepalive")) {
        if (num(v, 1, 65535, &x) < 0)
            return -EINVAL;
        a->keepalive = (unsigned)x;
        return 0;
    }
    if (KEY("queue")) {
        if (num(v, 32, 100000, &x) < 0) /* over twice the send window */
            return -EINVAL;
        a->queue = (size_t)x;
        return 0;
    }
    if (KEY("ca"))
        return file(v, &a->ca);
    if (KEY("cert"))
        return file(v, &a->cert);
    if (KEY("key"))
        return file(v, &a->key);
    if (KEY("verify"))
        return yesno(v, &a->verify);
    if (KEY("tls"))
        return yesno(v, &a->tls);
#undef KEY
    return -EINVAL;
}

int args_parse(int argc, char **argv, struct args *a)
{
    int have_port = 0;

    memset(a, 0, sizeof(*a));
    a->topic = "mote/sensor";
    a->id = "mote-sensor";
    a->interval = 1000;
    a->keepalive = 30;
    a->queue = 100;
    a->ca = "/tls/ca.crt";
    a->verify = a->tls = 1;
    for (int i = 1; i < argc; i++)
        if (one(a, argv[i], &have_port) < 0) {
            a->bad = argv[i];
            return -EINVAL;
        }
    if (!a->broker)
        a->bad = "broker= is required";
    else if (!a->cert != !a->key)
        a->bad = "cert= and key= go together";
    if (a->bad)
        return -EINVAL;
    if (!have_port)
        a->port = a->tls ? 8883 : 1883;
    return 0;
}
