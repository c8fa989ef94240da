/* A container with a terminal (process.terminal, `podman run -t`): the
 * guest's console is a pseudo-terminal whose master the engine receives
 * over its --console-socket (SCM_RIGHTS), as with any OCI runtime. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "err.h"
#include "oci_child.h"

static int send_fd(const char *path, int fd, const char *name)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
    struct iovec iov = { (void *)name, strlen(name) };
    struct msghdr msg = { .msg_iov = &iov,
                          .msg_iovlen = 1,
                          .msg_control = ctl,
                          .msg_controllen = sizeof(ctl) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    int s, rc = 0;

    if (strlen(path) >= sizeof(sa.sun_path))
        return err_set(ENAMETOOLONG, "--console-socket %s: too long", path);
    strcpy(sa.sun_path, path);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        sendmsg(s, &msg, 0) < 0)
        rc = err_set(errno, "--console-socket %s: %s", path, strerror(errno));
    if (s >= 0)
        close(s);
    return rc;
}

static int become(int slave)
{
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
        return err_set(errno, "terminal: %s", strerror(errno));
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0)
            return err_set(errno, "terminal: %s", strerror(errno));
    if (slave > 2)
        close(slave);
    return 0;
}

/* The master and its slave, by ioctls only (glibc's grantpt() would link
 * the name service into a static mote for a group lookup devpts makes
 * moot). */
static int open_pty(int *master, int *slave, char *name, size_t n)
{
    unsigned int num;
    int unlock = 0;

    *master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (*master < 0)
        return err_set(errno, "terminal: /dev/ptmx: %s", strerror(errno));
    if (ioctl(*master, TIOCSPTLCK, &unlock) < 0 ||
        ioctl(*master, TIOCGPTN, &num) < 0 ||
        (*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0) {
        int e = errno;

        close(*master);
        return err_set(e, "terminal: %s", strerror(e));
    }
    snprintf(name, n, "/dev/pts/%u", num);
    return 0;
}

int oci_console_attach(struct oci_child *k)
{
    char name[64];
    int master = -1, slave = -1, rc;

    if (!k->s->terminal)
        return 0;
    if (!k->console_socket)
        return err_set(EINVAL, "process.terminal is set and no "
                               "--console-socket was given");
    if ((rc = open_pty(&master, &slave, name, sizeof(name))) < 0)
        return rc;
    rc = send_fd(k->console_socket, master, name);
    close(master);
    if (rc == 0)
        rc = become(slave);
    else
        close(slave);
    return rc;
}
