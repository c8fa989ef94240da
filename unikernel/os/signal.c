/*
 * Signals, as far as one program without processes has them: handlers set
 * with sigaction()/signal(), run by raise()/kill() on itself, and SIGTERM
 * when the host asks the guest to stop (`mote ctl PATH stop`: the monitor
 * reports MOTE_READY_SHUTDOWN from a wait). A handler runs from inside
 * the blocking call that saw the request (poll, sleep, a socket wait),
 * which then fails with EINTR, so a loop on a "stop" flag ends.
 * A program with no SIGTERM handler exits with 143 (128 + SIGTERM) through
 * exit(): its atexit handlers run, stdio and sockets are flushed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../include/mote.h"
#include "os.h"

#define NSIG_MAX 65

/* The kernel's struct sigaction, as musl passes it. */
struct k_sigaction {
    union {
        void (*handler)(int);
        void (*action)(int, siginfo_t *, void *); /* SA_SIGINFO */
    } u;
    unsigned long flags;
    void (*restorer)(void);
    unsigned mask[2];
};

static struct k_sigaction act[NSIG_MAX];
static int stop_delivered;

long sys_rt_sigaction(const long *a)
{
    int sig = (int)a[0];
    const struct k_sigaction *new = (const void *)a[1];
    struct k_sigaction *old = (void *)a[2];

    if (sig < 1 || sig >= NSIG_MAX ||
        (new && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    if (old)
        *old = act[sig];
    if (new)
        act[sig] = *new;
    return 0;
}

/* Run sig's action: 1 when a handler ran, 0 when it was ignored; the
 * default ends the program with 128 + sig. */
static int deliver(int sig, int host)
{
    struct k_sigaction k = act[sig];

    if (k.u.handler == SIG_IGN)
        return 0;
    if (k.u.handler == SIG_DFL) {
        if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH)
            return 0; /* ignored by default, as on Linux */
        os_signal_exit(sig, host);
    }
    if (k.flags & SA_RESETHAND)
        act[sig].u.handler = SIG_DFL;
    if (k.flags & SA_SIGINFO) {
        siginfo_t si;

        memset(&si, 0, sizeof(si));
        si.si_signo = sig;
        k.u.action(sig, &si, NULL);
    } else {
        k.u.handler(sig);
    }
    return 1;
}

long sys_tkill(const long *a)
{
    int sig = (int)a[1];

    if (sig == 0)
        return 0;
    if (sig < 0 || sig >= NSIG_MAX)
        return -EINVAL;
    deliver(sig, 0);
    return 0;
}

int os_signal_poll(void)
{
    if (!mote_stop_asked || stop_delivered)
        return 0;
    stop_delivered = 1;
    return deliver(SIGTERM, 1);
}
