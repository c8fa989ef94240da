/*
 * poll() over the console and a UDP socket together: each round waits
 * for either, says which woke it and takes what came (a console line, a
 * datagram, echoed back), until the console's end.
 *   pollcons.elf -- ip=10.0.0.2/24 port=7
 */
#include <errno.h>
#include <mote/netcfg.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7) };
    struct pollfd p[2];
    char buf[2048];
    ssize_t n;
    int fd;

    mote_net_args(argc, argv);
    if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        fprintf(stderr, "pollcons: %s\n", strerror(errno));
        return 1;
    }
    printf("pollcons: waiting\n");
    fflush(stdout);
    for (;;) {
        p[0] = (struct pollfd){ .fd = 0, .events = POLLIN };
        p[1] = (struct pollfd){ .fd = fd, .events = POLLIN };
        if (poll(p, 2, -1) <= 0) {
            fprintf(stderr, "pollcons: poll: %s\n", strerror(errno));
            return 1;
        }
        if (p[1].revents & POLLIN) {
            struct sockaddr_in from;
            socklen_t len = sizeof(from);

            n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
                         &len);
            printf("pollcons: socket woke it (%zd bytes)\n", n);
            if (n > 0)
                sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
        }
        if (p[0].revents & POLLIN) {
            n = read(0, buf, sizeof(buf) - 1);
            if (n <= 0) {
                printf("pollcons: console ended\n");
                return 0;
            }
            buf[n] = '\0';
            printf("pollcons: console woke it: %s", buf);
        }
        fflush(stdout);
    }
}
