/* mqtt-sensor: MQTT 3.1.1 packet writers and a strict reader (see mqtt.h). */
#include <errno.h>
#include <string.h>

#include "mqtt.h"

int mqtt_remlen_put(uint8_t *p, uint32_t v)
{
    int n = 0;

    do {
        p[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v)
            p[n] |= 0x80;
        n++;
    } while (v && n < 4);
    return n;
}

int mqtt_remlen_get(const uint8_t *p, size_t n, uint32_t *v)
{
    uint32_t x = 0;

    for (size_t i = 0; i < 4; i++) {
        if (i == n)
            return 0;
        x |= (uint32_t)(p[i] & 0x7f) << (7 * i);
        if (p[i] & 0x80)
            continue;
        if (i > 0 && p[i] == 0) /* not the shortest form */
            return -EPROTO;
        *v = x;
        return (int)i + 1;
    }
    return -EPROTO; /* a fifth byte */
}

static uint8_t *put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}

static uint8_t *putstr(uint8_t *p, const char *s, size_t n)
{
    p = put16(p, (uint16_t)n);
    memcpy(p, s, n);
    return p + n;
}

/* The fixed header: the packet's total length, 0 if it is over cap. */
static size_t header(uint8_t *buf, size_t cap, uint8_t first, size_t rem,
                     uint8_t **body)
{
    uint8_t len[4];
    int n;

    if (rem > MQTT_REMLEN_MAX)
        return 0;
    n = mqtt_remlen_put(len, (uint32_t)rem);
    if (1 + (size_t)n + rem > cap)
        return 0;
    buf[0] = first;
    memcpy(buf + 1, len, (size_t)n);
    *body = buf + 1 + n;
    return 1 + (size_t)n + rem;
}

size_t mqtt_connect(uint8_t *buf, size_t cap, const struct mqtt_connect *c)
{
    size_t id = c->id ? strnlen(c->id, MQTT_ID_MAX + 1) : 0;
    uint8_t *p;
    size_t n;

    if (id == 0 || id > MQTT_ID_MAX)
        return 0;
    n = header(buf, cap, MQTT_CONNECT << 4, 10 + 2 + id, &p);
    if (!n)
        return 0;
    p = putstr(p, "MQTT", 4);
    *p++ = 4;                      /* protocol level: 3.1.1 */
    *p++ = c->clean ? 0x02 : 0x00; /* no will, user name or password */
    p = put16(p, c->keepalive);
    putstr(p, c->id, id);
    return n;
}

/* A topic name a client may publish to: no wildcards, no NUL. */
static size_t topic_len(const char *t)
{
    size_t n = t ? strnlen(t, MQTT_TOPIC_MAX + 1) : 0;

    if (n == 0 || n > MQTT_TOPIC_MAX || strpbrk(t, "+#"))
        return 0;
    return n;
}

size_t mqtt_publish(uint8_t *buf, size_t cap, const char *topic,
                    const void *payload, size_t len, uint16_t id, int dup)
{
    size_t t = topic_len(topic);
    uint8_t first = MQTT_PUBLISH << 4 | 1 << 1; /* QoS 1, no retain */
    uint8_t *p;
    size_t n;

    if (!t || !id || len > MQTT_REMLEN_MAX - 4 - t)
        return 0;
    n = header(buf, cap, first | (dup ? 1 << 3 : 0), 2 + t + 2 + len, &p);
    if (!n)
        return 0;
    p = putstr(p, topic, t);
    p = put16(p, id);
    if (len)
        memcpy(p, payload, len);
    return n;
}

static size_t empty(uint8_t *buf, size_t cap, enum mqtt_type type)
{
    if (cap < 2)
        return 0;
    buf[0] = (uint8_t)(type << 4);
    buf[1] = 0;
    return 2;
}

size_t mqtt_pingreq(uint8_t *buf, size_t cap)
{
    return empty(buf, cap, MQTT_PINGREQ);
}

size_t mqtt_disconnect(uint8_t *buf, size_t cap)
{
    return empty(buf, cap, MQTT_DISCONNECT);
}

/* The remaining length each packet type must have; -1: not accepted. */
static int body_len(uint8_t first)
{
    switch (first) {
    case MQTT_CONNACK << 4: return 2;
    case MQTT_PUBACK << 4: return 2;
    case MQTT_PINGRESP << 4: return 0;
    default: return -1;
    }
}

static int body(const uint8_t *b, struct mqtt_pkt *p)
{
    switch (p->type) {
    case MQTT_CONNACK:
        if (b[0] & 0xfe || b[1] > 5) /* reserved flags, unknown code */
            return -EPROTO;
        if (b[1] != 0 && b[0]) /* a refusal has no session */
            return -EPROTO;
        p->session = b[0];
        p->code = b[1];
        return 0;
    case MQTT_PUBACK:
        p->id = (uint16_t)(b[0] << 8 | b[1]);
        return p->id ? 0 : -EPROTO;
    default: return 0;
    }
}

long mqtt_parse(const uint8_t *buf, size_t len, struct mqtt_pkt *p)
{
    uint32_t rem;
    int want, n;

    if (len == 0)
        return 0;
    if ((want = body_len(buf[0])) < 0)
        return -EPROTO;
    if (len > 1 && buf[1] & 0x80) /* 128 or more: no packet we take */
        return -EPROTO;
    if ((n = mqtt_remlen_get(buf + 1, len - 1, &rem)) <= 0)
        return n;
    if (rem != (uint32_t)want)
        return -EPROTO;
    if (len < 1 + (size_t)n + rem)
        return 0;
    memset(p, 0, sizeof(*p));
    p->type = (enum mqtt_type)(buf[0] >> 4);
    if (body(buf + 1 + n, p) < 0)
        return -EPROTO;
    return 1 + n + (long)rem;
}

const char *mqtt_connack_str(unsigned code)
{
    static const char *const s[] = {
        "accepted",
        "refused: unacceptable protocol version",
        "refused: identifier rejected",
        "refused: server unavailable",
        "refused: bad user name or password",
        "refused: not authorized",
    };

    return code < sizeof(s) / sizeof(s[0]) ? s[code] : "refused: unknown code";
}
