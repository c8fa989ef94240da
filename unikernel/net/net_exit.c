/*
 * At the program's exit, as a kernel does for a process: its sockets are
 * closed (TCP connections get their FIN), and what they still had to send
 * is given up to EXIT_FLUSH_NS to be sent and acknowledged before the
 * guest stops, so a reply written just before exit() is not lost.
 */
#include "lwip/priv/tcp_priv.h"

#include "../os/os.h"
#include "net_impl.h"

#define EXIT_FLUSH_NS 2000000000ULL
#define FD_SCAN 1024

static int flushed(void *arg)
{
    (void)arg;
    for (struct tcp_pcb *p = tcp_active_pcbs; p; p = p->next)
        if (p->unsent || p->unacked)
            return 0;
    return 1;
}

void net_exit(void)
{
    struct file *f;

    if (!net_is_up())
        return;
    for (int fd = 0; fd < FD_SCAN; fd++)
        if ((f = fd_get(fd)) && sock_is(f)) {
            long a[6] = { fd };

            sys_close(a);
        }
    net_wait(flushed, NULL, net_deadline(EXIT_FLUSH_NS));
}
