/* mqtt-sensor: the MQTT 3.1.1 packets a publishing client needs, by hand. */
#ifndef MQTT_H
#define MQTT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Hand-written rather than a library: Debian's MQTT clients (paho.mqtt.c,
 * libmosquitto) are tied to OpenSSL and to threads, and lwIP's MQTT client
 * is written against lwIP's raw API, not sockets. A QoS 1 publisher needs
 * seven packet types, and checking every byte the broker sends is easier
 * to see in 200 lines than in a general client.
 */

enum mqtt_type {
    MQTT_CONNECT = 1,
    MQTT_CONNACK = 2,
    MQTT_PUBLISH = 3,
    MQTT_PUBACK = 4,
    MQTT_PINGREQ = 12,
    MQTT_PINGRESP = 13,
    MQTT_DISCONNECT = 14,
};

#define MQTT_REMLEN_MAX 268435455u /* four bytes of remaining length */
#define MQTT_ID_MAX 64             /* client id, bytes */
#define MQTT_TOPIC_MAX 256         /* topic name, bytes */

struct mqtt_connect {
    const char *id;     /* client id, 1 to MQTT_ID_MAX bytes */
    uint16_t keepalive; /* seconds */
    int clean;          /* clean session */
};

/* A packet from the broker. */
struct mqtt_pkt {
    enum mqtt_type type;
    uint8_t session; /* CONNACK: session present */
    uint8_t code;    /* CONNACK: return code, 0 accepted */
    uint16_t id;     /* PUBACK: packet identifier */
};

/*
 * The packet writers: the packet's length in buf, or 0 when it does not
 * fit in cap or a field is out of range (empty or long id, empty topic,
 * wildcards or NUL in the topic, packet id 0).
 */
size_t mqtt_connect(uint8_t *buf, size_t cap, const struct mqtt_connect *c);
size_t mqtt_publish(uint8_t *buf, size_t cap, const char *topic,
                    const void *payload, size_t len, uint16_t id, int dup);
size_t mqtt_pingreq(uint8_t *buf, size_t cap);
size_t mqtt_disconnect(uint8_t *buf, size_t cap);

/*
 * The remaining length at p (n bytes): its value in *v and the number of
 * bytes it took (1 to 4); 0 when more bytes are needed; -EPROTO when it is
 * longer than four bytes or not in its shortest form.
 */
int mqtt_remlen_get(const uint8_t *p, size_t n, uint32_t *v);
/* v (at most MQTT_REMLEN_MAX) at p: the bytes it took, 1 to 4. */
int mqtt_remlen_put(uint8_t *p, uint32_t v);

/*
 * One packet from the broker at the start of buf (len bytes): its length
 * when it is complete and valid, 0 when more bytes are needed, -EPROTO when
 * it is anything but a well-formed CONNACK, PUBACK or PINGRESP (the only
 * packets a client that never subscribes may receive). An invalid first
 * byte or length is refused as soon as it arrives.
 */
long mqtt_parse(const uint8_t *buf, size_t len, struct mqtt_pkt *p);

/* The CONNACK return code in words. */
const char *mqtt_connack_str(unsigned code);

#endif
