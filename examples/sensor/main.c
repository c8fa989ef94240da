/*
 * sensor: sends synthetic samples as UDP datagrams to a collector, at a
 * fixed rate, sleeping (and answering ARP and ping) in between.
 *   mote run --net eth0=tap0 sensor.elf -- ip=10.0.0.2/24 \
 *       collector=10.0.0.1:9000 rate=10 [count=N] [seed=N] [name=ID]
 */
#include <mote.h>
#include <mote/entropy.h>
#include <mote/net.h>
#include <stdio.h>
#include <string.h>

#include "sensor.h"

#define SENSOR_PORT 9000
#define NS 1000000000ull

/* Sleep until deadline, serving the network; discard datagrams for us. */
static int idle_until(struct net_if *nif, struct udp_sock *s, uint64_t deadline)
{
    uint8_t junk[64];
    uint64_t now;
    int rc;

    while ((now = mote_monotonic_ns()) < deadline) {
        if ((rc = net_poll(nif, deadline - now)) < 0)
            return rc;
        while (udp_recvfrom(s, junk, sizeof(junk), NULL, 0) >= 0)
            ;
    }
    return 0;
}

static int run(struct net_if *nif, struct udp_sock *s,
               const struct sensor_args *a, struct gen *g)
{
    uint64_t next = mote_monotonic_ns(), period = NS / a->rate;
    struct sample smp;
    char buf[128];
    size_t n;
    int rc;

    for (smp.seq = 1; !a->count || smp.seq <= a->count; smp.seq++) {
        gen_next(g, &smp);
        n = sample_format(&smp, a->name, buf, sizeof(buf));
        rc = udp_sendto(s, buf, n, &a->collector);
        if (rc < 0)
            fprintf(stderr, "sensor: send: %s\n", strerror(-rc));
        next += period;
        if ((rc = idle_until(nif, s, next)) < 0)
            return rc;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct sensor_args a;
    struct net_config cfg;
    struct udp_sock *s;
    struct net_if *nif;
    struct gen g;
    char ip[16], cip[16];
    int rc;

    if (sensor_args(argc, argv, &a) < 0) {
        fprintf(stderr, "sensor: bad argument: %s\n", a.bad);
        return 2;
    }
    if (!a.have_seed && (rc = mote_entropy(&a.seed, sizeof(a.seed))) < 0) {
        fprintf(stderr, "sensor: entropy: %s\n", strerror(-rc));
        return 1;
    }
    if ((rc = net_setup(argc, argv, &nif, &cfg)) < 0 ||
        (rc = udp_bind(nif, SENSOR_PORT, &s)) < 0) {
        fprintf(stderr, "sensor: network: %s%s%s\n", strerror(-rc),
                cfg.bad ? ": " : "", cfg.bad ? cfg.bad : "");
        return 1;
    }
    if ((rc = net_resolve(nif, a.collector.ip, 10 * NS)) < 0)
        fprintf(stderr, "sensor: collector not answering ARP yet: %s\n",
                strerror(-rc));
    gen_init(&g, a.seed);
    printf("sensor: %s sending to %s:%u at %u/s\n",
           net_ip_str(net_if_ip(nif), ip), net_ip_str(a.collector.ip, cip),
           a.collector.port, a.rate);
    if ((rc = run(nif, s, &a, &g)) < 0) {
        fprintf(stderr, "sensor: network: %s\n", strerror(-rc));
        return 1;
    }
    return 0;
}
