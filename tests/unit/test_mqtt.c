/* mqtt-sensor: the MQTT codec (with hostile broker bytes) and the queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "app.h"
#include "mqtt.h"

static void remlen_round_trip(void **state)
{
    static const uint32_t v[] = { 0,       1,       127,
                                  128,     16383,   16384,
                                  2097151, 2097152, MQTT_REMLEN_MAX };
    static const int len[] = { 1, 1, 1, 2, 2, 3, 3, 4, 4 };
    uint8_t b[4];
    uint32_t got;

    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        assert_int_equal(mqtt_remlen_put(b, v[i]), len[i]);
        assert_int_equal(mqtt_remlen_get(b, 4, &got), len[i]);
        assert_int_equal(got, v[i]);
        assert_int_equal(mqtt_remlen_get(b, (size_t)len[i] - 1, &got), 0);
    }
}

static void remlen_hostile(void **state)
{
    static const uint8_t five[] = { 0xff, 0xff, 0xff, 0xff, 0x01 };
    static const uint8_t long0[] = { 0x80, 0x00 }; /* 0 in two bytes */
    static const uint8_t long1[] = { 0x81, 0x80, 0x00 };
    uint32_t v;

    (void)state;
    assert_int_equal(mqtt_remlen_get(five, 5, &v), -EPROTO);
    assert_int_equal(mqtt_remlen_get(long0, 2, &v), -EPROTO);
    assert_int_equal(mqtt_remlen_get(long1, 3, &v), -EPROTO);
}

static void connect_bytes(void **state)
{
    static const uint8_t want[] = { 0x10, 14,   0, 4,  'M', 'Q', 'T', 'T',
                                    4,    0x02, 0, 30, 0,   2,   'i', 'd' };
    struct mqtt_connect c = { .id = "id", .keepalive = 30, .clean = 1 };
    uint8_t b[64];

    (void)state;
    assert_int_equal(mqtt_connect(b, sizeof(b), &c), sizeof(want));
    assert_memory_equal(b, want, sizeof(want));
    assert_int_equal(mqtt_connect(b, sizeof(want) - 1, &c), 0);
    c.id = "";
    assert_int_equal(mqtt_connect(b, sizeof(b), &c), 0);
}

static void publish_bytes(void **state)
{
    static const uint8_t want[] = { 0x3a, 9,    0,    3,   'a', '/',
                                    'b',  0x12, 0x34, 'h', 'i' };
    uint8_t b[400];

    (void)state;
    assert_int_equal(mqtt_publish(b, sizeof(b), "a/b", "hi", 2, 0x1234, 1),
                     sizeof(want));
    assert_memory_equal(b, want, sizeof(want));
    mqtt_publish(b, sizeof(b), "a/b", "hi", 2, 0x1234, 0);
    assert_int_equal(b[0], 0x32); /* no DUP */
    assert_int_equal(mqtt_publish(b, sizeof(b), "a/+", "x", 1, 1, 0), 0);
    assert_int_equal(mqtt_publish(b, sizeof(b), "a/#", "x", 1, 1, 0), 0);
    assert_int_equal(mqtt_publish(b, sizeof(b), "", "x", 1, 1, 0), 0);
    assert_int_equal(mqtt_publish(b, sizeof(b), "a", "x", 1, 0, 0), 0);
    assert_int_equal(mqtt_publish(b, 6, "a/b", "hi", 2, 1, 0), 0);
    /* a 200-byte payload takes two bytes of remaining length */
    assert_int_equal(mqtt_publish(b, sizeof(b), "t", b + 200, 200, 1, 0),
                     3 + 3 + 2 + 200);
    assert_int_equal(b[1], 0x80 | (205 & 0x7f));
    assert_int_equal(b[2], 1);
}

static void small_packets(void **state)
{
    uint8_t b[2];

    (void)state;
    assert_int_equal(mqtt_pingreq(b, 2), 2);
    assert_int_equal(b[0], 0xc0);
    assert_int_equal(b[1], 0);
    assert_int_equal(mqtt_disconnect(b, 2), 2);
    assert_int_equal(b[0], 0xe0);
    assert_int_equal(mqtt_disconnect(b, 1), 0);
}

static void parse_good(void **state)
{
    static const uint8_t in[] = { 0x20, 2, 1, 0, 0x40, 2, 0xbe, 0xef, 0xd0, 0 };
    struct mqtt_pkt p;

    (void)state;
    assert_int_equal(mqtt_parse(in, sizeof(in), &p), 4);
    assert_int_equal(p.type, MQTT_CONNACK);
    assert_int_equal(p.session, 1);
    assert_int_equal(p.code, 0);
    assert_int_equal(mqtt_parse(in + 4, 6, &p), 4);
    assert_int_equal(p.type, MQTT_PUBACK);
    assert_int_equal(p.id, 0xbeef);
    assert_int_equal(mqtt_parse(in + 8, 2, &p), 2);
    assert_int_equal(p.type, MQTT_PINGRESP);
    for (size_t n = 0; n < 4; n++) /* a packet in pieces: wait */
        assert_int_equal(mqtt_parse(in, n, &p), 0);
    assert_int_equal(mqtt_parse((const uint8_t[]){ 0x20, 2, 0, 5 }, 4, &p), 4);
    assert_int_equal(p.code, 5);
}

/* Each of these is refused; a bad first byte alone already is. */
static void parse_hostile(void **state)
{
    static const struct {
        uint8_t b[6];
        size_t n;
    } bad[] = {
        { { 0x30, 5, 0, 1, 't', 'x' }, 6 }, /* PUBLISH: never subscribed */
        { { 0x90, 3, 0, 1, 0 }, 5 },        /* SUBACK */
        { { 0x10 }, 1 },                    /* CONNECT, from a broker */
        { { 0x00 }, 1 },                    /* type 0 */
        { { 0xf0 }, 1 },                    /* type 15 */
        { { 0x22 }, 1 },                    /* CONNACK with flags */
        { { 0x42 }, 1 },                    /* PUBACK with flags */
        { { 0xd1 }, 1 },                    /* PINGRESP with flags */
        { { 0x20, 3 }, 2 },                 /* CONNACK of 3 bytes */
        { { 0x20, 0x80 }, 2 },              /* a long length */
        { { 0x20, 0xff, 0xff, 0xff }, 4 },  /* a huge length */
        { { 0x20, 2, 0x02, 0 }, 4 },        /* reserved ack flags */
        { { 0x20, 2, 0x01, 5 }, 4 },        /* refused, with a session */
        { { 0x20, 2, 0, 6 }, 4 },           /* unknown return code */
        { { 0x40, 2, 0, 0 }, 4 },           /* PUBACK for id 0 */
        { { 0x40, 1, 0 }, 3 },              /* short PUBACK */
        { { 0xd0, 1, 0 }, 3 },              /* PINGRESP with a body */
    };
    struct mqtt_pkt p;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(mqtt_parse(bad[i].b, bad[i].n, &p), -EPROTO);
        if (bad[i].n > 2)
            assert_int_equal(mqtt_parse(bad[i].b, bad[i].n - 1, &p) <= 0, 1);
    }
}

/* Three-byte strings (every 7th of them): refused, incomplete, or a valid
 * packet that the parser's own rules allow; never beyond the input. */
static void parse_all_short(void **state)
{
    struct mqtt_pkt p;
    uint8_t b[3];
    long n;

    (void)state;
    for (uint32_t x = 0; x < 1u << 24; x += 7) {
        b[0] = (uint8_t)x, b[1] = (uint8_t)(x >> 8), b[2] = (uint8_t)(x >> 16);
        n = mqtt_parse(b, 3, &p);
        assert_true(n == -EPROTO || n == 0 || n == 2);
        if (n == 2)
            assert_true(b[0] == 0xd0 && b[1] == 0);
    }
}

static void queue_order_and_limit(void **state)
{
    struct queue q;
    struct reading r;
    uint64_t lost = 0;

    (void)state;
    assert_int_equal(queue_init(&q, 4), 0);
    for (uint64_t s = 1; s <= 4; s++) {
        reading_make(&r, "t", s);
        assert_int_equal(queue_push(&q, &r, &lost), 0);
    }
    queue_at(&q, 0)->id = 10; /* 1 and 2 sent */
    queue_at(&q, 1)->id = 11;
    reading_make(&r, "t", 5);
    assert_int_equal(queue_push(&q, &r, &lost), 1);
    assert_int_equal(lost, 3); /* the oldest never sent */
    assert_int_equal(queue_at(&q, 2)->seq, 4);
    assert_int_equal(queue_at(&q, 3)->seq, 5);
    assert_int_equal(queue_ack(&q, 2, 11), 0); /* out of order: held */
    assert_int_equal(queue_ack(&q, 2, 11), -ENOENT);
    assert_int_equal(queue_ack(&q, 2, 12), -ENOENT);
    assert_int_equal(queue_ack(&q, 2, 10), 2);
    assert_int_equal(q.n, 2);
    assert_int_equal(queue_at(&q, 0)->seq, 4);
    queue_at(&q, 0)->id = 1;
    queue_at(&q, 1)->id = 2;
    reading_make(&r, "t", 6);
    queue_push(&q, &r, &lost);
    queue_push(&q, &r, &lost);
    queue_at(&q, 2)->id = 3;
    queue_at(&q, 3)->id = 4;
    assert_int_equal(queue_push(&q, &r, &lost), -ENOSPC); /* all sent */
    queue_free(&q);
}

static void reading_text(void **state)
{
    struct reading r;

    (void)state;
    reading_make(&r, "s1", 12);
    assert_string_equal(r.text, "{\"id\":\"s1\",\"seq\":12,\"temp\":24.44}");
    assert_int_equal(r.len, strlen(r.text));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(remlen_round_trip),
        cmocka_unit_test(remlen_hostile),
        cmocka_unit_test(connect_bytes),
        cmocka_unit_test(publish_bytes),
        cmocka_unit_test(small_packets),
        cmocka_unit_test(parse_good),
        cmocka_unit_test(parse_hostile),
        cmocka_unit_test(parse_all_short),
        cmocka_unit_test(queue_order_and_limit),
        cmocka_unit_test(reading_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
