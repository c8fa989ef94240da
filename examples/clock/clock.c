/* clock: exercises the heap and the clocks. Sleeps the given number of
 * milliseconds (default 200) and checks the sleep against wall time. */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ns(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Build a list of n heap nodes, walk it, free it; 0 when all went well. */
static int heap_round(int n)
{
    struct node {
        struct node *next;
        int v;
        char pad[100];
    } *head = NULL;
    long sum = 0;

    for (int i = 0; i < n; i++) {
        struct node *x = malloc(sizeof(*x));

        if (!x)
            return -1;
        x->v = i;
        x->next = head;
        head = x;
    }
    while (head) {
        struct node *next = head->next;

        sum += head->v;
        free(head);
        head = next;
    }
    return sum == (long)n * (n - 1) / 2 ? 0 : -1;
}

int main(int argc, char **argv)
{
    long ms = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    long long mono0, wall0, mono, wall;
    struct timespec req = { ms / 1000, (ms % 1000) * 1000000L };

    if (ms < 0 || heap_round(10000) != 0) {
        printf("clock: bad argument or heap failure\n");
        return 1;
    }
    mono0 = now_ns(CLOCK_MONOTONIC);
    wall0 = now_ns(CLOCK_REALTIME);
    nanosleep(&req, NULL);
    mono = (now_ns(CLOCK_MONOTONIC) - mono0) / 1000000;
    wall = (now_ns(CLOCK_REALTIME) - wall0) / 1000000;
    printf("slept %ld ms: monotonic %lld ms, wall %lld ms, heap free %zu "
           "KiB\n",
           ms, mono, wall, mote_heap_free() / 1024);
    if (mono < ms || wall < ms) {
        printf("clock: woke up early\n");
        return 1;
    }
    return 0;
}
