/*
 * socket() for mote guests. The libOS's socket system calls (and lwIP
 * under them) are linked only into programs that make sockets: this
 * reference to unikernel/net/sock.c is what brings them in.
 */
#include <sys/socket.h>

#include "syscall.h"

extern const char __mote_net[];

int socket(int domain, int type, int protocol)
{
    __asm__ volatile("" : : "r"(__mote_net));
    return syscall(SYS_socket, domain, type, protocol);
}
