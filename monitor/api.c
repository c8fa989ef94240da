/* The control socket's thread: accept, read lines, answer, enforce a stop's
 * deadline. Nothing a client does reaches the vCPU but a parsed request. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "api.h"
#include "err.h"

/* A socket file left by a monitor that is gone may be replaced; a live
 * one, or anything else at path, may not. */
static int clear_stale(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct stat st;
    int fd, rc;

    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -errno;
    if (!S_ISSOCK(st.st_mode))
        return -EEXIST;
    strcpy(sa.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return -errno;
    rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    close(fd);
    if (rc == 0 || errno != ECONNREFUSED)
        return -EADDRINUSE;
    return unlink(path) < 0 ? -errno : 0;
}

int api_open(struct api *a, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct stat st;
    mode_t old;
    int rc;

    memset(a, 0, sizeof(*a));
    a->lfd = a->wake[0] = a->wake[1] = -1;
    for (unsigned i = 0; i < API_CLIENTS; i++)
        a->cl[i].fd = -1;
    a->opened = 1;
    if (!path[0] || strlen(path) >= sizeof(sa.sun_path))
        return err_set(ENAMETOOLONG,
                       "--api: '%s': want a path of 1 to %zu "
                       "bytes",
                       path, sizeof(sa.sun_path) - 1);
    if ((rc = clear_stale(path)) < 0)
        return err_set(-rc, "--api: %s: %s", path,
                       rc == -EEXIST       ? "exists and is not a socket"
                       : rc == -EADDRINUSE ? "another monitor listens there"
                                           : strerror(-rc));
    strcpy(sa.sun_path, path);
    strcpy(a->path, path);
    a->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (a->lfd < 0)
        return err_set(errno, "--api: socket: %s", strerror(errno));
    old = umask(0177); /* the socket file is born 0600: the owner only */
    rc = bind(a->lfd, (struct sockaddr *)&sa, sizeof(sa));
    umask(old);
    if (rc < 0 || listen(a->lfd, API_CLIENTS) < 0) {
        rc = err_set(errno, "--api: %s: %s", path, strerror(errno));
        close(a->lfd);
        a->lfd = -1;
        return rc;
    }
    if (stat(path, &st) == 0) { /* ours: api_close unlinks only this */
        a->dev = st.st_dev;
        a->ino = st.st_ino;
    }
    if (pipe2(a->wake, O_CLOEXEC | O_NONBLOCK) < 0)
        return err_set(errno, "--api: pipe: %s", strerror(errno));
    return 0;
}

static void drop(struct api_client *c)
{
    close(c->fd);
    c->fd = -1;
    c->len = 0;
}

/* Replies are short: one that does not fit the socket's buffer at once
 * means a client that does not read, and it is dropped. */
static void say(struct api_client *c, const char *line)
{
    size_t n = strlen(line);

    if (send(c->fd, line, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)n)
        drop(c);
}

static void accept_one(struct api *a)
{
    int fd = accept4(a->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (fd < 0)
        return;
    for (unsigned i = 0; i < API_CLIENTS; i++) {
        if (a->cl[i].fd >= 0)
            continue;
        a->cl[i].fd = fd;
        a->cl[i].len = 0;
        a->cl[i].last_ns = ctl_now_ns();
        return;
    }
    send(fd, "{\"ok\":false,\"error\":\"too many clients\"}\n", 40,
         MSG_DONTWAIT | MSG_NOSIGNAL);
    close(fd);
}

/* Answer every whole line in c's buffer; keep the rest. */
static void serve_lines(struct api *a, struct api_client *c)
{
    char *nl;

    while (c->fd >= 0 && (nl = memchr(c->buf, '\n', c->len))) {
        size_t n = (size_t)(nl - c->buf);
        char *reply = NULL;

        api_request(a, c->buf, n, &reply);
        say(c, reply ? reply : "{\"ok\":false,\"error\":\"out of memory\"}\n");
        free(reply);
        if (c->fd >= 0) {
            memmove(c->buf, nl + 1, c->len - n - 1);
            c->len -= n + 1;
        }
    }
}

static void read_client(struct api *a, struct api_client *c)
{
    ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        drop(c);
        return;
    }
    c->len += (size_t)n;
    c->last_ns = ctl_now_ns();
    serve_lines(a, c);
    if (c->fd >= 0 && c->len == sizeof(c->buf)) {
        say(c, "{\"ok\":false,\"error\":\"request line too long\"}\n");
        if (c->fd >= 0)
            drop(c);
    }
}

/* How long poll may sleep: to the next idle client's end or the deadline. */
static int next_timeout(const struct api *a, uint64_t now)
{
    uint64_t until = now + 1000000000ULL;

    for (unsigned i = 0; i < API_CLIENTS; i++)
        if (a->cl[i].fd >= 0 &&
            a->cl[i].last_ns + API_IDLE_MS * 1000000ULL < until)
            until = a->cl[i].last_ns + API_IDLE_MS * 1000000ULL;
    if (a->deadline_ns && a->deadline_ns < until)
        until = a->deadline_ns;
    return until <= now ? 0 : (int)((until - now) / 1000000ULL) + 1;
}

static void timers(struct api *a)
{
    uint64_t now = ctl_now_ns();

    for (unsigned i = 0; i < API_CLIENTS; i++)
        if (a->cl[i].fd >= 0 &&
            now - a->cl[i].last_ns >= API_IDLE_MS * 1000000ULL)
            drop(&a->cl[i]);
    if (a->deadline_ns && now >= a->deadline_ns) {
        a->deadline_ns = 0;
        ctl_kill(&a->m->vm);
    }
}

static void *api_main(void *arg)
{
    struct api *a = arg;

    for (;;) {
        struct pollfd p[2 + API_CLIENTS];
        unsigned n = 2;

        p[0] = (struct pollfd){ .fd = a->wake[0], .events = POLLIN };
        p[1] = (struct pollfd){ .fd = a->lfd, .events = POLLIN };
        for (unsigned i = 0; i < API_CLIENTS; i++)
            p[n++] = (struct pollfd){ .fd = a->cl[i].fd, .events = POLLIN };
        if (poll(p, n, next_timeout(a, ctl_now_ns())) < 0 && errno != EINTR)
            break;
        if (p[0].revents)
            break;
        if (p[1].revents & POLLIN)
            accept_one(a);
        for (unsigned i = 0; i < API_CLIENTS; i++)
            if (a->cl[i].fd >= 0 && p[2 + i].fd == a->cl[i].fd &&
                p[2 + i].revents)
                read_client(a, &a->cl[i]);
        timers(a);
    }
    return NULL;
}

int api_start(struct api *a, struct vmm *m)
{
    sigset_t all, old;
    int rc;

    a->m = m;
    if ((rc = ctl_init(&a->ctl, &m->vm)) < 0)
        return err_set(-rc, "--api: cannot set up the vCPU's kick: %s",
                       strerror(-rc));
    /* The thread takes no signal: they are all the vCPU thread's. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&a->thread, NULL, api_main, a);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc)
        return err_set(rc, "--api: cannot start its thread: %s", strerror(rc));
    a->running = 1;
    return 0;
}

/* The socket file, unless another monitor has put its own there since. */
static void unlink_ours(const struct api *a)
{
    struct stat st;

    if (lstat(a->path, &st) == 0 && st.st_dev == a->dev && st.st_ino == a->ino)
        unlink(a->path);
}

void api_close(struct api *a)
{
    if (!a->opened)
        return;
    if (a->running) {
        ctl_ended(&a->m->vm);
        if (write(a->wake[1], "", 1) < 0) { /* the pipe is empty: cannot fail */
        }
        pthread_join(a->thread, NULL);
        a->running = 0;
        ctl_destroy(&a->ctl);
        a->m->vm.ctl = NULL;
    }
    for (unsigned i = 0; i < API_CLIENTS; i++)
        if (a->cl[i].fd >= 0)
            drop(&a->cl[i]);
    if (a->lfd >= 0) {
        close(a->lfd);
        unlink_ours(a);
    }
    if (a->wake[0] >= 0)
        close(a->wake[0]);
    if (a->wake[1] >= 0)
        close(a->wake[1]);
    a->lfd = a->wake[0] = a->wake[1] = -1;
    a->opened = 0;
}
