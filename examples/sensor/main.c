/*
 * sensor: sends synthetic samples as UDP datagrams to a collector, at a
 * fixed rate, sleeping (and answering ARP and ping) in between.
 *   mote run --net eth0=tap0 sensor.elf -- ip=10.0.0.2/24 \
 *       collector=10.0.0.1:9000 rate=10 [count=N] [seed=N] [name=ID]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <mote/entropy.h>
#include <mote/netcfg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sensor.h"

#define SENSOR_PORT 9000
#define NS 1000000000ull

static int run(int fd, const struct sensor_args *a, struct gen *g)
{
    struct timespec next;
    uint64_t period = NS / a->rate;
    struct sample smp;
    char buf[128];
    size_t n;

    clock_gettime(CLOCK_MONOTONIC, &next);
    for (smp.seq = 1; !a->count || smp.seq <= a->count; smp.seq++) {
        gen_next(g, &smp);
        n = sample_format(&smp, a->name, buf, sizeof(buf));
        if (send(fd, buf, n, 0) < 0)
            fprintf(stderr, "sensor: send: %s\n", strerror(errno));
        next.tv_nsec += (long)period;
        next.tv_sec += next.tv_nsec / (long)NS;
        next.tv_nsec %= (long)NS;
        /* the network runs while we sleep: ARP and ping are answered */
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_in us = { .sin_family = AF_INET,
                              .sin_port = htons(SENSOR_PORT) };
    struct sensor_args a;
    char ip[16], cip[16];
    struct gen g;
    int fd, rc;

    if (sensor_args(argc, argv, &a) < 0) {
        fprintf(stderr, "sensor: bad argument: %s\n", a.bad);
        return 2;
    }
    if (!a.have_seed && (rc = mote_entropy(&a.seed, sizeof(a.seed))) < 0) {
        fprintf(stderr, "sensor: entropy: %s\n", strerror(-rc));
        return 1;
    }
    mote_net_args(argc, argv);
    if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&us, sizeof(us)) < 0 ||
        connect(fd, (struct sockaddr *)&a.collector, sizeof(a.collector)) < 0 ||
        mote_net_address(ip) < 0) {
        fprintf(stderr, "sensor: network: %s\n", strerror(errno));
        return 1;
    }
    gen_init(&g, a.seed);
    printf("sensor: %s sending to %s:%u at %u/s\n", ip,
           inet_ntop(AF_INET, &a.collector.sin_addr, cip, sizeof(cip)),
           ntohs(a.collector.sin_port), a.rate);
    fflush(stdout);
    return run(fd, &a, &g) < 0;
}
