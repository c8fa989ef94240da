/*
 * The control socket's guest (tests/ctl.sh): prints "tick N" every 50 ms
 * from a sleep loop, so pauses show as gaps, and reacts to the host's stop
 * request as its argument says:
 *   handler  a SIGTERM handler sets a flag; the loop ends, prints
 *            "stopping after SIGTERM" and exits 7
 *   default  no handler: the libOS's default, exit status 143
 *   ignore   SIGTERM ignored and the loop goes on: the deadline stops it
 *   poll     as handler, waiting in poll() (no descriptors: a timed wait)
 *            instead of nanosleep()
 *   flood    no ticks: 40000-byte console writes forever, never a wait
 *            (for --console-rate; a stop is heard only at its deadline)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static char block[40000];

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static int wait_a_bit(int use_poll)
{
    struct timespec ts = { 0, 50000000 };

    if (use_poll)
        return poll(NULL, 0, 50);
    return nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "handler";
    int use_poll = !strcmp(mode, "poll"), eintr = 0;
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    if (!strcmp(mode, "handler") || use_poll)
        sigaction(SIGTERM, &sa, NULL);
    else if (!strcmp(mode, "ignore"))
        signal(SIGTERM, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ctl guest ready (%s)\n", mode);
    if (!strcmp(mode, "flood")) {
        memset(block, 'x', sizeof(block));
        block[sizeof(block) - 1] = '\n';
        for (;;)
            write(1, block, sizeof(block));
    }
    for (unsigned long n = 0; !stop; n++) {
        if (wait_a_bit(use_poll) < 0 && errno == EINTR)
            eintr = 1;
        if (!stop)
            printf("tick %lu\n", n);
    }
    printf("stopping after SIGTERM%s\n", eintr ? " (EINTR)" : "");
    return 7;
}
