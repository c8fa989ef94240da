/* mote libOS: clocks and sleeping. */
#ifndef _TIME_H
#define _TIME_H

#include <stdint.h>

typedef long time_t;
typedef int clockid_t;

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

int clock_gettime(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
time_t time(time_t *t);
unsigned sleep(unsigned seconds);
int usleep(unsigned long usec);

#endif
