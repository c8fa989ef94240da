/* What an engine's monitor process (podman's conmon, containerd's shim)
 * does for an OCI runtime's tests: become a child subreaper, run the
 * runtime's create with stdout and stderr into OUT, then wait for the
 * container process create leaves behind and write its exit status to
 * STATUS ("exited N" or "signaled N").
 *
 *   reaper OUT STATUS RUNTIME [ARGS...]     (create's status: reaper's)
 *
 * reaper returns as soon as create has; a child keeps waiting. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static void report(const char *path, int st)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return;
    if (WIFEXITED(st))
        fprintf(f, "exited %d\n", WEXITSTATUS(st));
    else
        fprintf(f, "signaled %d\n", WTERMSIG(st));
    fclose(f);
}

int main(int argc, char **argv)
{
    int sync[2], st = 0, out;
    char rc = 1;
    pid_t create;

    if (argc < 4 || pipe(sync) < 0)
        return fprintf(stderr, "usage: reaper OUT STATUS RUNTIME ARGS\n"), 2;
    if (fork() > 0) { /* the caller's: create's status once it is known */
        close(sync[1]);
        return read(sync[0], &rc, 1) == 1 ? rc : 1;
    }
    close(sync[0]);
    setsid();
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0)
        return 1;
    if ((create = fork()) == 0) {
        dup2(out, 1);
        dup2(out, 2);
        execv(argv[3], argv + 3);
        _exit(127);
    }
    close(out);
    waitpid(create, &st, 0);
    rc = (char)(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
    if (write(sync[1], &rc, 1) != 1 || rc)
        return 0;
    /* the container process, reparented here when create exited */
    if (wait(&st) > 0)
        report(argv[2], st);
    return 0;
}
