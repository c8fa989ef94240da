/* sensor: synthetic samples from a seeded generator, and its arguments. */
#ifndef SENSOR_H
#define SENSOR_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct gen {
    uint64_t state;
    int32_t temp_c100; /* temperature, hundredths of a degree C */
    int32_t hum_c10;   /* relative humidity, tenths of a percent */
};

struct sample {
    uint64_t seq;
    int32_t temp_c100;
    int32_t hum_c10;
};

/* Same seed, same samples. */
void gen_init(struct gen *g, uint64_t seed);
void gen_next(struct gen *g, struct sample *s);

/* "seq=12 temp=21.37 hum=45.2\n" into buf; the length, 0 if cap is short */
size_t sample_format(const struct sample *s, const char *name, char *buf,
                     size_t cap);

struct sensor_args {
    struct sockaddr_in collector; /* collector=A.B.C.D:PORT (required) */
    unsigned rate;                /* rate=N datagrams a second, 1 to 1000 */
    uint64_t count;               /* count=N, 0: forever */
    uint64_t seed;                /* seed=N */
    int have_seed;                /* 0: take the seed from the host */
    const char *name;             /* name=ID, default "sensor" */
    const char *bad;              /* on -EINVAL: the argument */
};

/* Parse the sensor's own arguments; others are ignored. 0 or -EINVAL. */
int sensor_args(int argc, char **argv, struct sensor_args *a);

#endif
