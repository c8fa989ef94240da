/* Opt-in phase timestamps (MOTE_TIMING=1), printed on stderr at exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "timing.h"

#define MARKS_MAX 16

static struct {
    const char *what;
    uint64_t v;
} marks[MARKS_MAX];
static unsigned nmarks;
static int enabled = -1; /* -1: not looked up yet */

static void report(void)
{
    for (unsigned i = 0; i < nmarks; i++)
        fprintf(stderr, "mote-timing: %s %llu\n", marks[i].what,
                (unsigned long long)marks[i].v);
}

static int on(void)
{
    if (enabled < 0) {
        const char *s = getenv("MOTE_TIMING");

        enabled = s && !strcmp(s, "1");
        if (enabled)
            atexit(report);
    }
    return enabled;
}

static void add(const char *what, uint64_t v)
{
    if (nmarks == MARKS_MAX)
        return;
    marks[nmarks].what = what;
    marks[nmarks++].v = v;
}

void timing_count(const char *what, uint64_t n)
{
    if (on())
        add(what, n);
}

void timing_mark(const char *what)
{
    struct timespec ts;

    if (!on())
        return;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    add(what, (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

/* VmHWM from /proc/self/status, in bytes; 0 if unreadable. */
static uint64_t peak_rss(void)
{
    char line[128];
    unsigned long long kb = 0;
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmHWM: %llu kB", &kb) == 1)
            break;
    fclose(f);
    return kb * 1024;
}

void timing_memory(void *mem, uint64_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    uint64_t npages = size / (uint64_t)page, touched = 0;
    unsigned char *vec;

    if (!on() || !mem)
        return;
    timing_mark("probe-start");
    if ((vec = malloc(npages)) && mincore(mem, size, vec) == 0)
        for (uint64_t i = 0; i < npages; i++)
            touched += vec[i] & 1;
    free(vec);
    add("guest-rss", touched * (uint64_t)page);
    add("peak-rss", peak_rss());
    timing_mark("probe-end");
}
