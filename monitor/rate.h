/*
 * A token bucket: at most rate bytes a second on average, at most burst
 * bytes at once (the console's rate limit, --console-rate). Pure
 * arithmetic over times the caller reads (nanoseconds of CLOCK_MONOTONIC),
 * so tests drive it with a fake clock; overflow-safe for any input.
 */
#ifndef MOTE_RATE_H
#define MOTE_RATE_H

#include <stdint.h>

/* A larger rate or burst is taken as this one (2^62 bytes: no limit that
 * could ever be reached). */
#define RATE_MAX (1ULL << 62)

struct rate_bucket {
    uint64_t rate;    /* bytes a second, 1 to RATE_MAX; 0: no limit */
    uint64_t burst;   /* the bucket's size, 1 to RATE_MAX */
    int64_t level;    /* bytes that may go now, -RATE_MAX to burst; below
                         0: bytes owed (a write that went early) */
    uint64_t part;    /* and a part of the next byte, in 1e-9 bytes */
    uint64_t last_ns; /* when level was last brought up to date */
};

/* A full bucket of rate bytes a second (0: no limit) and burst bytes. */
void rate_init(struct rate_bucket *b, uint64_t rate, uint64_t burst,
               uint64_t now_ns);

/*
 * Nanoseconds a write of len bytes must wait from now_ns: 0 when it may
 * go now (always, with no limit). It may go once the bucket holds len
 * bytes, or is full when len is more than the burst. A time earlier than
 * one seen before adds nothing; the wait is at most UINT64_MAX.
 */
uint64_t rate_wait(struct rate_bucket *b, uint64_t len, uint64_t now_ns);

/*
 * Take len bytes out of the bucket: after rate_wait() said 0, or early
 * (then the level falls below 0, and later writes wait until it is paid
 * back, so the average holds). The level never falls below -RATE_MAX.
 */
void rate_take(struct rate_bucket *b, uint64_t len);

#endif
