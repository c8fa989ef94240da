/* Opt-in phase timestamps for benchmarks: MOTE_TIMING=1 in the environment. */
#ifndef MOTE_TIMING_H
#define MOTE_TIMING_H

#include <stddef.h>
#include <stdint.h>

/*
 * Record that phase "what" ended now (CLOCK_MONOTONIC). With MOTE_TIMING=1
 * the marks are printed on stderr at exit, one "mote-timing: WHAT NS" line
 * each (absolute nanoseconds); otherwise this does nothing.
 */
void timing_mark(const char *what);

/* Record a count, printed as "mote-timing: WHAT N" (exits, say). */
void timing_count(const char *what, uint64_t n);

/*
 * Record the guest memory the guest touched (resident pages of the
 * mapping) and the monitor's peak RSS so far, as "mote-timing: guest-rss
 * BYTES" and "mote-timing: peak-rss BYTES", between marks probe-start and
 * probe-end (its own cost, to subtract). Nothing without MOTE_TIMING=1.
 */
void timing_memory(void *mem, uint64_t size);

#endif
