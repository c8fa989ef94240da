/* mqtt-sensor: its arguments and its queue of readings waiting for a PUBACK. */
#ifndef APP_H
#define APP_H

#include <stddef.h>
#include <stdint.h>

struct args {
    const char *broker; /* broker=NAME|ADDRESS (required) */
    unsigned port;      /* port=N, default 8883 (1883 with tls=no) */
    const char *topic;  /* topic=T, default mote/sensor */
    const char *id;     /* id=CLIENTID, default mote-sensor */
    uint64_t interval;  /* interval=MS between readings, default 1000 */
    uint64_t count;     /* count=N readings acknowledged, then exit; 0: ever */
    unsigned keepalive; /* keepalive=S, 1 to 65535, default 30 */
    size_t queue;       /* queue=N readings held at most, default 100 */
    const char *ca;     /* ca=FILE, default /tls/ca.crt */
    const char *cert;   /* cert=FILE and key=FILE: a client certificate */
    const char *key;
    int verify;      /* verify=yes|no */
    int tls;         /* tls=yes|no */
    const char *bad; /* on -EINVAL: what is wrong */
};

/* Parse argv[1..]: 0, or -EINVAL with a->bad set. */
int args_parse(int argc, char **argv, struct args *a);

#define READING_MAX 96 /* payload bytes */

struct reading {
    uint64_t seq;
    uint16_t id;   /* MQTT packet id once sent, 0: never sent */
    uint8_t acked; /* PUBACK received (it leaves from the head, in order) */
    uint8_t len;
    char text[READING_MAX];
};

/*
 * The readings not yet acknowledged, oldest first. Sent readings are
 * always a prefix (they are sent in order); at the limit the oldest reading
 * never sent is dropped, so sent ones keep their place and id.
 */
struct queue {
    struct reading *r;
    size_t cap, head, n;
};

int queue_init(struct queue *q, size_t cap); /* 0 or -ENOMEM */
void queue_free(struct queue *q);
struct reading *queue_at(struct queue *q, size_t i); /* i: 0 is oldest */

/* Add r at the tail. When full, first drop the oldest reading never sent:
 * 1 and its seq in *dropped; 0 if nothing was dropped; -ENOSPC if every
 * reading held has been sent (never when cap is over the send window). */
int queue_push(struct queue *q, const struct reading *r, uint64_t *dropped);

/* PUBACK id for one of the first n readings: mark it, then remove the
 * acknowledged readings at the head; how many were removed, or -ENOENT
 * when no unacknowledged reading among the first n has that id. */
int queue_ack(struct queue *q, size_t n, uint16_t id);

/* A reading's payload: {"id":"ID","seq":N,"temp":T}, deterministic. */
void reading_make(struct reading *r, const char *id, uint64_t seq);

#endif
