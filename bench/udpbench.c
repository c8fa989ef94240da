/* udpbench: the UDP echo server and clients behind make bench's network
 * figures, and the start-to-first-answer clients (UDP and TCP). One
 * binary, so both sides of each ratio run the same client.
 *
 *   udpbench server PORT               echo every datagram back
 *   udpbench rtt IP PORT N             N round trips, one at a time
 *   udpbench rate IP PORT N WINDOW     N echoes with WINDOW in flight
 *   udpbench first IP PORT CMD...      start CMD (a server), send a
 *                                      datagram every 100 us until one
 *                                      is answered (5 s at most)
 *   udpbench tcpfirst IP PORT CMD...   the same with a TCP connection
 *                                      begun every 100 us, until one is
 *                                      made (the last 64 kept open)
 *
 * rtt and rate print "per-s X" (round trips or echoes per second) and
 * "lost L" (datagrams with no echo within 200 ms), and exit 1 on loss.
 * first and tcpfirst print "ms X", the time from just before CMD was
 * started to the first answer (or connection), then kill CMD; they exit
 * 1 when none came. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#define PAYLOAD 64
#define WAIT_MS 200
#define FIRST_GAP_US 100
#define FIRST_MAX_S 5.0
#define TCP_TRIES 64 /* connections begun and not yet given up */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int udp_socket(const char *ip, int port, int bind_it)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port) };
    int s = socket(AF_INET, SOCK_DGRAM, 0);

    if (s < 0 || inet_pton(AF_INET, ip, &a.sin_addr) != 1)
        return -1;
    if (bind_it ? bind(s, (struct sockaddr *)&a, sizeof(a))
                : connect(s, (struct sockaddr *)&a, sizeof(a)))
        return -1;
    return s;
}

static int serve(int port)
{
    int s = udp_socket("0.0.0.0", port, 1);
    struct sockaddr_in from;
    socklen_t fl = sizeof(from);
    char buf[2048];
    ssize_t n;

    if (s < 0)
        return perror("udpbench server"), 2;
    while ((n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
                         &fl)) >= 0) {
        sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
        fl = sizeof(from);
    }
    return 0;
}

static int send_seq(int s, uint32_t seq)
{
    char buf[PAYLOAD];

    memset(buf, 'm', sizeof(buf));
    memcpy(buf, &seq, sizeof(seq));
    return send(s, buf, sizeof(buf), 0) == PAYLOAD ? 0 : -1;
}

/* Wait for one echo; its sequence number, or -1 after WAIT_MS. */
static long recv_seq(int s)
{
    struct pollfd p = { .fd = s, .events = POLLIN };
    char buf[2048];
    uint32_t seq;

    if (poll(&p, 1, WAIT_MS) != 1 || recv(s, buf, sizeof(buf), 0) != PAYLOAD)
        return -1;
    memcpy(&seq, buf, sizeof(seq));
    return seq;
}

static int report(long done, long lost, double secs)
{
    printf("per-s %.1f\nlost %ld\n", (double)done / secs, lost);
    return lost ? 1 : 0;
}

static int rtt(int s, long n)
{
    long lost = 0;
    double t0 = now();

    for (long i = 0; i < n; i++) {
        long got;

        send_seq(s, (uint32_t)i);
        while ((got = recv_seq(s)) >= 0 && got != i)
            ; /* a late echo of an earlier datagram */
        lost += got < 0;
    }
    return report(n - lost, lost, now() - t0);
}

static int rate(int s, long n, long window)
{
    long sent = 0, got = 0, lost = 0;
    double t0 = now();

    while (sent < n && sent < window)
        send_seq(s, (uint32_t)sent++);
    while (got + lost < n) {
        if (recv_seq(s) < 0) {
            lost += sent - got - lost; /* everything in flight */
        } else {
            got++;
        }
        while (sent < n && sent - got - lost < window)
            send_seq(s, (uint32_t)sent++);
    }
    return report(got, lost, now() - t0);
}

/* Start cmd; its pid, or -1. */
static pid_t start(char **cmd)
{
    pid_t pid = fork();

    if (pid == 0) {
        execvp(cmd[0], cmd);
        _exit(127);
    }
    if (pid < 0)
        perror("udpbench: fork");
    return pid;
}

/* Stop cmd, say how long the answer took (t seconds), if one came. */
static int finish(pid_t pid, int got, double t)
{
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    if (!got)
        return fprintf(stderr, "udpbench: no answer in %.0f s\n", FIRST_MAX_S),
               1;
    printf("ms %.3f\n", t * 1e3);
    return 0;
}

/* Start cmd, then send until an answer comes. Refused datagrams (nothing
 * bound yet) and unreachable errors are expected before the server is
 * up: they are sent again. */
static int first(int s, char **cmd)
{
    struct pollfd p = { .fd = s, .events = POLLIN };
    char buf[2048];
    double t0 = now(), t = 0;
    pid_t pid = start(cmd);
    int got = 0;

    if (pid < 0)
        return 2;
    while (!got && (t = now() - t0) < FIRST_MAX_S) {
        send_seq(s, 0);
        if (poll(&p, 1, 0) == 1 || usleep(FIRST_GAP_US) < 0 ||
            poll(&p, 1, 0) == 1)
            got = recv(s, buf, sizeof(buf), 0) == PAYLOAD;
    }
    return finish(pid, got, now() - t0);
}

/* A non-blocking connect to a begun: its socket, or -1. */
static int tcp_begin(const struct sockaddr_in *a)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

    if (s >= 0 && connect(s, (const struct sockaddr *)a, sizeof(*a)) < 0 &&
        errno != EINPROGRESS) {
        close(s);
        return -1;
    }
    return s;
}

/* Start cmd, then begin a connection every 100 us until one is made;
 * refused or failed ones are dropped, the oldest of TCP_TRIES too. */
static int tcpfirst(const char *ip, int port, char **cmd)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port) };
    struct pollfd p[TCP_TRIES];
    unsigned next = 0;
    int got = 0, err;
    socklen_t el = sizeof(err);
    double t0;
    pid_t pid;

    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1)
        return 2;
    for (int i = 0; i < TCP_TRIES; i++)
        p[i] = (struct pollfd){ .fd = -1, .events = POLLOUT };
    t0 = now();
    if ((pid = start(cmd)) < 0)
        return 2;
    while (!got && now() - t0 < FIRST_MAX_S) {
        if (p[next].fd >= 0)
            close(p[next].fd);
        p[next].fd = tcp_begin(&a);
        next = (next + 1) % TCP_TRIES;
        if (poll(p, TCP_TRIES, 0) <= 0) {
            usleep(FIRST_GAP_US);
            continue;
        }
        for (int i = 0; i < TCP_TRIES && !got; i++) {
            if (p[i].fd < 0 || !p[i].revents)
                continue;
            err = 1;
            el = sizeof(err);
            getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &err, &el);
            got = err == 0 && !(p[i].revents & (POLLERR | POLLHUP));
            if (!got) {
                close(p[i].fd);
                p[i].fd = -1;
            }
        }
    }
    t0 = now() - t0;
    for (int i = 0; i < TCP_TRIES; i++)
        if (p[i].fd >= 0)
            close(p[i].fd);
    return finish(pid, got, t0);
}

int main(int argc, char **argv)
{
    int s;

    if (argc == 3 && !strcmp(argv[1], "server"))
        return serve(atoi(argv[2]));
    if (argc > 4 && !strcmp(argv[1], "tcpfirst"))
        return tcpfirst(argv[2], atoi(argv[3]), argv + 4);
    if (argc < 5 || (s = udp_socket(argv[2], atoi(argv[3]), 0)) < 0) {
        fprintf(stderr,
                "usage: udpbench server PORT | rtt IP PORT N | "
                "rate IP PORT N WINDOW | first|tcpfirst IP PORT CMD...\n");
        return 2;
    }
    if (!strcmp(argv[1], "rtt"))
        return rtt(s, atol(argv[4]));
    if (!strcmp(argv[1], "first"))
        return first(s, argv + 4);
    if (!strcmp(argv[1], "rate") && argc == 6)
        return rate(s, atol(argv[4]), atol(argv[5]));
    return 2;
}
