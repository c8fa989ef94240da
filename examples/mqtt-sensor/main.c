/*
 * mqtt-sensor: publishes readings to an MQTT 3.1.1 broker over TLS, QoS 1.
 *   mqtt-sensor broker=HOST [port=8883] [topic=mote/sensor] [id=ID]
 *       [interval=MS] [count=N] [keepalive=S] [queue=N] [ca=/tls/ca.crt]
 *       [cert=FILE key=FILE] [verify=no] [tls=no]
 * One thread, one poll() loop: a reading every interval, queued until its
 * PUBACK; reconnects with capped, jittered exponential back-off, re-sending
 * what was not acknowledged (DUP, same packet id, in order).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "mqtt.h"
#include "tls.h"

#define WINDOW 16          /* PUBLISHes awaiting their PUBACK at once */
#define IO_TIMEOUT 10000   /* ms for TCP connect, TLS handshake, CONNACK */
#define BACKOFF_MIN 500    /* ms, doubled after each failure ... */
#define BACKOFF_MAX 30000  /* ... up to this */
#define CLOSE_TIMEOUT 2000 /* ms to send DISCONNECT at the end */

enum state { DOWN, CONNECTING, HANDSHAKE, CONNACK_WAIT, UP };

struct app {
    struct args a;
    struct queue q;
    struct link link;
    enum state st;
    uint64_t deadline; /* DOWN: next attempt; before UP: give up */
    uint64_t backoff;  /* ms */
    unsigned attempt;
    uint8_t in[16];
    size_t inlen;
    uint8_t out[2048];
    size_t outlen;
    size_t nsent;              /* queued readings sent on this connection */
    uint64_t last_rx, last_tx; /* last packet received, bytes sent */
    int ping;                  /* a PINGREQ awaits its PINGRESP */
    uint64_t next_reading;     /* when to take the next one */
    uint64_t taken, acked, dropped, resent;
    uint16_t next_id;
};

static uint64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* The next attempt: half the back-off plus a random part of the other
 * half, then the back-off doubles (capped). */
static void schedule(struct app *p)
{
    uint64_t half = p->backoff / 2;
    uint64_t wait = half + link_random(&p->link) % (half + 1);

    p->deadline = now_ms() + wait;
    p->backoff = p->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : p->backoff * 2;
    printf("; next attempt in %.1f s\n", (double)wait / 1000);
}

/* Close the connection and log why, in one line with the next attempt. */
static void down(struct app *p, const char *why)
{
    if (p->st == UP)
        printf("mqtt-sensor: connection lost: %s (%zu unacknowledged)", why,
               p->q.n < p->nsent ? p->q.n : p->nsent);
    else
        printf("mqtt-sensor: attempt %u to %s port %u failed: %s", p->attempt,
               p->a.broker, p->a.port, why);
    link_close(&p->link);
    p->st = DOWN;
    p->inlen = p->outlen = 0;
    p->nsent = 0;
    p->ping = 0;
    schedule(p);
}

static void take_reading(struct app *p)
{
    struct reading r;
    uint64_t lost;

    reading_make(&r, p->a.id, ++p->taken);
    if (queue_push(&p->q, &r, &lost) == 1) {
        p->dropped++;
        printf("mqtt-sensor: queue full (%zu): dropped reading seq=%llu\n",
               p->q.cap, (unsigned long long)lost);
    }
}

/* Resolve the broker and start a non-blocking TCP connect. */
static void attempt(struct app *p)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
    char port[8], why[128];
    int fd, rc;

    p->attempt++;
    snprintf(port, sizeof(port), "%u", p->a.port);
    if ((rc = getaddrinfo(p->a.broker, port, &hints, &ai))) {
        snprintf(why, sizeof(why), "resolving: %s", gai_strerror(rc));
        return down(p, why);
    }
    fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
        (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
         errno != EINPROGRESS)) {
        snprintf(why, sizeof(why), "connect: %s", strerror(errno));
        freeaddrinfo(ai);
        if (fd >= 0)
            close(fd);
        return down(p, why);
    }
    freeaddrinfo(ai);
    p->link.fd = fd;
    p->st = CONNECTING;
    p->deadline = now_ms() + IO_TIMEOUT;
}

static void send_connect(struct app *p)
{
    struct mqtt_connect c = {
        .id = p->a.id,
        .keepalive = (uint16_t)p->a.keepalive,
        .clean = 0, /* the session (and our re-sent packet ids) persists */
    };

    p->outlen = mqtt_connect(p->out, sizeof(p->out), &c);
    p->st = CONNACK_WAIT;
    p->deadline = now_ms() + IO_TIMEOUT;
}

static void connected(struct app *p)
{
    int err = 0, rc;
    socklen_t len = sizeof(err);

    if (getsockopt(p->link.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err) {
        char why[96];

        snprintf(why, sizeof(why), "connect: %s", strerror(err));
        return down(p, why);
    }
    if ((rc = link_start(&p->link, p->link.fd, p->a.broker)) < 0)
        return down(p, p->link.err);
    p->st = HANDSHAKE;
}

static void handshake(struct app *p)
{
    int rc = link_handshake(&p->link);

    if (rc == 0)
        send_connect(p);
    else if (rc != -EAGAIN)
        down(p, p->link.err);
}

static void connack(struct app *p, const struct mqtt_pkt *k)
{
    char why[80];

    if (k->code) {
        snprintf(why, sizeof(why), "broker %s", mqtt_connack_str(k->code));
        return down(p, why);
    }
    p->st = UP;
    p->nsent = 0;
    printf("mqtt-sensor: attempt %u to %s port %u: connected (%s), "
           "session present %u, %zu readings queued\n",
           p->attempt, p->a.broker, p->a.port, link_info(&p->link), k->session,
           p->q.n);
}

/* One packet from the broker; 0, or -EPROTO after down(). */
static int packet(struct app *p, const struct mqtt_pkt *k)
{
    int gone;

    if (p->st == CONNACK_WAIT && k->type == MQTT_CONNACK) {
        connack(p, k);
        return p->st == UP ? 0 : -EPROTO;
    }
    if (p->st == UP && k->type == MQTT_PUBACK &&
        (gone = queue_ack(&p->q, p->nsent, k->id)) >= 0) {
        p->nsent -= (size_t)gone;
        p->acked += (uint64_t)gone;
        p->backoff = BACKOFF_MIN; /* this broker works */
        return 0;
    }
    if (p->st == UP && k->type == MQTT_PINGRESP && p->ping) {
        p->ping = 0;
        p->backoff = BACKOFF_MIN;
        return 0;
    }
    down(p, k->type == MQTT_PUBACK ? "PUBACK for no PUBLISH in flight"
                                   : "unexpected packet from the broker");
    return -EPROTO;
}

/* Read what the broker sent and act on each whole packet. */
static void receive(struct app *p)
{
    struct mqtt_pkt k;
    long n;

    for (;;) {
        n = link_read(&p->link, p->in + p->inlen, sizeof(p->in) - p->inlen);
        if (n == -EAGAIN)
            return;
        if (n <= 0)
            return down(p, n == 0 ? "the broker closed the connection"
                                  : p->link.err);
        p->inlen += (size_t)n;
        while ((n = mqtt_parse(p->in, p->inlen, &k)) > 0) {
            p->last_rx = now_ms();
            memmove(p->in, p->in + n, p->inlen - (size_t)n);
            p->inlen -= (size_t)n;
            if (packet(p, &k) < 0)
                return;
        }
        if (n < 0)
            return down(p, "malformed packet from the broker");
    }
}

/* Queue PUBLISHes up to the window, and a PINGREQ when idle. */
static void fill(struct app *p)
{
    uint64_t ka = (uint64_t)p->a.keepalive * 1000, now = now_ms();
    struct reading *r;
    size_t n;

    while (p->nsent < p->q.n && p->nsent < WINDOW) {
        r = queue_at(&p->q, p->nsent);
        int dup = r->id != 0;

        if (!dup && !(r->id = ++p->next_id))
            r->id = ++p->next_id; /* ids wrap, skipping 0 */
        n = mqtt_publish(p->out + p->outlen, sizeof(p->out) - p->outlen,
                         p->a.topic, r->text, r->len, r->id, dup);
        if (!n)
            return; /* no room: after the next write */
        p->outlen += n;
        p->nsent++;
        p->resent += (uint64_t)dup;
    }
    if (!p->ping && (now - p->last_tx >= ka || now - p->last_rx >= ka) &&
        (n = mqtt_pingreq(p->out + p->outlen, sizeof(p->out) - p->outlen))) {
        p->outlen += n;
        p->ping = 1;
    }
}

static void flush(struct app *p)
{
    long n;

    while (p->outlen) {
        n = link_write(&p->link, p->out, p->outlen);
        if (n == -EAGAIN)
            return;
        if (n <= 0)
            return down(p, n == 0 ? "send: nothing written" : p->link.err);
        memmove(p->out, p->out + n, p->outlen - (size_t)n);
        p->outlen -= (size_t)n;
        p->last_tx = now_ms();
    }
}

/* Time limits: connection steps, and 1.5 keep-alives without a packet. */
static void timers(struct app *p, uint64_t now)
{
    uint64_t dead = (uint64_t)p->a.keepalive * 1500;
    char why[96];

    if (p->st == DOWN && now >= p->deadline)
        attempt(p);
    else if (p->st != DOWN && p->st != UP && now >= p->deadline)
        down(p, p->st == CONNECTING  ? "TCP connect timed out"
                : p->st == HANDSHAKE ? "TLS handshake timed out"
                                     : "no CONNACK in time");
    else if (p->st == UP && now - p->last_rx >= dead) {
        snprintf(why, sizeof(why), "nothing from the broker for %.1f s",
                 (double)dead / 1000);
        down(p, why);
    }
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* How long poll() may sleep, in ms. */
static int sleep_ms(struct app *p, uint64_t now, int taking)
{
    uint64_t ka = (uint64_t)p->a.keepalive * 1000, t = now + 60000;

    if (taking)
        t = earliest(t, p->next_reading);
    if (p->st != UP)
        t = earliest(t, p->deadline);
    else {
        t = earliest(t, p->last_rx + ka * 3 / 2);
        if (!p->ping)
            t = earliest(t, earliest(p->last_tx, p->last_rx) + ka);
    }
    return t <= now ? 0 : (int)(t - now);
}

static short events(struct app *p)
{
    switch (p->st) {
    case CONNECTING: return POLLOUT;
    case HANDSHAKE: return p->link.want;
    case CONNACK_WAIT:
    case UP:
        return (short)(POLLIN | (p->outlen ? POLLOUT : 0) |
                       (p->link.wpend ? p->link.want : 0));
    default: return 0;
    }
}

/* One turn of the loop: wait, then move every part along. */
static void step(struct app *p, int taking)
{
    struct pollfd pfd = { .fd = p->link.fd, .events = events(p) };
    uint64_t now = now_ms();
    int rc;

    rc = poll(&pfd, p->st == DOWN ? 0 : 1, sleep_ms(p, now, taking));
    if (rc < 0 && errno != EINTR)
        perror("mqtt-sensor: poll");
    now = now_ms();
    if (taking && now >= p->next_reading) {
        take_reading(p);
        p->next_reading += p->a.interval;
        if (p->next_reading <= now) /* late: skip, do not burst */
            p->next_reading = now + p->a.interval;
    }
    if (p->st == CONNECTING && pfd.revents)
        connected(p);
    if (p->st == HANDSHAKE)
        handshake(p);
    if (p->st == CONNACK_WAIT || p->st == UP)
        receive(p);
    if (p->st == UP)
        fill(p);
    if (p->st == CONNACK_WAIT || p->st == UP)
        flush(p);
    timers(p, now_ms());
}

/* count= reached and all acknowledged: DISCONNECT, briefly. */
static void finish(struct app *p)
{
    uint64_t end = now_ms() + CLOSE_TIMEOUT;
    struct pollfd pfd = { .fd = p->link.fd, .events = POLLOUT };

    if (p->st == UP) {
        p->outlen = mqtt_disconnect(p->out, sizeof(p->out));
        while (p->outlen && p->st == UP && now_ms() < end) {
            flush(p);
            if (p->outlen && p->st == UP)
                poll(&pfd, 1, (int)(end - now_ms()));
        }
        link_close(&p->link);
    }
    printf("mqtt-sensor: done: %llu readings, %llu acknowledged, "
           "%llu dropped, %llu re-sent\n",
           (unsigned long long)p->taken, (unsigned long long)p->acked,
           (unsigned long long)p->dropped, (unsigned long long)p->resent);
}

static void banner(const struct args *a)
{
    printf("mqtt-sensor: publishing to %s port %u, topic %s, as %s, "
           "every %llu ms\n",
           a->broker, a->port, a->topic, a->id,
           (unsigned long long)a->interval);
    if (!a->tls)
        printf("mqtt-sensor: WARNING: tls=no: plain MQTT, readings travel "
               "unencrypted and the broker is not authenticated\n");
    else if (!a->verify)
        printf("mqtt-sensor: WARNING: verify=no: the broker's certificate "
               "is NOT checked: anyone on the path can pose as the broker "
               "and read every reading\n");
}

int main(int argc, char **argv)
{
    static struct app app;
    struct app *p = &app;
    struct tls_cfg tc;

    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    if (args_parse(argc, argv, &p->a) < 0) {
        fprintf(stderr, "mqtt-sensor: bad argument: %s\n", p->a.bad);
        return 2;
    }
    tc = (struct tls_cfg){ .on = p->a.tls,
                           .verify = p->a.verify,
                           .ca = p->a.ca,
                           .cert = p->a.cert,
                           .key = p->a.key };
    if (link_setup(&p->link, &tc) < 0 || queue_init(&p->q, p->a.queue) < 0) {
        fprintf(stderr, "mqtt-sensor: %s\n",
                p->link.err[0] ? p->link.err : "out of memory");
        return 1;
    }
    banner(&p->a);
    p->backoff = BACKOFF_MIN;
    p->next_reading = p->deadline = now_ms();
    while (!p->a.count || p->taken < p->a.count || p->q.n)
        step(p, !p->a.count || p->taken < p->a.count);
    finish(p);
    queue_free(&p->q);
    link_teardown(&p->link);
    return 0;
}
