/* libOS internals shared between its files (not for applications). */
#ifndef MOTE_LIBOS_H
#define MOTE_LIBOS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void time_init(uint64_t counter_freq);
void heap_init(uint64_t start, uint64_t end);

/* Seed rand() from the host's entropy; 0 or -errno. */
int entropy_seed_rand(void);

/* The printf engine: emits characters through put(ctx, c). */
int fmt_format(void (*put)(void *ctx, char c), void *ctx, const char *fmt,
               va_list ap);

#endif
