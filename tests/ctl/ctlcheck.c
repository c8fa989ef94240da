/*
 * ctlcheck: awkward clients of mote's control socket (tests/ctl/ctl.sh).
 *   ctlcheck idle PATH MS    connect, say nothing for MS ms, then ask for
 *                            the status: prints the reply
 *   ctlcheck flood PATH      send 64 KiB with no newline: prints the reply
 *   ctlcheck half PATH       send half a request and hang up
 *   ctlcheck many PATH N     hold N connections at once: prints how many
 *                            were refused, then one held one's status reply
 * Exit 0 when the monitor answered as a line, 1 otherwise.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

static const char status[] = "{\"cmd\":\"status\"}\n";

static int dial(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("ctlcheck: connect");
        exit(1);
    }
    return fd;
}

/* One reply line within ms, printed; 0, or 1 on none. */
static int reply(int fd, int ms)
{
    char buf[65536];
    size_t len = 0;

    while (len < sizeof(buf) - 1) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (poll(&p, 1, ms) != 1)
            break;
        n = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        if (memchr(buf, '\n', len)) {
            fwrite(buf, 1, len, stdout);
            return 0;
        }
    }
    printf("no reply\n");
    return 1;
}

static int many(const char *path, int n)
{
    int fd[64], refused = 0, held = -1;

    if (n > 64)
        n = 64;
    for (int i = 0; i < n; i++)
        fd[i] = dial(path);
    usleep(500000);
    for (int i = 0; i < n; i++) {
        struct pollfd p = { .fd = fd[i], .events = POLLIN };
        char b[256];

        if (poll(&p, 1, 0) == 1 && read(fd[i], b, sizeof(b)) > 0)
            refused++;
        else if (held < 0)
            held = i;
    }
    printf("refused %d of %d\n", refused, n);
    if (held < 0)
        return 1;
    if (write(fd[held], status, sizeof(status) - 1) < 0)
        return 1;
    return reply(fd[held], 10000);
}

int main(int argc, char **argv)
{
    static char junk[65536];
    int fd;

    if (argc < 3)
        return fprintf(stderr, "usage: ctlcheck idle|flood|half|many PATH "
                               "[N]\n"),
               2;
    if (!strcmp(argv[1], "many"))
        return many(argv[2], argc > 3 ? atoi(argv[3]) : 9);
    fd = dial(argv[2]);
    if (!strcmp(argv[1], "idle")) {
        usleep((useconds_t)(argc > 3 ? atoi(argv[3]) : 1000) * 1000);
        if (write(fd, status, sizeof(status) - 1) < 0)
            return 1;
        return reply(fd, 10000);
    }
    if (!strcmp(argv[1], "flood")) {
        memset(junk, 'x', sizeof(junk));
        for (size_t at = 0; at < sizeof(junk);) {
            ssize_t n = send(fd, junk + at, sizeof(junk) - at, MSG_NOSIGNAL);

            if (n <= 0)
                break; /* the monitor hung up: its reply may be there */
            at += (size_t)n;
        }
        return reply(fd, 10000);
    }
    if (!strcmp(argv[1], "half")) {
        return write(fd, status, 8) == 8 ? 0 : 1;
    }
    fprintf(stderr, "ctlcheck: unknown mode '%s'\n", argv[1]);
    return 2;
}
